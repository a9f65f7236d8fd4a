/**
 * `npm run bench:slm [-- <model folder> …]`: the SLM in headless Chromium, in a module
 * worker running the product's code — load time and bytes, time to first token and
 * tokens/s of greedy decoding — on wasm (q8, fp32) and WebGPU (fp32). Prints a markdown
 * table and writes it, with the raw numbers, to bench/results/slm-<date>.{md,json}.
 *
 * WebGPU on a machine without a GPU is SwiftShader, a CPU emulation: its numbers prove the
 * path works and say nothing about WebGPU speed. The table says so whenever it applies.
 * Not a test: nothing fails on a slow number, only when nothing can be measured.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM, chromiumArgs } from '../e2e/harness.ts';
import type { CatalogItem, PulseEvent } from '../src/core/types.ts';
import { buildPreferenceMessages } from '../src/slm/prompt.ts';
import type { SlmDevice, SlmDtype } from '../src/slm/slm-types.ts';
import { DTYPE_SUFFIX } from '../src/slm/dtype-choice.ts';
import type { SlmCaseResult, SlmCaseSpec } from './slm-protocol.ts';

const ROOT = resolve(import.meta.dirname, '..');
const MODELS = join(ROOT, 'models');
const OUT_DIR = join(ROOT, '.cache', 'bench-slm');
const RESULTS_DIR = join(import.meta.dirname, 'results');
const CASES: ReadonlyArray<{ device: SlmDevice; dtype: SlmDtype }> = [
  { device: 'wasm', dtype: 'q8' },
  { device: 'wasm', dtype: 'fp32' },
  { device: 'webgpu', dtype: 'fp32' },
];
const RUNS = 5;
const MAX_NEW_TOKENS = 64;
const CASE_TIMEOUT_MS = 300_000;

/** A fixed history (Toy Story, Aladdin, The Lion King, Finding Nemo liked; a horror film disliked). */
const HISTORY: PulseEvent[] = [
  { type: 'rating', itemId: '1', value: 5, ts: 1_000 },
  { type: 'rating', itemId: '588', value: 5, ts: 2_000 },
  { type: 'rating', itemId: '364', value: 4, ts: 3_000 },
  { type: 'view', itemId: '6377', ts: 4_000 },
  { type: 'rating', itemId: '1387', value: 1, ts: 5_000 },
];

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const f = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

/** Decode speed after the first token: (tokens − 1) / (total − first-token time). */
function tokensPerSecond(r: SlmCaseResult): number {
  const rates = r.totalMs.map((total, i) => (r.newTokens[i]! - 1) / ((total - r.firstTokenMs[i]!) / 1000));
  return median(rates);
}

function table(results: readonly SlmCaseResult[]): string {
  const head = ['model', 'device', 'dtype', 'adapter', 'bytes (MB)', 'load ms (download + compile)', 'prompt tok', 'TTFT ms (median)', 'tokens/s (median)', 'new tok', 'greedy text (first 60 chars)'];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of results) {
    const adapter = r.adapter ? `${r.adapter.vendor}/${r.adapter.architecture}${r.adapter.isFallbackAdapter ? ' (fallback: CPU emulation)' : ''}` : '—';
    lines.push(
      `| ${[
        r.spec.model,
        r.spec.device,
        r.spec.dtype,
        adapter,
        f(r.load.bytes / 1e6, 2),
        `${f(r.load.totalMs)} (${f(r.load.downloadMs)} + ${f(r.load.compileMs)})`,
        String(r.promptTokens),
        f(median(r.firstTokenMs)),
        f(tokensPerSecond(r), 1),
        String(median(r.newTokens)),
        JSON.stringify(r.text.slice(0, 60)).replace(/\|/g, '\\|'),
      ].join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const loadBefore = loadavg()[0]!;
  const log = (message: string) => process.stderr.write(`[bench:slm ${((performance.now() - t0) / 1000).toFixed(0)}s] ${message}\n`);
  const models = process.argv.slice(2).length ? process.argv.slice(2) : ['pulse-slm'];
  for (const model of models) if (!existsSync(join(MODELS, model, 'config.json'))) throw new Error(`models/${model}/config.json not found`);

  const catalog = JSON.parse(readFileSync(join(ROOT, 'public', 'catalog', 'movielens.json'), 'utf8')) as CatalogItem[];
  const byId = new Map(catalog.map((item) => [item.id, item]));
  const messages = buildPreferenceMessages(HISTORY, (id) => byId.get(id));

  log(`building bench/slm.html into ${OUT_DIR}`);
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    worker: { format: 'es' },
    optimizeDeps: { exclude: ['onnxruntime-web', '@huggingface/transformers'] },
    build: { target: 'es2022', minify: false, outDir: OUT_DIR, emptyOutDir: true, chunkSizeWarningLimit: 8192, rolldownOptions: { input: { slm: join(ROOT, 'bench', 'slm.html') } } },
  });
  const server = await preview({ configFile: false, root: ROOT, logLevel: 'warn', build: { outDir: OUT_DIR }, preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const base = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!base) throw new Error('vite preview did not report a URL');

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: chromiumArgs({ webgpu: true }) });
  const results: SlmCaseResult[] = [];
  const failures: string[] = [];
  const foreign: string[] = [];
  try {
    const context = await browser.newContext();
    context.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).hostname !== '127.0.0.1') foreign.push(url);
    });
    // The model files, straight from models/ (the app's Vite plugin is not part of this build).
    await context.route('**/models/**', (route) => {
      const path = normalize(join(MODELS, decodeURIComponent(new URL(route.request().url()).pathname.slice('/models/'.length))));
      if (!path.startsWith(MODELS) || !existsSync(path)) return route.fulfill({ status: 404, body: '' });
      return route.fulfill({ status: 200, body: readFileSync(path), contentType: path.endsWith('.json') ? 'application/json' : 'application/octet-stream' });
    });
    const page = await context.newPage();
    await page.goto(`${base}/bench/slm.html`);
    await page.waitForFunction(() => document.body.dataset.benchState === 'ready', null, { timeout: 60_000 });
    for (const model of models) {
      for (const { device, dtype } of CASES) {
        if (!existsSync(join(MODELS, model, 'onnx', `model${DTYPE_SUFFIX[dtype]}.onnx`))) {
          log(`${model} ${device} ${dtype}: no onnx/model${DTYPE_SUFFIX[dtype]}.onnx, skipped`);
          continue;
        }
        const spec: SlmCaseSpec = { model, device, dtype, runs: RUNS, maxNewTokens: MAX_NEW_TOKENS, messages };
        log(`${model} × ${device} × ${dtype}: load + ${RUNS} greedy runs of ≤ ${MAX_NEW_TOKENS} tokens`);
        let timer: NodeJS.Timeout | undefined;
        try {
          const result = await Promise.race([
            page.evaluate((s) => window.slmBench!.run(s), spec),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer in ${CASE_TIMEOUT_MS / 1000} s`)), CASE_TIMEOUT_MS);
            }),
          ]);
          results.push(result);
          log(`  → load ${f(result.load.totalMs)} ms, TTFT ${f(median(result.firstTokenMs))} ms, ${f(tokensPerSecond(result), 1)} tokens/s`);
        } catch (error) {
          const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
          failures.push(`${model} × ${device} × ${dtype}: ${message}`);
          log(`  ✗ ${message}`);
        } finally {
          clearTimeout(timer);
        }
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  if (results.length === 0) throw new Error(`nothing measured: ${failures.join('; ')}`);

  const emulated = results.some((r) => r.adapter?.isFallbackAdapter);
  const sameText = new Map<string, Set<string>>();
  for (const r of results) sameText.set(r.spec.model, (sameText.get(r.spec.model) ?? new Set()).add(r.text.slice(0, 40)));
  const notes = [
    emulated
      ? '**WebGPU here is SwiftShader, Chromium\'s CPU emulation of a GPU (isFallbackAdapter): these WebGPU rows prove the path runs and agrees with wasm — correctness only, never speed.** Compare speed between wasm rows only, or take WebGPU numbers on a machine with a real GPU.'
      : 'WebGPU ran on a hardware adapter.',
    `Greedy decoding, ${MAX_NEW_TOKENS} new tokens at most, ${RUNS} timed runs after one warm-up; TTFT includes tokenizing the prompt and the prompt pass. tokens/s counts the tokens after the first.`,
    ...[...sameText].map(([model, texts]) => `${model}: the first 40 characters of the greedy text are ${texts.size === 1 ? 'identical on every device and dtype' : `**not identical** across rows (${texts.size} variants; q8 vs fp32 may differ)`}.`),
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadBefore.toFixed(2)} before → ${loadavg()[0]!.toFixed(2)} after; Chromium ${CHROMIUM}.`,
    ...(failures.length ? [`Failed cases: ${failures.join('; ')}`] : []),
    ...(foreign.length ? [`**Requests that left 127.0.0.1: ${foreign.join(', ')}**`] : ['No request left 127.0.0.1.']),
  ];
  const markdown = `# SLM benchmark, ${new Date().toISOString().slice(0, 10)}\n\n${table(results)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
  process.stdout.write(`${markdown}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stem = join(RESULTS_DIR, `slm-${new Date().toISOString().slice(0, 10)}`);
  writeFileSync(`${stem}.md`, markdown);
  writeFileSync(`${stem}.json`, JSON.stringify({ results, notes, failures }, null, 2));
  log(`wrote ${stem}.md and .json`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:slm failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exitCode = 1;
});
