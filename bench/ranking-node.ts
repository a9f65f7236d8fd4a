/**
 * `npm run bench:node -- [--webgpu-module PATH] [--large] [--out FILE]`: the product's ranking paths
 * timed in Node on tfjs cpu, wasm and — when the optional `webgpu` package (Dawn's WebGPU for
 * Node) can be imported — WebGPU: the text-similarity scorer (buildRankingIndex → createTfScorer
 * → topK) on real and synthetic catalogs, and the shipped Thought Space (behaviour tower, optional
 * steering by a rationale vector, product with the item matrix, top-k) on MovieLens histories.
 *
 * Why a Node variant beside the Chromium bench: it needs no browser, so it runs on a lent
 * GPU machine (no Chromium there) and measures real WebGPU hardware instead of SwiftShader.
 * Install Dawn only where you run it: `npm install --no-save webgpu`. Nothing here fails
 * on a slow number; it fails only when it cannot measure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeItemVectors } from '../src/core/item-vectors.ts';
import { seededRandom } from '../src/core/random.ts';
import { buildRankingIndex, jsScorer, type RankingIndex } from '../src/core/ranker.ts';
import { topK } from '../src/core/topk.ts';
import type { CatalogItem } from '../src/core/types.ts';
import { centerRows, normalize } from '../src/core/vector-math.ts';
import type { PulseEvent } from '../src/core/types.ts';
import { useNodeBackend } from '../src/model/node-backend.ts';
import { dirSource } from '../src/model/node-model-files.ts';
import { loadThoughtSpace } from '../src/model/thought-space-loader.ts';
import { createTfScorer } from '../src/worker/tf-scorer.ts';
import { arg, installDawn } from './dawn.ts';
import { ms, quantile } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = 30;
/** Emulated WebGPU takes seconds per run: stop after this much time once MIN_RUNS are in. */
const BUDGET_MS = 10_000;
const MIN_RUNS = 5;
const K = 10;

function randomUnitRows(rows: number, dims: number, random: () => number): Float32Array {
  const out = new Float32Array(rows * dims);
  for (let i = 0; i < out.length; i++) out[i] = random() - 0.5;
  for (let r = 0; r < rows; r++) normalize(out, r * dims, dims);
  return out;
}

function movielensIndex(): RankingIndex {
  const items = JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.json'), 'utf8')) as CatalogItem[];
  const decoded = decodeItemVectors(
    JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.vectors.json'), 'utf8')),
    readFileSync(join(ROOT, 'public/catalog/movielens.vectors.bin')),
  );
  const { manifest } = decoded;
  const rowOf = new Map(manifest.ids.map((id, i) => [id, i] as const));
  const vectors = new Float32Array(items.length * manifest.dims);
  items.forEach((item, i) => {
    const row = rowOf.get(item.id);
    if (row !== undefined) vectors.set(decoded.vectors.subarray(row * manifest.dims, (row + 1) * manifest.dims), i * manifest.dims);
  });
  centerRows(vectors, manifest.dims);
  return buildRankingIndex(items, vectors, manifest.dims);
}

function syntheticIndex(n: number, dims: number): RankingIndex {
  const random = seededRandom(7);
  const items = Array.from({ length: n }, (_, i): CatalogItem => ({ id: String(i), title: `item ${i}`, text: '', categories: [], year: null, popularity: Math.floor(random() * 1000) }));
  return buildRankingIndex(items, randomUnitRows(n, dims, random), dims);
}

interface Row {
  catalog: string;
  items: number;
  backend: string;
  firstMs: number;
  runs: number;
  medianMs: number;
  p90Ms: number;
  sameTopK: boolean;
  maxDiff: number;
}

async function measure(name: string, index: RankingIndex, backend: string): Promise<Row> {
  const queries = randomUnitRows(RUNS + 1, index.dims, seededRandom(42));
  const query = (i: number) => queries.subarray(i * index.dims, (i + 1) * index.dims);
  const scorer = createTfScorer(index);
  try {
    const t0 = performance.now();
    const first = await scorer.score(query(0), 0.1);
    const firstTop = topK(first, K);
    const firstMs = performance.now() - t0;
    const reference = await jsScorer(index).score(query(0), 0.1);
    let maxDiff = 0;
    for (let i = 0; i < reference.length; i++) maxDiff = Math.max(maxDiff, Math.abs(reference[i]! - first[i]!));
    const sameTopK = topK(reference, K).every((r, i) => r.index === firstTop[i]!.index);
    const runs: number[] = [];
    const start = performance.now();
    for (let i = 1; i <= RUNS && (i <= MIN_RUNS || performance.now() - start < BUDGET_MS); i++) {
      const t = performance.now();
      topK(await scorer.score(query(i), 0.1), K);
      runs.push(performance.now() - t);
    }
    return { catalog: name, items: index.items.length, backend, firstMs, runs: runs.length, medianMs: quantile(runs, 0.5), p90Ms: quantile(runs, 0.9), sameTopK, maxDiff };
  } finally {
    scorer.dispose();
  }
}

interface SpaceRow {
  items: number;
  backend: string;
  steered: boolean;
  firstMs: number;
  runs: number;
  medianMs: number;
  p90Ms: number;
  sameAsCpu: boolean | null;
}

/** Seeded 20-event rating histories over the catalog (what a shopper's device holds). */
function histories(items: readonly CatalogItem[], count: number): PulseEvent[][] {
  const random = seededRandom(11);
  return Array.from({ length: count }, () =>
    Array.from({ length: 20 }, (_, i): PulseEvent => ({ type: 'rating', itemId: items[Math.floor(random() * items.length)]!.id, value: 1 + Math.floor(random() * 5), ts: i })),
  );
}

/** One run = space.recommend(history, K[, rationale vector]): the worker's Thought Space path. */
async function measureSpace(backend: string, steered: boolean, cpuTop: readonly string[][] | null): Promise<{ row: SpaceRow; top: string[][] }> {
  const space = await loadThoughtSpace(dirSource(join(ROOT, 'models/pulse-movielens')));
  try {
    const items = JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.json'), 'utf8')) as CatalogItem[];
    const cases = histories(items, RUNS + 1);
    const why = steered ? randomUnitRows(1, 512, seededRandom(5)) : null;
    const top: string[][] = [];
    const run = async (i: number): Promise<number> => {
      const t = performance.now();
      const ranked = await space.recommend(cases[i]!, K, why);
      const elapsed = performance.now() - t;
      top[i] = ranked.map((r) => r.id);
      return elapsed;
    };
    const firstMs = await run(0);
    const runs: number[] = [];
    const start = performance.now();
    for (let i = 1; i <= RUNS && (i <= MIN_RUNS || performance.now() - start < BUDGET_MS); i++) runs.push(await run(i));
    const sameAsCpu = cpuTop === null ? null : top.every((ids, i) => ids.join() === cpuTop[i]?.join());
    return { row: { items: items.length, backend, steered, firstMs, runs: runs.length, medianMs: quantile(runs, 0.5), p90Ms: quantile(runs, 0.9), sameAsCpu }, top };
  } finally {
    space.dispose();
  }
}

async function useBackend(backend: string): Promise<void> {
  if (backend === 'webgpu') {
    if (!(await tf.setBackend('webgpu'))) throw new Error('tfjs could not start its webgpu backend on Dawn');
    await tf.ready();
  } else {
    const got = await useNodeBackend(backend as 'wasm' | 'cpu');
    if (got !== backend) throw new Error(`asked for ${backend}, got ${got}`);
  }
}

async function main(): Promise<void> {
  const gpu = await installDawn();
  // The backend registers itself on import only if navigator.gpu exists by then.
  if ('adapter' in gpu) await import('@tensorflow/tfjs-backend-webgpu');
  const catalogs: [string, () => RankingIndex][] = [
    ['movielens (real vectors)', movielensIndex],
    ['synthetic 100k', () => syntheticIndex(100_000, 512)],
    // 400k × 512 float32 = 819 MB on the device: only where asked (--large), i.e. a real GPU.
    ...(process.argv.includes('--large') ? [['synthetic 400k', () => syntheticIndex(400_000, 512)] as [string, () => RankingIndex]] : []),
  ];
  const backends = ['cpu', 'wasm', ...('adapter' in gpu ? ['webgpu'] : [])];
  const rows: Row[] = [];
  for (const [name, build] of catalogs) {
    const index = build();
    for (const backend of backends) {
      // The plain cpu backend takes seconds per 400k-item product; it adds nothing there.
      if (backend === 'cpu' && index.items.length > 200_000) continue;
      await useBackend(backend);
      const row = await measure(name, index, backend);
      rows.push(row);
      process.stderr.write(`${name} × ${backend}: median ${ms(row.medianMs)} ms\n`);
    }
  }
  const lines = [
    `Ranking in Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'} · WebGPU: ${'adapter' in gpu ? gpu.adapter : gpu.missing}`,
    `One run = score(query, 0.1) over all items (matrix–vector product + prior + readback) + topK(${K}); up to ${RUNS} runs (${BUDGET_MS / 1000} s budget, at least ${MIN_RUNS}) after one untimed first call.`,
    '',
    '| catalog | items | backend | first call ms | median ms | p90 ms | runs | vs JS reference |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.catalog} | ${r.items} | ${r.backend} | ${ms(r.firstMs)} | ${ms(r.medianMs)} | ${ms(r.p90Ms)} | ${r.runs} | ${r.sameTopK ? 'top-10 same' : '**top-10 differs**'}, max Δ ${r.maxDiff.toExponential(1)} |`),
  ];
  const spaceRows: SpaceRow[] = [];
  for (const steered of [false, true]) {
    let cpuTop: string[][] | null = null;
    for (const backend of backends) {
      await useBackend(backend);
      const { row, top } = await measureSpace(backend, steered, cpuTop);
      if (backend === 'cpu') cpuTop = top;
      spaceRows.push(row);
      process.stderr.write(`thought space${steered ? ' (steered)' : ''} × ${backend}: median ${ms(row.medianMs)} ms\n`);
    }
  }
  lines.push(
    '',
    `The shipped Thought Space (models/pulse-movielens, ${spaceRows[0]?.items ?? 0} MovieLens items): one run = recommend(history of 20 ratings, ${K}) — behaviour tower, (steered: + α × rationale tower of a 512-d vector), product with the item matrix, readback, top-${K}; seeded histories, same counts as above.`,
    '',
    '| query | backend | first call ms | median ms | p90 ms | runs | vs cpu |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
    ...spaceRows.map((r) => `| ${r.steered ? 'steered' : 'behaviour'} | ${r.backend} | ${ms(r.firstMs)} | ${ms(r.medianMs)} | ${ms(r.p90Ms)} | ${r.runs} | ${r.sameAsCpu === null ? 'reference' : r.sameAsCpu ? 'top-10 same' : '**top-10 differs**'} |`),
  );
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  const out = arg('--out');
  if (out) writeFileSync(out, `${text}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
