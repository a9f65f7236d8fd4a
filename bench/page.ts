/**
 * `npm run bench:page`: what a shopper's browser spends before and around the first personal
 * recommendation, on the demo (the build served by `vite preview`, as `npm start` serves it) and
 * on the example shop's product page (e2e/shop-server.ts), in headless Debian Chromium.
 *
 * Each run, per page and backend, uses one fresh persistent profile (a temp user-data-dir):
 *   1. seed: a visit that stores the history through Pulse's own API, then drops Cache Storage
 *      and the HTTP cache (CDP Network.clearBrowserCache), so that what follows is a first visit
 *      with a history (a returning shopper on a new release, or with cleared caches);
 *   2. first visit: the browser relaunched on that profile, timed from navigation;
 *   3. second visit: relaunched again on the same profile: HTTP cache and the model cache
 *      (Cache Storage, src/worker/asset-cache.ts) as the first visit left them.
 * Each visit is watched until `--settle` seconds after the first personal list (the window of
 * issue 10's long-task target). Backends are forced with the project's own option: the demo's
 * `?backend=`, the shop's `pulse('init', {backend})` queued before pulse.js runs. wasm rows run
 * without --enable-unsafe-webgpu (a device without WebGPU); webgpu rows with it (SwiftShader).
 *
 * A bench, not a test: it fails only when it cannot measure.
 *
 *   npx vite build && npm run bench:page -- [--runs 3] [--settle 30] [--pages demo,shop] [--backends wasm,webgpu] [--name page-YYYY-MM-DD]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, chromiumArgs, serveBuild } from '../e2e/harness.ts';
import { PULSE_PATH, serveShop } from '../e2e/shop-server.ts';
import { biggest, fetchedTwice, recordRequests, traffic, type Fetched, type FileOf, type Traffic } from './page-network.ts';
import { installProbe, readMarks, type LongTask, type PersonalSignal } from './page-probe.ts';
import { formatTable, type Row } from './page-report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const SHOP = join(ROOT, 'e2e', 'shop');
const TODAY = new Date().toISOString().slice(0, 10);

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    settle: { type: 'string', default: '30' },
    pages: { type: 'string', default: 'demo,shop' },
    backends: { type: 'string', default: 'wasm,webgpu' },
    name: { type: 'string', default: `page-${TODAY}` },
    'no-write': { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const SETTLE_MS = Number(values.settle) * 1000;
const BACKENDS = values.backends.split(',') as ('wasm' | 'webgpu')[];
const PAGES = values.pages.split(',') as ('demo' | 'shop')[];
/** Three five-star ratings, ids present in both the demo's and the shop's catalog. */
const HISTORY = ['1', '588', '364'].map((itemId) => ({ type: 'rating', itemId, value: 5 }));
const FIRST_REC_TIMEOUT_MS = 300_000;

interface Target {
  page: 'demo' | 'shop';
  /** A URL on the page's origin that runs no Pulse: where the seed's caches are cleared. */
  quiet: string;
  signal: PersonalSignal;
  fileOf: FileOf;
  seed(page: Page): Promise<void>;
  visit(page: Page, backend: string): Promise<void>;
}

function inside(dir: string, rest: string): string | null {
  const file = normalize(join(dir, rest));
  return file.startsWith(dir) ? file : null;
}

function demoTarget(url: string): Target {
  return {
    page: 'demo',
    quiet: `${url}/models/files.json`,
    signal: 'demo-rail',
    fileOf: (u) => inside(DIST, decodeURIComponent(u.pathname) === '/' ? 'index.html' : decodeURIComponent(u.pathname)),
    async seed(page) {
      await page.goto(`${url}/?backend=wasm&slm=off`);
      await page.waitForFunction(() => document.body.dataset.pulseState === 'ready', null, { timeout: FIRST_REC_TIMEOUT_MS });
      await page.evaluate((events) => window.pulse.track(events as never), HISTORY);
    },
    async visit(page, backend) {
      await page.goto(`${url}/?backend=${backend}`);
    },
  };
}

function shopTarget(url: string): Target {
  return {
    page: 'shop',
    quiet: `${url}/shop.css`,
    signal: 'widget-event',
    fileOf: (u) => {
      const path = decodeURIComponent(u.pathname);
      return path.startsWith(PULSE_PATH) ? inside(DIST, path.slice(PULSE_PATH.length)) : inside(SHOP, path.slice(1) || 'index.html');
    },
    async seed(page) {
      await page.goto(`${url}/cart.html`);
      await page.waitForFunction(() => (window as unknown as { pulse?: { loaded?: boolean } }).pulse?.loaded, null, { timeout: FIRST_REC_TIMEOUT_MS });
      await page.evaluate((events) => (window as unknown as { pulse: (c: string, ...a: unknown[]) => Promise<unknown> }).pulse('track', events), HISTORY);
    },
    async visit(page, backend) {
      // The page's own stub keeps an existing queue (`window.pulse || …`): init runs first.
      await page.addInitScript((b) => {
        const w = window as unknown as { pulse: { q?: unknown[] } };
        const stub = function (...args: unknown[]) {
          (stub.q = stub.q ?? []).push(args);
        } as ((...args: unknown[]) => void) & { q?: unknown[] };
        stub.q = [['init', { backend: b }]];
        w.pulse = stub;
      }, backend);
      await page.goto(`${url}/product.html?id=2571`);
    },
  };
}

async function launch(dir: string, backend: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: chromiumArgs({ webgpu: backend === 'webgpu' }),
    viewport: { width: 1360, height: 900 },
  });
}

export interface Visit {
  page: 'demo' | 'shop';
  backend: string;
  visit: 'first' | 'second';
  run: number;
  /** Navigation → first personal list on screen (performance.now() at that moment). */
  firstPersonalMs: number;
  /** The worker's history + query + score time for that list (RecommendTimings). */
  rankingMs: number;
  workerTotalMs: number;
  resultBackend: string | null;
  before: Traffic;
  total: Traffic;
  twice: string[];
  biggestBefore: ReturnType<typeof biggest>;
  longTasks: LongTask[];
  errors: string[];
  fetched: Fetched[];
}

async function timedVisit(dir: string, target: Target, backend: string, visit: 'first' | 'second', run: number): Promise<Visit> {
  const context = await launch(dir, backend);
  const errors: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await installProbe(page, target.signal);
    const recorder = recordRequests(context, target.fileOf);
    await target.visit(page, backend);
    await page.waitForFunction(() => window.benchMarks.firstPersonalMs !== null, null, { timeout: FIRST_REC_TIMEOUT_MS, polling: 100 });
    await page.waitForTimeout(SETTLE_MS);
    const marks = await readMarks(page);
    const fetched = await recorder.stop();
    const shownAt = marks.firstPersonalEpochMs!;
    const before = fetched.filter((f) => f.endEpochMs <= shownAt);
    const t = marks.timings;
    return {
      page: target.page,
      backend,
      visit,
      run,
      firstPersonalMs: Math.round(marks.firstPersonalMs!),
      rankingMs: t ? t.historyMs + t.queryMs + t.scoreMs : Number.NaN,
      workerTotalMs: t ? t.totalMs : Number.NaN,
      resultBackend: marks.backend,
      before: traffic(before),
      total: traffic(fetched),
      twice: fetchedTwice(fetched),
      biggestBefore: biggest(before),
      longTasks: marks.longTasks.filter((task) => task.startMs <= marks.firstPersonalMs! + SETTLE_MS),
      errors,
      fetched,
    };
  } finally {
    await context.close();
  }
}

async function seed(dir: string, target: Target): Promise<void> {
  const seeding = await launch(dir, 'wasm');
  try {
    await target.seed(seeding.pages()[0] ?? (await seeding.newPage()));
  } finally {
    await seeding.close();
  }
  // Cleared in a second launch that runs no Pulse: the seed visit's own model loads (its widget
  // starts them) were ended by closing it, so none lands in a cache after the clear and turns
  // the "first visit" into a partly cached one.
  const context = await launch(dir, 'wasm');
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(target.quiet);
    await page.evaluate(async () => {
      for (const name of await caches.keys()) await caches.delete(name);
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.clearBrowserCache');
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  const demo = PAGES.includes('demo') ? await serveBuild() : null;
  const shop = PAGES.includes('shop') ? await serveShop() : null;
  const targets = [demo && demoTarget(demo.url), shop && shopTarget(shop.url)].filter((t): t is Target => t !== null);
  const visits: Visit[] = [];
  const started = new Date().toISOString();
  const load = [loadavg()[0]!];
  try {
    for (let run = 1; run <= RUNS; run++) {
      for (const target of targets) {
        for (const backend of BACKENDS) {
          const dir = mkdtempSync(join(tmpdir(), 'pulse-bench-page-'));
          try {
            await seed(dir, target);
            for (const visit of ['first', 'second'] as const) {
              const v = await timedVisit(dir, target, backend, visit, run);
              visits.push(v);
              console.error(
                `run ${run} ${v.page} ${backend} ${visit}: ${v.firstPersonalMs} ms, ranking ${v.rankingMs.toFixed(1)} ms, before ${(v.before.transferred / 1e3).toFixed(0)} KB / ${v.before.requests} req, total ${(v.total.transferred / 1e6).toFixed(1)} MB, long tasks ${v.longTasks.length}${v.twice.length ? `, twice: ${v.twice.join(' ')}` : ''}`,
              );
            }
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
          load.push(loadavg()[0]!);
        }
      }
    }
  } finally {
    await shop?.close();
    await demo?.close();
  }
  const rows: Row[] = [];
  for (const target of targets) for (const backend of BACKENDS) for (const visit of ['first', 'second'] as const) {
    rows.push({ page: target.page, backend, visit, visits: visits.filter((v) => v.page === target.page && v.backend === backend && v.visit === visit) });
  }
  const command = `npm run bench:page -- --runs ${RUNS} --settle ${SETTLE_MS / 1000} --pages ${PAGES.join(',')} --backends ${BACKENDS.join(',')}`;
  const markdown = formatTable(rows, { command, started, load, settleS: SETTLE_MS / 1000 });
  console.log(markdown);
  if (!values['no-write']) {
    const dir = join(ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${values.name}.md`), markdown);
    writeFileSync(join(dir, `${values.name}.json`), `${JSON.stringify({ command, started, loadAverage: load, settleS: SETTLE_MS / 1000, history: HISTORY, visits }, null, 1)}\n`);
    console.error(`wrote bench/results/${values.name}.md and .json`);
  }
}

await main();
