import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { GptConfig } from './gpt-config.ts';
import { initGptWeights } from './gpt-init.ts';
import { GptModel, gatherRows, matMul } from './gpt-tfjs.ts';
import { GptTrainer, batchLoss, disposeBatch, learningRateAt, lengthBucketedBatches, makeBatch } from './gpt-trainer.ts';

await tf.setBackend('cpu');

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]!) <= tol);

test('matMul’s hand-written gradient equals tf.matMul’s, for matrices and batched heads', () => {
  for (const [aShape, bShape] of [
    [[3, 4], [4, 5]],
    [[2, 3, 4, 6], [2, 3, 6, 4]],
  ] as const) {
    const a = tf.randomNormal([...aShape], 0, 1, 'float32', 1);
    const b = tf.randomNormal([...bShape], 0, 1, 'float32', 2);
    const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.sin(f(x, y)));
    const [ga, gb] = tf.grads(loss(matMul))([a, b]);
    const [ea, eb] = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
    assert.ok(close(ga!.dataSync(), ea!.dataSync()) && close(gb!.dataSync(), eb!.dataSync()), `shapes ${aShape} × ${bShape}`);
  }
});

test('gatherRows sums the gradient of repeated rows (tokens that occur twice)', () => {
  const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const grad = tf.grad((t: tf.Tensor) => tf.sum(gatherRows(t as tf.Tensor2D, tf.tensor1d([2, 0, 2], 'int32'))))(table);
  assert.deepEqual(Array.from(grad.dataSync()), [1, 1, 0, 0, 2, 2]);
});

test('makeBatch targets exactly the answer tokens, each predicted from the position before it', () => {
  const batch = makeBatch([{ ids: [9, 8, 7, 6], answerStart: 2 }, { ids: [5, 4], answerStart: 1 }], 0);
  assert.deepEqual(batch.ids.arraySync(), [[9, 8, 7, 6], [5, 4, 0, 0]]);
  assert.deepEqual(Array.from(batch.rows!.dataSync()), [1, 2, 4]);
  assert.deepEqual(Array.from(batch.targets.dataSync()), [7, 6, 4]);
  assert.equal(batch.tokenCount, 3);
  disposeBatch(batch);
});

test('warm-up rises linearly by step, cosine decay follows the run’s progress to the floor', () => {
  const s = { peakLearningRate: 1, warmupSteps: 10, finalShare: 0.1 };
  assert.equal(learningRateAt(0, 0, s), 0.1);
  assert.equal(learningRateAt(9, 0.5, s), 1, 'warm-up wins while it lasts');
  assert.equal(learningRateAt(10, 0, s), 1);
  assert.ok(Math.abs(learningRateAt(500, 0.5, s) - 0.55) < 1e-9);
  assert.ok(Math.abs(learningRateAt(11, 1, s) - 0.1) < 1e-9);
  assert.ok(Math.abs(learningRateAt(11, 3, s) - 0.1) < 1e-9, 'progress past the end stays at the floor');
});

test('length-bucketed batches cover every example once and are reproducible', () => {
  const examples = Array.from({ length: 37 }, (_, i) => ({ ids: Array.from({ length: 1 + ((i * 7) % 13) }, () => i) }));
  const a = lengthBucketedBatches(examples, 4, 3);
  assert.deepEqual(a.flat().map((e) => e.ids[0]).sort((x, y) => x! - y!), examples.map((_, i) => i));
  assert.deepEqual(a, lengthBucketedBatches(examples, 4, 3));
  assert.notDeepEqual(a, lengthBucketedBatches(examples, 4, 4));
});

test('a few training steps fit a repeated batch (the loop really learns)', () => {
  const config: GptConfig = { vocabSize: 20, contextLength: 16, dModel: 16, nLayers: 1, nHeads: 2, dFeedForward: 32, layerNormEpsilon: 1e-5 };
  const model = new GptModel(config, initGptWeights(config, 5));
  const batch = makeBatch([{ ids: [1, 5, 6, 7, 8, 2], answerStart: 2 }, { ids: [1, 9, 10, 11, 2], answerStart: 2 }], 0);
  const before = tf.tidy(() => batchLoss(model, batch).dataSync()[0]!);
  const trainer = new GptTrainer(model, { peakLearningRate: 0.01, warmupSteps: 1, finalShare: 1 });
  for (let step = 0; step < 40; step++) trainer.step(step, step / 40, batch).dispose();
  const afterLoss = tf.tidy(() => batchLoss(model, batch).dataSync()[0]!);
  assert.ok(before > 2.5, `starts near ln(20) ≈ 3.0, got ${before}`);
  assert.ok(afterLoss < 0.5 * before, `loss ${before} → ${afterLoss}`);
  disposeBatch(batch);
  model.dispose();
});

test('padding a batch, or scoring every row under a mask, leaves the loss unchanged', () => {
  const config: GptConfig = { vocabSize: 20, contextLength: 32, dModel: 16, nLayers: 1, nHeads: 2, dFeedForward: 32, layerNormEpsilon: 1e-5 };
  const model = new GptModel(config, initGptWeights(config, 9));
  const examples = [{ ids: [1, 5, 6, 7, 8, 2], answerStart: 2 }, { ids: [1, 9, 10, 2], answerStart: 1 }];
  const tight = makeBatch(examples, 0);
  const padded = makeBatch(examples, 0, { padMultiple: 16 });
  const masked = makeBatch(examples, 0, { padMultiple: 16, allRows: true });
  assert.deepEqual(tight.ids.shape, [2, 6]);
  assert.deepEqual(padded.ids.shape, [2, 16]);
  assert.deepEqual(masked.targets.shape, [32]);
  assert.equal(padded.tokenCount, tight.tokenCount);
  assert.equal(masked.tokenCount, tight.tokenCount);
  const [a, b, c] = [tight, padded, masked].map((batch) => tf.tidy(() => batchLoss(model, batch).dataSync()[0]!));
  assert.ok(Math.abs(a! - b!) < 1e-5, `${a} vs ${b}`);
  assert.ok(Math.abs(a! - c!) < 1e-5, `${a} vs ${c}`);
  [tight, padded, masked].forEach(disposeBatch);
  model.dispose();
});
