import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { ensureTrainingBackend } from '../train/training-backend.ts';
import { SasRecModel } from './sasrec.ts';
import { inputBatch } from './sequence-batch.ts';

before(async () => {
  await ensureTrainingBackend();
});

const config = { items: 40, dims: 16, blocks: 2, heads: 2, maxLen: 8, dropout: 0.2, loss: 'ce' as const, negatives: 8 };
const history = (items: number[]) => ({ items: Int32Array.from(items), signals: new Int32Array(items.length).fill(8) });

function outputs(model: SasRecModel, items: number[]): Float32Array[] {
  const batch = inputBatch([history(items)], config.maxLen);
  const out = tf.tidy(() => model.outputs(batch, false, 0).dataSync() as Float32Array).slice();
  return Array.from({ length: config.maxLen }, (_, c) => out.slice(c * config.dims, (c + 1) * config.dims));
}

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

test('SASRec causal mask: a later event cannot change an earlier step, an earlier one changes later steps', () => {
  const model = new SasRecModel(config, 3);
  // Same length, so both histories occupy the same columns (left padding); they differ only at the newest event.
  const a = outputs(model, [1, 2, 3, 4, 5, 6]);
  const b = outputs(model, [1, 2, 3, 4, 5, 30]);
  for (let c = 2; c < 7; c++) assert.ok(maxDiff(a[c]!, b[c]!) < 1e-6, `step ${c} moved by ${maxDiff(a[c]!, b[c]!)} when only the last event changed`);
  assert.ok(maxDiff(a[7]!, b[7]!) > 1e-3, 'the newest step must depend on the newest event');

  const c = outputs(model, [20, 2, 3, 4, 5, 6]); // first event changed
  for (let col = 2; col < 8; col++) assert.ok(maxDiff(a[col]!, c[col]!) > 1e-4, `step ${col} ignores an earlier event`);
});

test('padding does not leak: the same events with more or less padding give the same newest output', () => {
  const model = new SasRecModel(config, 5);
  const events = [history([7, 8, 9])];
  const newest = (len: number) =>
    tf.tidy(() => {
      const out = model.outputs(inputBatch(events, len), false, 0);
      return tf.slice(out, [0, len - 1, 0], [1, 1, config.dims]).dataSync() as Float32Array;
    }).slice();
  assert.ok(maxDiff(newest(8), newest(3)) < 1e-5, `5 extra padding columns moved the output by ${maxDiff(newest(8), newest(3))}`);
  // Padding rows come out as zeros.
  assert.ok(outputs(model, [7, 8, 9])[0]!.every((v) => v === 0));
});
