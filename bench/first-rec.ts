/**
 * Time to the first personal recommendation, on the demo and on the example shop's product
 * page, in headless Chromium on wasm (no WebGPU): a page with a history is opened afresh and
 * timed from navigation until the personal list is on screen. Also counts the bytes and
 * requests before that moment, any file fetched twice, and the main thread's long tasks up to
 * `--settle` seconds after it. Numbers, not a test (a small piece that `npm run bench:page`
 * can fold in).
 *
 *   npx vite build && npx tsx bench/first-rec.ts [--runs 2] [--settle 20]
 */
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { openBrowser, serveBuild } from '../e2e/harness.ts';
import { serveShop } from '../e2e/shop-server.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '2' }, settle: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const SETTLE_MS = Number(values.settle) * 1000;
const HISTORY = ['1', '588', '364'].map((itemId) => ({ type: 'rating', itemId, value: 5 }));

interface Marks {
  firstPersonal: number | null;
  longTasks: { start: number; duration: number }[];
}

/** Before any page script: record long tasks and the moment the first personal list shows. */
async function instrument(page: Page): Promise<void> {
  // tsx names functions with an `__name` helper that the page's copy of this script cannot see.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(() => {
    const w = window as unknown as { benchMarks: Marks };
    w.benchMarks = { firstPersonal: null, longTasks: [] };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.benchMarks.longTasks.push({ start: Math.round(entry.startTime), duration: Math.round(entry.duration) });
    }).observe({ type: 'longtask', buffered: true });
    const mark = () => {
      if (w.benchMarks.firstPersonal === null) w.benchMarks.firstPersonal = performance.now();
    };
    // The example shop's widget says so with an event; the demo's rail with an attribute.
    document.addEventListener('pulse:recommendations', (event) => {
      if ((event as CustomEvent<{ strategy: string }>).detail.strategy === 'personal') mark();
    });
    // Polled each frame (a few ms late at worst): robust to how the rail updates its DOM.
    const poll = () => {
      if (document.querySelector('#recs[data-strategy="personal"] li.rec')) mark();
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}

interface Row {
  page: string;
  firstPersonalMs: number;
  requestsBefore: number;
  bytesBefore: number;
  bytesTotal: number;
  twice: string[];
  longTasks: string;
}

async function measure(page: Page, url: string, label: string, ready: () => Promise<void>): Promise<Row> {
  const fetched: { url: string; at: number; bytes: number; method: string }[] = [];
  const onDone = async (request: import('playwright-core').Request) => {
    const sizes = await request.sizes().catch(() => null);
    fetched.push({ url: request.url(), at: Date.now(), bytes: sizes?.responseBodySize ?? 0, method: request.method() });
  };
  page.context().on('requestfinished', onDone);
  const start = Date.now();
  await page.goto(url);
  await ready();
  await page.waitForFunction(() => (window as unknown as { benchMarks: Marks }).benchMarks.firstPersonal !== null, null, { timeout: 300_000 });
  const shownAt = Date.now();
  await page.waitForTimeout(SETTLE_MS);
  page.context().off('requestfinished', onDone);
  const marks = await page.evaluate(() => (window as unknown as { benchMarks: Marks }).benchMarks);
  const gets = fetched.filter((f) => f.method === 'GET' && !f.url.startsWith('data:'));
  const counts = new Map<string, number>();
  for (const f of gets) counts.set(f.url, (counts.get(f.url) ?? 0) + 1);
  const before = gets.filter((f) => f.at <= shownAt);
  void start;
  return {
    page: label,
    firstPersonalMs: Math.round(marks.firstPersonal!),
    requestsBefore: before.length,
    bytesBefore: before.reduce((a, f) => a + f.bytes, 0),
    bytesTotal: gets.reduce((a, f) => a + f.bytes, 0),
    twice: [...counts].filter(([, n]) => n > 1).map(([u, n]) => `${new URL(u).pathname} ×${n}`),
    longTasks: marks.longTasks.map((t) => `${t.duration}@${t.start}`).join(' ') || '—',
  };
}

const MB = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
  const server = await serveBuild();
  const shop = await serveShop();
  const rows: Row[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      // A fresh browser per run: nothing cached from the run before (first visit).
      const session = await openBrowser({ webgpu: false });
      try {
        const demo = await session.newPage();
        await demo.goto(`${server.url}/`);
        await demo.waitForFunction(() => document.body.dataset.pulseState === 'ready', null, { timeout: 300_000 });
        await demo.evaluate(async (events) => {
          await window.pulse.forget();
          await window.pulse.track(events as never);
        }, HISTORY);
        await demo.close();
        const timed = await session.newPage();
        await instrument(timed);
        rows.push(await measure(timed, `${server.url}/`, 'demo', async () => {}));
        await timed.close();
      } finally {
        await session.close();
      }
      const shopSession = await openBrowser({ webgpu: false });
      try {
        const product = await shopSession.newPage();
        await product.goto(`${shop.url}/cart.html`);
        await product.waitForFunction(() => (window as unknown as { pulse?: { loaded?: boolean } }).pulse?.loaded, null, { timeout: 300_000 });
        await product.evaluate((events) => (window as unknown as { pulse: (c: string, ...a: unknown[]) => Promise<unknown> }).pulse('track', events), HISTORY);
        await product.close();
        const timed = await shopSession.newPage();
        await instrument(timed);
        rows.push(await measure(timed, `${shop.url}/product.html?id=2571`, 'shop product', async () => {}));
        await timed.close();
      } finally {
        await shopSession.close();
      }
    }
  } finally {
    await shop.close();
    await server.close();
  }
  console.log('| page | nav → first personal rec | requests before | bytes before | bytes in all (+settle) | fetched twice | long tasks (ms@ms) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(`| ${r.page} | ${r.firstPersonalMs} ms | ${r.requestsBefore} | ${MB(r.bytesBefore)} | ${MB(r.bytesTotal)} | ${r.twice.join(', ') || '—'} | ${r.longTasks} |`);
}

await main();
