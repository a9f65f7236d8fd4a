/**
 * `tsx bench/sasrec-profile.ts`: where SASRec's training step spends its time on tfjs (Node),
 * per loss: sequences/s of full training steps on MovieLens windows (nextItemBatch), and the
 * encoder's forward+backward alone. Numbers, not pass/fail. PROFILE_LOSSES, PROFILE_MAXLEN,
 * PROFILE_STEPS, PROFILE_BATCH override the defaults.
 */
import { loadavg } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { loadEvalDataset } from '../src/eval/dataset-files.ts';
import { leaveOneOutSplit } from '../src/eval/split.ts';
import { SasRecModel, type SasRecLoss } from '../src/model/sasrec.ts';
import { SASREC_DEFAULTS } from '../src/model/sasrec-recommender.ts';
import { historyWindows, nextItemBatch } from '../src/model/sequence-batch.ts';
import { sequenceData } from '../src/model/training-data.ts';
import { ensureTrainingBackend } from '../src/train/training-backend.ts';

const steps = Number(process.env.PROFILE_STEPS ?? 5);
const maxLen = Number(process.env.PROFILE_MAXLEN ?? SASREC_DEFAULTS.maxLen);
const batchSize = Number(process.env.PROFILE_BATCH ?? SASREC_DEFAULTS.batchSize);
const losses = (process.env.PROFILE_LOSSES ?? 'bce,sampled-ce,ce').split(',') as SasRecLoss[];

const backend = await ensureTrainingBackend();
const data = await loadEvalDataset({ interactions: process.env.PROFILE_RATINGS ?? 'data/movielens-small/ratings.csv', catalog: 'public/catalog/movielens.json' });
const split = leaveOneOutSplit(data.interactions, 1);
const context = { catalog: data.catalog, indexOf: data.indexOf, train: split.train, validation: split.validation, textVectors: data.textVectors, textDims: data.textDims, seed: 1, log: () => {} };
const windows = sequenceData(context).train.flatMap((h) => historyWindows(h, maxLen));
console.log(`tfjs ${backend}, load ${loadavg()[0]!.toFixed(1)}, ${windows.length} windows of ≤ ${maxLen + 1}, batch ${batchSize}`);
for (const loss of losses) {
  const s = SASREC_DEFAULTS;
  const model = new SasRecModel({ items: data.catalog.length, dims: s.dims, blocks: s.blocks, heads: s.heads, maxLen, dropout: s.dropout, loss, negatives: s.negatives }, 1);
  const optimizer = tf.train.adam(1e-3);
  const vars = Object.values(model.w);
  const batch = (k: number) => nextItemBatch(windows.slice(k * batchSize, (k + 1) * batchSize), maxLen);
  const run = (k: number) => {
    const cost = optimizer.minimize(() => model.loss(batch(k), k), true, vars)!;
    cost.dataSync();
    cost.dispose();
  };
  run(0);
  const t0 = performance.now();
  for (let k = 1; k <= steps; k++) run(k);
  const ms = (performance.now() - t0) / steps;
  // The encoder alone (forward + backward of a dummy sum), to split encoder from loss head.
  const enc = (k: number) => {
    const { value, grads } = tf.variableGrads(() => tf.sum(model.outputs(batch(k), true, k)) as tf.Scalar, vars.filter((v) => v !== model.w.item));
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  enc(0);
  const t1 = performance.now();
  for (let k = 1; k <= steps; k++) enc(k);
  const encMs = (performance.now() - t1) / steps;
  console.log(`${loss}: step ${ms.toFixed(0)} ms = ${((batchSize * 1000) / ms).toFixed(1)} seq/s; encoder fwd+bwd ${encMs.toFixed(0)} ms; tensors ${tf.memory().numTensors}`);
  optimizer.dispose();
}
