/**
 * Seconds-long training runs on a synthetic catalog where the next item is predictable
 * (item i is followed by item i + 1): the loss must fall, and the exported towers must score
 * like the ones in memory when loaded through the worker's loader.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../core/random.ts';
import type { CatalogItem } from '../core/types.ts';
import { exportThoughtSpace } from '../train/export-thought-space.ts';
import { ensureTrainingBackend } from '../train/training-backend.ts';
import { dirSource } from './node-model-files.ts';
import { SasRecModel } from './sasrec.ts';
import { trainingBatch, type EncodedHistory } from './sequence-batch.ts';
import { loadThoughtSpace } from './thought-space-loader.ts';
import { ThoughtSpaceModel } from './thought-space-model.ts';

const ITEMS = 30;
const TEXT_DIMS = 16;
const random = seededRandom(11);
const textVectors = Float32Array.from({ length: ITEMS * TEXT_DIMS }, () => random() * 2 - 1);
const catalog: CatalogItem[] = Array.from({ length: ITEMS }, (_, i) => ({ id: `m${i}`, title: `Item ${i}`, text: `item ${i}`, categories: [], year: null }));
const histories: EncodedHistory[] = Array.from({ length: 24 }, (_, u) => {
  const items = Array.from({ length: 6 + (u % 5) }, (_, k) => (u + k) % ITEMS);
  return { items: Int32Array.from(items), signals: Int32Array.from(items.map(() => 8 + (u % 3))) };
});

before(async () => {
  await ensureTrainingBackend();
});

function train(lossOf: (step: number) => tf.Scalar, variables: tf.Variable[], steps: number): number[] {
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const cost = optimizer.minimize(() => lossOf(s), true, variables)!;
    losses.push(cost.dataSync()[0]!);
    cost.dispose();
  }
  optimizer.dispose();
  return losses;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

test('SASRec: a few dozen steps lower the loss (both losses)', () => {
  for (const loss of ['ce', 'bce', 'sampled-ce'] as const) {
    const model = new SasRecModel({ items: ITEMS, dims: 16, blocks: 2, heads: 1, maxLen: 8, dropout: 0.1, loss, negatives: 8 }, 1);
    const batch = trainingBatch(histories, 8);
    const losses = train((s) => model.loss(batch, s), Object.values(model.w), 40);
    assert.ok(mean(losses.slice(-5)) < mean(losses.slice(0, 5)) * 0.7, `${loss}: ${losses[0]} → ${losses[losses.length - 1]}`);
  }
});

function thoughtSpace(seed: number): ThoughtSpaceModel {
  const model = new ThoughtSpaceModel(
    { items: ITEMS, textDims: TEXT_DIMS, useIdEmbedding: true, dims: 16, blocks: 1, heads: 1, maxLen: 8, dropout: 0.1 },
    { whatWeight: 1, whyWeight: 0.5, negatives: 12 },
    textVectors,
    seed,
  );
  // A teacher whose rationale text vector is the chosen item's text vector plus noise: learnable.
  const rowOf = histories.map(() => new Map<number, number>());
  const vectors: number[] = [];
  histories.forEach((h, u) => {
    for (let t = 1; t < h.items.length; t++) {
      rowOf[u]!.set(t, vectors.length / TEXT_DIMS);
      for (let d = 0; d < TEXT_DIMS; d++) vectors.push(textVectors[h.items[t]! * TEXT_DIMS + d]! + (random() - 0.5) * 0.2);
    }
  });
  model.setRationales({ rowOf, vectors: Float32Array.from(vectors) });
  return model;
}

test('Thought Space: what + why training lowers the loss', () => {
  const model = thoughtSpace(2);
  const batch = trainingBatch(histories, 8);
  const rows = histories.map((_, i) => i);
  const losses = train((s) => model.batchLoss(batch, rows, s), Object.values(model.w), 40);
  assert.ok(mean(losses.slice(-5)) < mean(losses.slice(0, 5)) * 0.7, `${losses[0]} → ${losses[losses.length - 1]}`);
  model.dispose();
});

test('export → loadThoughtSpace round-trip scores like the model in memory (float32 and int8 weights)', async () => {
  const model = thoughtSpace(3);
  const batch = trainingBatch(histories, 8);
  train((s) => model.batchLoss(batch, histories.map((_, i) => i), s), Object.values(model.w), 20);
  const dir = await mkdtemp(join(tmpdir(), 'pulse-towers-'));
  try {
    for (const precision of ['float32', 'int8'] as const) {
      await exportThoughtSpace(model, 0.3, catalog, dir, precision);
      const space = await loadThoughtSpace(dirSource(dir));
      const history = histories[4]!;
      const events = [...history.items].map((i, k) => ({ type: 'rating' as const, itemId: `m${i}`, value: history.signals[k]! / 2, ts: k }));
      const preference = textVectors.slice(5 * TEXT_DIMS, 6 * TEXT_DIMS);
      const expected = (await model.score([history], preference, 0.3))[0]!;
      const got = await space.scores(await space.query(await space.encodeHistory(events), await space.encodeRationale(preference)));
      const scale = Math.max(...expected.map(Math.abs));
      const worst = expected.reduce((m, v, i) => Math.max(m, Math.abs(v - got[i]!)), 0);
      // Item vectors are always int8 (the item-vector format); weights int8 only in the second round.
      assert.ok(worst < scale * (precision === 'int8' ? 0.05 : 0.02), `${precision}: worst score error ${worst} vs scale ${scale}`);
      const top = (s: Float32Array) => [...s.keys()].sort((a, b) => s[b]! - s[a]!).slice(0, 3);
      assert.deepEqual(top(got), top(expected), `${precision}: top-3 differs`);
      // recommend() = the same query with the history's own items left out.
      const seen = new Set(history.items);
      const recommended = (await space.recommend(events, 3, preference)).map((r) => r.id);
      const expectedIds = [...expected.keys()].filter((i) => !seen.has(i)).sort((a, b) => expected[b]! - expected[a]!).slice(0, 3).map((i) => `m${i}`);
      assert.deepEqual(recommended, expectedIds, `${precision}: recommend() differs`);
      space.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
    model.dispose();
  }
});
