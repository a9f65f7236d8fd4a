/**
 * Serving the build's pre-compressed copies (scripts/precompress.ts): which encoding a request
 * gets, and a Connect-style handler for `vite preview` and the example shop's server. The
 * choice is pure (tested in Node); the handler only looks up files.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname } from 'node:path';

export type ContentEncoding = 'br' | 'gzip';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

/**
 * The accepted encodings of an Accept-Encoding header, honouring q=0 ("not this one").
 * `*` stands for any encoding not named.
 */
export function acceptedEncodings(header: string | undefined): Set<ContentEncoding> {
  const accepted = new Set<ContentEncoding>();
  if (!header) return accepted;
  const named = new Map<string, number>();
  for (const part of header.split(',')) {
    const [token, ...params] = part.trim().toLowerCase().split(';');
    if (!token) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    named.set(token, q ? Number(q.slice(2)) : 1);
  }
  for (const encoding of ['br', 'gzip'] as const) {
    const q = named.get(encoding) ?? named.get('*') ?? 0;
    if (q > 0) accepted.add(encoding);
  }
  return accepted;
}

/** Brotli when the client takes it and the copy exists, then gzip, else the file as it is. */
export function chooseEncoding(header: string | undefined, available: { br: boolean; gzip: boolean }): ContentEncoding | null {
  const accepted = acceptedEncodings(header);
  if (accepted.has('br') && available.br) return 'br';
  if (accepted.has('gzip') && available.gzip) return 'gzip';
  return null;
}

/**
 * Hashed build outputs (`pulse/assets/name-HASH.ext`) never change content: a year, immutable;
 * so does `pulse/runtime.js?v=<hash>`, the URL pulse.js imports (docs/embed.md, "What you
 * host"): a new release asks for a new `v`. Everything else (pulse.js, pages, catalog, models at
 * fixed names, runtime.js without its `v`) is revalidated each time, which costs a 304 and no
 * body when nothing changed — and a round trip the first list waited for on every visit.
 */
export function cacheControl(url: string): string {
  const [path = '', query = ''] = url.split('?');
  const hashed = /\/pulse\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z]+$/.test(path) || (/\/pulse\/runtime\.js$/.test(path) && /(^|&)v=[0-9a-f]{8,}(&|$)/.test(query));
  return hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Whether a conditional request's If-Modified-Since already covers `mtime` (HTTP dates have whole seconds). */
export function notModified(ifModifiedSince: string | undefined, mtime: Date): boolean {
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Math.floor(mtime.getTime() / 1000) * 1000 <= since;
}

const SUFFIX: Record<ContentEncoding, string> = { br: '.br', gzip: '.gz' };

/**
 * Sends `file` (which exists), or its pre-compressed copy, with the original's Content-Type.
 * `Vary: Accept-Encoding` so caches between keep the variants apart; the cache policy of
 * cacheControl(). Other headers (CSP) are the caller's.
 */
export function sendFile(req: IncomingMessage, res: ServerResponse, file: string, urlPath = req.url ?? ''): void {
  const mtime = statSync(file).mtime;
  res.setHeader('Cache-Control', cacheControl(urlPath));
  res.setHeader('Last-Modified', mtime.toUTCString());
  res.setHeader('Vary', 'Accept-Encoding');
  if (notModified(req.headers['if-modified-since'], mtime)) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const encoding = chooseEncoding(req.headers['accept-encoding'], { br: existsSync(file + SUFFIX.br), gzip: existsSync(file + SUFFIX.gzip) });
  const sent = encoding ? file + SUFFIX[encoding] : file;
  res.setHeader('Content-Type', contentType(file));
  res.setHeader('Content-Length', statSync(sent).size);
  if (encoding) res.setHeader('Content-Encoding', encoding);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(sent).pipe(res);
}
