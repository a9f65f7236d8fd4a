/**
 * Serves the example shop the way a real one would: its own pages at "/", and the Pulse
 * build (dist/) self-hosted in a folder of its own, "/vendor/pulse/", so the tests prove
 * that pulse.js finds everything relative to itself. Optionally sends a
 * Content-Security-Policy header with every response (pages, scripts, the worker).
 *
 *   npm run shop            # http://127.0.0.1:5174 (after `npm run build`)
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve } from 'node:path';
import { sendFile } from '../scripts/precompressed-serving.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SHOP = join(ROOT, 'e2e', 'shop');
const DIST = join(ROOT, 'dist');
export const PULSE_PATH = '/vendor/pulse/';


/** The queue stub exactly as the shop pages (and the README) inline it. */
export const QUEUE_STUB = 'window.pulse = window.pulse || function () { (pulse.q = pulse.q || []).push(arguments); };';

/** The CSP source that allows exactly the inline queue stub. */
export function stubHashSource(): string {
  return `'sha256-${createHash('sha256').update(QUEUE_STUB).digest('base64')}'`;
}

/** The strict policy of docs/embed.md ("Content Security Policy"). */
export function strictPolicy(options: { wasm?: boolean } = {}): string {
  const script = ["'self'", ...(options.wasm === false ? [] : ["'wasm-unsafe-eval'"]), stubHashSource()].join(' ');
  return [
    "default-src 'none'",
    `script-src ${script}`,
    "worker-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "style-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

export interface ShopServer {
  url: string;
  /**
   * CSP violation reports (with `reportViolations`): "directive blocked what, in which
   * document". Workers report too, which a page's securitypolicyviolation listener never sees.
   */
  reports: string[];
  close(): Promise<void>;
}

const REPORT_PATH = '/__csp-report';

export async function serveShop(options: { csp?: string; port?: number; reportViolations?: boolean } = {}): Promise<ShopServer> {
  if (!existsSync(join(DIST, 'pulse.js'))) throw new Error('dist/pulse.js is missing: run `npx vite build` first');
  const reports: string[] = [];
  const server: Server = createServer((req, res) => {
    const requested = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(requested.pathname);
    if (req.method === 'POST' && path === REPORT_PATH) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { 'csp-report'?: Record<string, string> };
          const r = body['csp-report'] ?? {};
          reports.push(`${r['effective-directive'] ?? r['violated-directive']} blocked ${r['blocked-uri']} in ${r['document-uri']}`);
        } catch {
          reports.push('unreadable CSP report');
        }
        res.writeHead(204).end();
      });
      return;
    }
    const [dir, rest] = path.startsWith(PULSE_PATH) ? [DIST, path.slice(PULSE_PATH.length)] : [SHOP, path.slice(1) || 'index.html'];
    const file = normalize(join(dir, rest));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    if (options.csp) res.setHeader('Content-Security-Policy', options.csp);
    // The same policy again, report-only, so the enforced header stays exactly the
    // documented one while every violation (the worker's included) reaches REPORT_PATH.
    if (options.csp && options.reportViolations) res.setHeader('Content-Security-Policy-Report-Only', `${options.csp}; report-uri ${REPORT_PATH}`);
    // The build's .br/.gz copies with Content-Encoding, hashed assets cached for a year, the
    // rest revalidated: what a shop's server (or CDN) would do with dist/.
    // With its query: `pulse/runtime.js?v=<hash>` is cached as the hashed file it is.
    sendFile(req, res, file, path + requested.search);
  });
  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    reports,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** The inline stub in every shop page must be byte-for-byte QUEUE_STUB, or its CSP hash is wrong. */
export function pagesUseTheStub(): string[] {
  return ['index.html', 'product.html', 'cart.html'].filter((page) => !readFileSync(join(SHOP, page), 'utf8').includes(`<script>${QUEUE_STUB}</script>`));
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const shop = await serveShop({ csp: strictPolicy(), port: Number(process.env.PORT ?? 5174) });
  console.log(`Reel Corner (example shop, strict CSP) at ${shop.url}`);
}
