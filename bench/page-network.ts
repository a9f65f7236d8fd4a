/**
 * Every request a browser context makes (its pages and their workers), with what it cost on
 * the wire. "Transferred" is Chromium's own count: CDP Network.loadingFinished
 * `encodedDataLength` (response headers + body as received, so gzip/brotli bytes when the
 * server sent an encoded copy), which Playwright's `request.sizes()` splits into headers and
 * body. An HTTP-cache hit transfers 0; a 304 only its headers. "Raw" is the decoded body the
 * server sent: the served file's size on disk for a 200 (its uncompressed original), 0 for a
 * 304 or a cache hit. Cache Storage reads inside the worker are not requests at all.
 */
import { existsSync, statSync } from 'node:fs';
import type { BrowserContext, Request } from 'playwright-core';

export interface Fetched {
  url: string;
  method: string;
  status: number;
  /** Epoch ms when the response had fully arrived (the browser's clock). */
  endEpochMs: number;
  transferred: number;
  raw: number;
  /** Served without a round trip to the server (memory or disk HTTP cache). */
  fromCache: boolean;
  failed: boolean;
}

/** Maps a request URL to the file the server sends for it, or null (not a static file). */
export type FileOf = (url: URL) => string | null;

export interface Recorder {
  stop(): Promise<Fetched[]>;
}

export function recordRequests(context: BrowserContext, fileOf: FileOf): Recorder {
  const pending: Promise<Fetched | null>[] = [];
  const measure = async (request: Request, failed: boolean): Promise<Fetched | null> => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return null;
    const response = failed ? null : await request.response().catch(() => null);
    const sizes = failed ? null : await request.sizes().catch(() => null);
    const timing = request.timing();
    const transferred = sizes ? sizes.responseHeadersSize + sizes.responseBodySize : 0;
    const status = response?.status() ?? 0;
    const fromCache = !failed && transferred === 0;
    let raw = 0;
    // A revalidated file (304) reaches Playwright as a 200 with no body on the wire: no raw bytes.
    if (status === 200 && !fromCache && (sizes?.responseBodySize ?? 0) > 0) {
      const file = fileOf(new URL(url));
      raw = file && existsSync(file) && statSync(file).isFile() ? statSync(file).size : (sizes?.responseBodySize ?? 0);
    }
    return {
      url,
      method: request.method(),
      status,
      endEpochMs: timing.startTime + Math.max(timing.responseEnd, 0),
      transferred,
      raw,
      fromCache,
      failed,
    };
  };
  const onFinished = (request: Request) => void pending.push(measure(request, false));
  const onFailed = (request: Request) => void pending.push(measure(request, true));
  context.on('requestfinished', onFinished);
  context.on('requestfailed', onFailed);
  return {
    async stop() {
      context.off('requestfinished', onFinished);
      context.off('requestfailed', onFailed);
      return (await Promise.all(pending)).filter((f): f is Fetched => f !== null);
    },
  };
}

export interface Traffic {
  /** Requests that reached the server (HTTP-cache hits not counted). */
  requests: number;
  cacheHits: number;
  transferred: number;
  raw: number;
}

export function traffic(fetched: readonly Fetched[]): Traffic {
  const network = fetched.filter((f) => !f.fromCache);
  return {
    requests: network.length,
    cacheHits: fetched.length - network.length,
    transferred: network.reduce((a, f) => a + f.transferred, 0),
    raw: network.reduce((a, f) => a + f.raw, 0),
  };
}

/** GET URLs that went to the server more than once (HTTP-cache hits not counted), "path ×n". */
export function fetchedTwice(fetched: readonly Fetched[]): string[] {
  const counts = new Map<string, number>();
  for (const f of fetched) if (f.method === 'GET' && !f.fromCache) counts.set(f.url, (counts.get(f.url) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([u, n]) => `${new URL(u).pathname} ×${n}`);
}

/** The biggest network transfers, for saying what a visit spent its bytes on. */
export function biggest(fetched: readonly Fetched[], n = 5): { path: string; transferred: number; raw: number; status: number }[] {
  return fetched
    .filter((f) => !f.fromCache)
    .sort((a, b) => b.transferred - a.transferred)
    .slice(0, n)
    .map((f) => ({ path: new URL(f.url).pathname, transferred: f.transferred, raw: f.raw, status: f.status }));
}
