/**
 * Where the example shop's first personal list spends its time, from navigation to the widget's
 * cards: one timeline per visit (seeded history, then a first and a second visit on the same
 * profile, as `npm run bench:page` does), merged from
 *   - the page: navigation and resource timing, when pulse.js replaced the queue stub, when the
 *     worker was created, each message to and from it, the widget's pulse:recommendations event;
 *   - the worker: its resource timing (model files, wasm) and its `pulse:*` User Timing marks
 *     (src/worker/worker.ts), moved onto the page's clock by the two time origins.
 * A bench, not a test: prints the table and fails only when it cannot measure.
 *
 *   npx vite build && npx tsx bench/boot-breakdown.ts [--backend wasm] [--runs 1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs } from '../e2e/harness.ts';
import { serveShop } from '../e2e/shop-server.ts';
import { installProbe, readMarks } from './page-probe.ts';

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'wasm' }, runs: { type: 'string', default: '1' } } });
const BACKEND = values.backend;
const HISTORY = ['1', '588', '364'].map((itemId) => ({ type: 'rating', itemId, value: 5 }));

interface Event {
  at: number;
  what: string;
  end?: number;
}

declare global {
  interface Window {
    bootEvents: Event[];
  }
}

async function launch(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, args: chromiumArgs({ webgpu: BACKEND === 'webgpu' }) });
}

/** Page-side events, recorded before any page script. */
async function instrument(page: Page): Promise<void> {
  await page.addInitScript((backend: string) => {
    const events: Event[] = [];
    window.bootEvents = events;
    const note = (what: string) => events.push({ at: performance.now(), what });
    // The bench's queue stub (init with the backend) and a trap for pulse.js replacing it.
    const stub = function (...args: unknown[]) {
      (stub.q = stub.q ?? []).push(args);
    } as ((...args: unknown[]) => void) & { q?: unknown[] };
    stub.q = [['init', { backend }]];
    let value: unknown = stub;
    Object.defineProperty(window, 'pulse', {
      configurable: true,
      get: () => value,
      set: (next: { loaded?: boolean }) => {
        if (next?.loaded) note('page: pulse.js evaluated (real pulse() installed)');
        value = next;
      },
    });
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        note('page: new Worker()');
        super(url, options);
        this.addEventListener('message', (event: MessageEvent) => {
          const data = event.data as { kind?: string; id?: number; status?: { state?: string; loadTimings?: Record<string, number> }; result?: { strategy?: string } };
          if (data?.kind === 'reply') note(`page: reply #${data.id}${data.result?.strategy ? ` (${data.result.strategy})` : ''}`);
          if (data?.kind === 'status' && data.status?.state === 'ready') note('page: status ready');
        });
      }
      override postMessage(message: unknown, ...rest: unknown[]): void {
        const m = message as { type?: string; id?: number };
        note(`page: post #${m.id} ${m.type}`);
        (super.postMessage as (...a: unknown[]) => void)(message, ...rest);
      }
    };
    document.addEventListener('pulse:recommendations', (event) => note(`page: pulse:recommendations (${(event as CustomEvent<{ strategy: string }>).detail.strategy})`));
    document.addEventListener('DOMContentLoaded', () => note('page: DOMContentLoaded'));
  }, BACKEND);
}

async function visit(dir: string, url: string, label: string): Promise<void> {
  const context = await launch(dir);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await installProbe(page, 'widget-event');
    await instrument(page);
    await page.goto(`${url}/product.html?id=2571`);
    await page.waitForFunction(() => window.benchMarks.firstPersonalMs !== null, null, { timeout: 300_000, polling: 100 });
    await page.waitForTimeout(500);
    const marks = await readMarks(page);
    const pageSide = await page.evaluate(() => ({
      origin: performance.timeOrigin,
      events: window.bootEvents,
      resources: performance.getEntriesByType('resource').map((e) => ({ at: e.startTime, end: (e as PerformanceResourceTiming).responseEnd, what: `page fetch ${new URL(e.name).pathname}` })),
      nav: (() => {
        const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
        return { responseEnd: n.responseEnd, domContentLoaded: n.domContentLoadedEventEnd };
      })(),
    }));
    const worker = page.workers()[0];
    const workerSide = worker
      ? await worker.evaluate(() => ({
          origin: performance.timeOrigin,
          entries: performance.getEntries().map((e) => ({ at: e.startTime, end: e.entryType === 'resource' ? (e as PerformanceResourceTiming).responseEnd : undefined, what: e.entryType === 'mark' ? `worker: ${e.name}` : `worker fetch ${e.name.replace(/^https?:\/\/[^/]+/, '')}` })),
        }))
      : { origin: pageSide.origin, entries: [] };
    const shift = workerSide.origin - pageSide.origin;
    const all: Event[] = [
      { at: 0, what: 'navigation start' },
      { at: pageSide.nav.responseEnd, what: 'page: product.html received' },
      ...pageSide.events,
      ...pageSide.resources,
      { at: shift, what: 'worker: time origin' },
      ...workerSide.entries.map((e) => ({ ...e, at: e.at + shift, ...(e.end !== undefined ? { end: e.end + shift } : {}) })),
      { at: marks.firstPersonalMs!, what: 'FIRST PERSONAL LIST ON SCREEN' },
    ].sort((a, b) => a.at - b.at);
    const t = marks.timings!;
    console.log(`\n### ${label}: first personal ${Math.round(marks.firstPersonalMs!)} ms; worker ranking (history+query+score) ${(t.historyMs + t.queryMs + t.scoreMs).toFixed(1)} ms = history ${t.historyMs.toFixed(1)} + query ${t.queryMs.toFixed(1)} + score ${t.scoreMs.toFixed(1)}; ratio ${(marks.firstPersonalMs! / (t.historyMs + t.queryMs + t.scoreMs)).toFixed(1)}×\n`);
    console.log('| at (ms) | until (ms) | event |\n| ---: | ---: | --- |');
    for (const e of all) console.log(`| ${Math.round(e.at)} | ${e.end !== undefined ? Math.round(e.end) : ''} | ${e.what} |`);
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const shop = await serveShop();
  console.log(`backend ${BACKEND}; 1-min load average ${loadavg()[0]!.toFixed(2)}`);
  try {
    for (let run = 1; run <= Number(values.runs); run++) {
      const dir = mkdtempSync(join(tmpdir(), 'pulse-boot-'));
      try {
        const context = await launch(dir);
        try {
          const page = context.pages()[0] ?? (await context.newPage());
          await page.goto(`${shop.url}/cart.html`);
          await page.waitForFunction(() => (window as unknown as { pulse?: { loaded?: boolean } }).pulse?.loaded, null, { timeout: 300_000 });
          await page.evaluate((events) => (window as unknown as { pulse: (c: string, ...a: unknown[]) => Promise<unknown> }).pulse('track', events), HISTORY);
        } finally {
          await context.close();
        }
        // Cleared in a launch that runs no Pulse, as bench/page.ts does: no seed load lands after it.
        const clearing = await launch(dir);
        try {
          const page = clearing.pages()[0] ?? (await clearing.newPage());
          await page.goto(`${shop.url}/shop.css`);
          await page.evaluate(async () => {
            for (const name of await caches.keys()) await caches.delete(name);
          });
          await (await clearing.newCDPSession(page)).send('Network.clearBrowserCache');
        } finally {
          await clearing.close();
        }
        await visit(dir, shop.url, `run ${run}, first visit`);
        await visit(dir, shop.url, `run ${run}, second visit`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await shop.close();
  }
  console.log(`\n1-min load average after: ${loadavg()[0]!.toFixed(2)}`);
}

await main();
