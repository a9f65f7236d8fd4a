/**
 * `npm run bench:towers`: training throughput (sequences/s) and full-catalog scoring time of
 * the PULSE Thought Space towers and SASRec, measured in one process, one after the other, on
 * MovieLens training histories (leave-one-out split). Prints a markdown table with ratios to
 * SASRec; writes bench/results/towers-<date>.{md,json} unless BENCH_NO_WRITE is set.
 *
 * Not a test: it fails only if it cannot measure. The *why* loss here uses rationale vectors
 * drawn at random (the teacher's text and its embedding are a separate, cached cost).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../src/core/random.ts';
import { loadEvalDataset } from '../src/eval/dataset-files.ts';
import { leaveOneOutSplit } from '../src/eval/split.ts';
import { SasRecModel } from '../src/model/sasrec.ts';
import { SASREC_DEFAULTS } from '../src/model/sasrec-recommender.ts';
import { trainingBatch, type EncodedHistory, type TrainingBatch } from '../src/model/sequence-batch.ts';
import { ThoughtSpaceModel } from '../src/model/thought-space-model.ts';
import { THOUGHT_SPACE_DEFAULTS } from '../src/model/thought-space-recommender.ts';
import { sequenceData } from '../src/model/training-data.ts';
import { ensureTrainingBackend } from '../src/train/training-backend.ts';

const STEPS = Number(process.env.BENCH_STEPS ?? 6);
const ratings = process.env.BENCH_RATINGS ?? '../shared/data/movielens-small/ratings.csv';

interface Row {
  model: string;
  sequencesPerSecond: number;
  scoreMsPer100: number;
  parameters: number;
}

async function measure(
  name: string,
  variables: tf.Variable[],
  loss: (batch: TrainingBatch, rows: number[], step: number) => tf.Scalar,
  score: (h: readonly EncodedHistory[]) => Promise<Float32Array[]>,
  train: readonly EncodedHistory[],
  maxLen: number,
  batchSize: number,
): Promise<Row> {
  const optimizer = tf.train.adam(1e-3);
  const step = (s: number) => {
    const rows = Array.from({ length: batchSize }, (_, i) => (s * batchSize + i) % train.length);
    const cost = optimizer.minimize(() => loss(trainingBatch(rows.map((r) => train[r]!), maxLen), rows, s), true, variables)!;
    cost.dataSync();
    cost.dispose();
  };
  step(0); // warm-up: kernel setup and first allocations
  const t0 = performance.now();
  for (let s = 1; s <= STEPS; s++) step(s);
  const trainSeconds = (performance.now() - t0) / 1000;
  const cases = train.slice(0, 200);
  await score(cases.slice(0, 8));
  const t1 = performance.now();
  for (let i = 0; i < cases.length; i += 100) await score(cases.slice(i, i + 100));
  const scoreMs = performance.now() - t1;
  optimizer.dispose();
  return { model: name, sequencesPerSecond: (STEPS * batchSize) / trainSeconds, scoreMsPer100: scoreMs / (cases.length / 100), parameters: variables.reduce((n, v) => n + v.size, 0) };
}

async function main(): Promise<void> {
  const backend = await ensureTrainingBackend();
  const data = await loadEvalDataset({ interactions: ratings, catalog: 'public/catalog/movielens.json' });
  const split = leaveOneOutSplit(data.interactions, 1);
  const context = { catalog: data.catalog, indexOf: data.indexOf, train: split.train, validation: split.validation, textVectors: data.textVectors, textDims: data.textDims, seed: 1, log: () => {} };
  const { train } = sequenceData(context);
  const rows: Row[] = [];

  const s = SASREC_DEFAULTS;
  const sasrec = new SasRecModel({ items: data.catalog.length, dims: s.dims, blocks: s.blocks, heads: s.heads, maxLen: s.maxLen, dropout: s.dropout, loss: s.loss, negatives: s.negatives }, 1);
  rows.push(await measure('sasrec', Object.values(sasrec.w), (b, _r, step) => sasrec.loss(b, step), (h) => sasrec.score(h), train, s.maxLen, s.batchSize));

  const p = THOUGHT_SPACE_DEFAULTS;
  const pulse = new ThoughtSpaceModel(
    { items: data.catalog.length, textDims: data.textDims, useIdEmbedding: true, dims: p.dims, blocks: p.blocks, heads: p.heads, maxLen: p.maxLen, dropout: p.dropout },
    { whatWeight: 1, whyWeight: p.whyWeight, negatives: p.negatives },
    data.textVectors,
    1,
  );
  const random = seededRandom(7);
  const rowOf = train.map((h) => new Map<number, number>());
  let count = 0;
  train.forEach((h, u) => {
    for (let t = Math.max(1, h.items.length - p.rationalesPerUser); t < h.items.length; t++) rowOf[u]!.set(t, count++);
  });
  pulse.setRationales({ rowOf, vectors: Float32Array.from({ length: count * data.textDims }, () => random() - 0.5) });
  rows.push(await measure('pulse', Object.values(pulse.w), (b, r, step) => pulse.batchLoss(b, r, step), (h) => pulse.score(h, null, 0), train, p.maxLen, p.batchSize));

  const base = rows[0]!;
  const date = new Date().toISOString().slice(0, 10);
  const md = [
    `# Towers benchmark (${date})`,
    '',
    `Node ${process.version}, tfjs ${backend}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0]!.toFixed(1)}; ${STEPS} timed training steps of ${s.batchSize} sequences (maxLen ${s.maxLen}); scoring 200 histories against all ${data.catalog.length} items.`,
    '',
    '| model | train sequences/s | × SASRec | score ms / 100 histories | × SASRec | parameters |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.model} | ${r.sequencesPerSecond.toFixed(1)} | ${(r.sequencesPerSecond / base.sequencesPerSecond).toFixed(2)} | ${r.scoreMsPer100.toFixed(0)} | ${(r.scoreMsPer100 / base.scoreMsPer100).toFixed(2)} | ${r.parameters.toLocaleString('en')} |`),
  ].join('\n');
  console.log(md);
  if (!process.env.BENCH_NO_WRITE) {
    const dir = join(import.meta.dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `towers-${date}.md`), md + '\n');
    writeFileSync(join(dir, `towers-${date}.json`), JSON.stringify({ date, backend, node: process.version, cpus: cpus().length, rows }, null, 1) + '\n');
  }
}

await main();
