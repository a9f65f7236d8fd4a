/**
 * `npm run bench`: ranking latency per catalog × tfjs backend, in headless Chromium, in a
 * module worker running the product's ranking code. Prints a markdown table and writes it,
 * with the raw numbers, to bench/results/ranking-<date>.{md,json}.
 *
 * Not a test: nothing here fails on a slow number. It fails only if it cannot measure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM, chromiumArgs } from '../e2e/harness.ts';
import type { BackendName } from '../src/core/types.ts';
import type { CaseResult, CaseSpec, CatalogName } from './protocol.ts';
import { ms, quantile } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
// .cache/ is gitignored; a folder of its own so the bench never touches the app's dist/.
const OUT_DIR = join(ROOT, '.cache', 'bench');
const RESULTS_DIR = join(import.meta.dirname, 'results');
const BACKENDS: readonly BackendName[] = ['cpu', 'wasm', 'webgpu'];
const CATALOGS: readonly CatalogName[] = ['movielens', 'synthetic-100k'];
const isBackend = (name: string): name is BackendName => (BACKENDS as readonly string[]).includes(name);
const isCatalog = (name: string): name is CatalogName => (CATALOGS as readonly string[]).includes(name);
/**
 * `npm run bench -- movielens wasm`: only the named catalogs and/or backends. A partial run
 * prints its table but writes no results file, so bench/results/ always holds full runs.
 */
const only = process.argv.slice(2);
const unknown = only.filter((a) => !isBackend(a) && !isCatalog(a));
if (unknown.length) throw new Error(`unknown argument(s) ${unknown.join(', ')}: expected ${[...CATALOGS, ...BACKENDS].join(', ')}`);
const pickedCatalogs = only.filter(isCatalog);
const pickedBackends = only.filter(isBackend);
/** If one case hangs (a wedged GPU process, a dead worker), stop rather than wait forever. */
const CASE_TIMEOUT_MS = 240_000;

/**
 * Runs per case, sized for a 2-core machine: the whole bench should take a few minutes.
 * The budget caps the timed runs of slow cases (WebGPU on SwiftShader at 100k items);
 * minRuns keeps a median meaningful even then.
 */
function specFor(catalog: CatalogName, backend: BackendName): CaseSpec {
  const big = catalog === 'synthetic-100k';
  const runs = big ? (backend === 'webgpu' ? 5 : 10) : 20;
  return { catalog, backend, runs, minRuns: big ? 3 : 5, budgetMs: big ? 20_000 : 15_000, k: 10, seed: 42 };
}

interface Row {
  result: CaseResult;
  medianMs: number;
  p90Ms: number;
  floorMs: number;
  ratio: number;
}

function toRow(result: CaseResult): Row {
  const medianMs = quantile(result.runsMs, 0.5);
  const floorMs = quantile(result.floorMs, 0.5);
  return { result, medianMs, p90Ms: quantile(result.runsMs, 0.9), floorMs, ratio: medianMs / floorMs };
}

function table(rows: readonly Row[]): string {
  const head = [
    'catalog',
    'items',
    'MB',
    'backend (actual)',
    'adapter',
    'first call ms',
    'median ms',
    'p90 ms',
    'runs',
    'floor ms',
    'ratio',
    'vs JS ref',
  ];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map((h, i) => (i === 0 || i === 3 || i === 4 || i === 11 ? '---' : '---:')).join(' | ')} |`];
  for (const { result: r, medianMs, p90Ms, floorMs, ratio } of rows) {
    const backend = r.backend === r.requested ? r.backend : `**${r.backend}** (asked ${r.requested})`;
    const adapter = r.adapter ? `${r.adapter.vendor}/${r.adapter.architecture}${r.adapter.isFallbackAdapter ? ' (fallback)' : ''}` : '—';
    const check = `${r.topKMatches ? 'top-10 same' : '**top-10 differs**'}, max Δ ${r.maxAbsDiff.toExponential(1)}`;
    lines.push(
      `| ${[
        r.catalog.name + (r.catalog.source === 'random' && r.catalog.name === 'movielens' ? ' (random rows)' : ''),
        String(r.catalog.items),
        (r.catalog.matrixBytes / 1e6).toFixed(1),
        backend,
        adapter,
        ms(r.firstCallMs),
        ms(medianMs),
        ms(p90Ms),
        String(r.runsMs.length),
        ms(floorMs),
        `${ratio.toFixed(1)}×`,
        check,
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  // Other work on a 2-core machine moves every number; the load average says how much there was.
  const loadBefore = loadavg()[0]!;
  const log = (message: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)}s] ${message}\n`);

  log(`building bench/ranking.html into ${OUT_DIR}`);
  // configFile: false — the app's config builds index.html and copies models/; the bench
  // needs neither, only the same worker format and an unminified wasm backend (PLATFORM.md).
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      minify: false,
      outDir: OUT_DIR,
      emptyOutDir: true,
      chunkSizeWarningLimit: 8192,
      rolldownOptions: { input: { ranking: join(ROOT, 'bench', 'ranking.html') } },
    },
  });

  const server = await preview({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: { outDir: OUT_DIR },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const base = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!base) throw new Error('vite preview did not report a URL');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs({ webgpu: true }) });
  const errors: string[] = [];
  const foreign: string[] = [];
  const rows: Row[] = [];
  const failures: string[] = [];
  let chromiumVersion = browser.version();
  let hardwareConcurrency = 0;
  let userAgent = '';
  try {
    const context = await browser.newContext();
    context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).hostname !== '127.0.0.1') foreign.push(url);
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(`console.${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    await page.goto(`${base}/bench/ranking.html`);
    await page.waitForFunction(() => document.body.dataset.benchState === 'ready', null, { timeout: 60_000 });
    ({ hardwareConcurrency, userAgent } = await page.evaluate(() => ({
      hardwareConcurrency: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
    })));
    chromiumVersion = browser.version();

    for (const catalog of pickedCatalogs.length ? pickedCatalogs : CATALOGS) {
      for (const backend of pickedBackends.length ? pickedBackends : BACKENDS) {
        const spec = specFor(catalog, backend);
        log(`${catalog} × ${backend}: up to ${spec.runs} runs`);
        let timer: NodeJS.Timeout | undefined;
        try {
          const result = await Promise.race([
            page.evaluate((s) => window.bench!.run(s), spec),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer in ${CASE_TIMEOUT_MS / 1000} s`)), CASE_TIMEOUT_MS);
            }),
          ]);
          const row = toRow(result);
          rows.push(row);
          log(
            `  → ${result.backend}: first ${ms(result.firstCallMs)} ms, median ${ms(row.medianMs)} ms over ${result.runsMs.length}, floor ${ms(row.floorMs)} ms` +
              (result.catalog.note ? ` (${result.catalog.note})` : ''),
          );
        } catch (error) {
          const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
          failures.push(`${catalog} × ${backend}: ${message}`);
          log(`  ✗ ${message}`);
          // A timed-out worker is still busy; later cases would only queue behind it.
          if (message.startsWith('no answer')) break;
        } finally {
          clearTimeout(timer);
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const loadAfter = loadavg()[0]!;
  const date = new Date().toISOString().slice(0, 10);
  const notes: string[] = [];
  for (const { result: r } of rows) {
    if (r.backend !== r.requested) notes.push(`${r.catalog.name}: asked for ${r.requested}, got ${r.backend} — ${r.fallbackReasons.join('; ')}`);
  }
  const catalogNotes = new Map(rows.map(({ result: r }) => [r.catalog.name, r.catalog]));
  for (const c of catalogNotes.values()) {
    notes.push(`${c.name}: ${c.items} × ${c.dims} float32, rows from ${c.source}${c.note ? ` (${c.note})` : ''}, prepared in ${ms(c.prepareMs)} ms`);
  }
  notes.push(...failures.map((f) => `FAILED ${f}`));
  if (foreign.length) notes.push(`requests off 127.0.0.1: ${[...new Set(foreign)].join(', ')}`);
  notes.push(...[...new Set(errors)].map((e) => `page ${e}`));

  const header = [
    `Ranking benchmark ${date} · Chromium ${chromiumVersion} · ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}; hardwareConcurrency ${hardwareConcurrency}) · Node ${process.version}`,
    `1-minute load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (anything near or above ${cpus().length} means the runs competed for the CPUs).`,
    '',
    'One run = `score(query, 0.1)` (matrix–vector product over all items + popularity prior + readback) + `topK(10)`, in a module worker.',
    'Floor = a plain JS loop summing the same n×d Float32Array; ratio = median / floor.',
    'WebGPU here is SwiftShader (Vulkan emulated on the CPU): its rows prove correctness, not speed.',
  ].join('\n');
  const body = `${header}\n\n${table(rows)}\n${notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
  process.stdout.write(`${body}\n`);

  if (only.length) {
    log(`partial run (${only.join(' ')}): no results file written`);
    return;
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stem = join(RESULTS_DIR, `ranking-${date}`);
  writeFileSync(`${stem}.md`, `# Ranking benchmark — ${date}\n\nWritten by \`npm run bench\` (bench/ranking.ts); see bench/README.md for how to read it.\n\n${body}`);
  writeFileSync(
    `${stem}.json`,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        chromium: chromiumVersion,
        userAgent,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? null,
        hardwareConcurrency,
        node: process.version,
        loadAverage: { before: loadBefore, after: loadAfter },
        cases: rows.map(({ result, medianMs, p90Ms, floorMs, ratio }) => ({ ...result, medianMs, p90Ms, floorMedianMs: floorMs, ratio })),
        failures,
        foreignRequests: [...new Set(foreign)],
        pageMessages: [...new Set(errors)],
        wallSeconds: (performance.now() - t0) / 1000,
      },
      null,
      2,
    )}\n`,
  );
  log(`wrote ${stem}.md and .json in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (rows.length === 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
