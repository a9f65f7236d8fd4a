/**
 * Shared set-up for browser tests: a production build served by `vite preview` on
 * 127.0.0.1, and Debian's Chromium driven by playwright-core with WebGPU enabled.
 * Every page records its requests and console errors so tests can assert that nothing
 * left the machine and nothing went wrong quietly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import type { PulseClient } from '../src/client/api.ts';

declare global {
  interface Window {
    /** The demo exposes its ready client here for tests and outside checks. */
    pulse: PulseClient;
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags from PLATFORM.md: WebGPU on SwiftShader, and no background calls to the outside. */
export function chromiumArgs(options: { webgpu?: boolean } = {}): string[] {
  const args = [
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ];
  if (options.webgpu !== false) args.push('--enable-unsafe-webgpu');
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return args;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serveBuild(): Promise<Served> {
  const server: PreviewServer = await preview({
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL (was `vite build` run?)');
  return { url: url.replace(/\/$/, ''), close: () => server.close() };
}

export interface Session {
  browser: Browser;
  context: BrowserContext;
  /** Every URL any page requested. */
  requests: string[];
  /** Console errors and uncaught page errors, with the page URL. */
  errors: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function openBrowser(options: { webgpu?: boolean } = {}): Promise<Session> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pulse-e2e-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs(options) });
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  };
  context.on('page', watch);
  // The context sees the requests of every page and of their workers.
  context.on('request', (request) => requests.push(request.url()));
  return {
    browser,
    context,
    requests,
    errors,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Requests to anything other than the local server (data: and blob: URLs are in-page). */
export function foreignRequests(requests: readonly string[]): string[] {
  return requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false;
    return new URL(u).hostname !== '127.0.0.1';
  });
}

/** Opens the demo and waits until the client is ready (or failed). */
export async function openDemo(page: Page, baseUrl: string, query = ''): Promise<void> {
  await page.goto(`${baseUrl}/${query}`);
  await page.waitForFunction(() => document.body.dataset.pulseState === 'ready' || document.body.dataset.pulseState === 'error', null, {
    timeout: 300_000,
  });
}
