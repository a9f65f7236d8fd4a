/**
 * Main-thread long tasks (> 50 ms) on the demo and on the example shop's product page with a
 * history, each with what dominated it, from a Chrome performance trace (devtools.timeline +
 * the V8 sampling profiler) recorded from navigation to `--settle` seconds after the first
 * personal recommendation. Headless Chromium on wasm. Numbers, not a test.
 *
 *   npx vite build && npx tsx bench/long-tasks.ts [--runs 1] [--settle 30] [--only demo|shop] [--keep out/]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { openBrowser, serveBuild } from '../e2e/harness.ts';
import { serveShop } from '../e2e/shop-server.ts';
import { formatTask, longTasks, type TraceEvent } from './trace-long-tasks.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    settle: { type: 'string', default: '30' },
    only: { type: 'string' },
    keep: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const SETTLE_MS = Number(values.settle) * 1000;
const HISTORY = ['1', '588', '364'].map((itemId) => ({ type: 'rating', itemId, value: 5 }));
const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'blink.user_timing',
  'loading',
].join(',');

/** The PerformanceObserver's own view, as the issue measured it (a cross-check of the trace). */
async function observeLongTasks(page: Page): Promise<void> {
  // tsx names functions with an `__name` helper that the page's copy of this script cannot see.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(() => {
    const w = window as unknown as { observedLongTasks: string[] };
    w.observedLongTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.observedLongTasks.push(`${Math.round(e.duration)}@${Math.round(e.startTime)}`);
    }).observe({ type: 'longtask', buffered: true });
    document.addEventListener('pulse:recommendations', (event) => {
      if ((event as CustomEvent<{ strategy: string }>).detail.strategy === 'personal') (window as unknown as { personalShown: boolean }).personalShown = true;
    });
  });
}

async function traced(browser: Browser, page: Page, url: string, personal: string, label: string): Promise<void> {
  await observeLongTasks(page);
  await browser.startTracing(page, { categories: CATEGORIES.split(',') });
  const start = Date.now();
  await page.goto(url);
  await page.waitForFunction(personal, null, { timeout: 300_000, polling: 250 });
  const shownMs = Date.now() - start;
  await page.waitForTimeout(SETTLE_MS);
  const buffer = await browser.stopTracing();
  const observed = await page.evaluate(() => (window as unknown as { observedLongTasks: string[] }).observedLongTasks);
  if (values.keep) {
    mkdirSync(values.keep, { recursive: true });
    writeFileSync(join(values.keep, `${label.replace(/\W+/g, '-')}.json`), buffer);
  }
  const trace = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
  const tasks = longTasks(trace.traceEvents);
  console.log(`\n### ${label}: first personal list after ≈${shownMs} ms, then ${SETTLE_MS / 1000} s`);
  console.log(`PerformanceObserver longtask (ms@ms): ${observed.join(' ') || '—'}`);
  console.log(`trace: ${tasks.length} main-thread tasks > 50 ms`);
  for (const task of tasks) console.log(`- ${formatTask(task)}`);
}

const DEMO_PERSONAL = `document.querySelector('#recs[data-strategy="personal"] li.rec') !== null`;
/** The widget says it with an event (recorded by observeLongTasks' init script). */
const SHOP_PERSONAL = `window.personalShown === true`;

async function main(): Promise<void> {
  const server = await serveBuild();
  const shop = await serveShop();
  try {
    for (let run = 1; run <= RUNS; run++) {
      if (values.only !== 'shop') {
        const session = await openBrowser({ webgpu: false });
        try {
          const seed = await session.newPage();
          await seed.goto(`${server.url}/`);
          await seed.waitForFunction(() => document.body.dataset.pulseState === 'ready', null, { timeout: 300_000 });
          await seed.evaluate(async (events) => {
            await window.pulse.forget();
            await window.pulse.track(events as never);
          }, HISTORY);
          await seed.close();
          await traced(session.browser, await session.newPage(), `${server.url}/`, DEMO_PERSONAL, `demo run ${run}`);
        } finally {
          await session.close();
        }
      }
      if (values.only !== 'demo') {
        const session = await openBrowser({ webgpu: false });
        try {
          // The cart page tracks without starting the worker: the product page is the first to rank.
          const seed = await session.newPage();
          await seed.goto(`${shop.url}/cart.html`);
          await seed.waitForFunction(() => (window as unknown as { pulse?: { loaded?: boolean } }).pulse?.loaded, null, { timeout: 300_000 });
          await seed.evaluate((events) => (window as unknown as { pulse: (c: string, ...a: unknown[]) => Promise<unknown> }).pulse('track', events), HISTORY);
          await seed.close();
          await traced(session.browser, await session.newPage(), `${shop.url}/product.html?id=2571`, SHOP_PERSONAL, `shop product run ${run}`);
        } finally {
          await session.close();
        }
      }
    }
  } finally {
    await shop.close();
    await server.close();
  }
}

await main();
