import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's Node bundle registers no gradients, and its register_all_gradients module is not
// importable as ESM; the umbrella package registers them all into the shared global registry.
import '@tensorflow/tfjs';
import { seededRandom } from '../../core/random.ts';
import { gatherRows, type GptModel } from './gpt-tfjs.ts';

/**
 * A seeded custom training loop for the tfjs decoder: Adam with warm-up and cosine decay,
 * global-norm gradient clipping, loss on the answer tokens only (the prompt is given at
 * inference, so modelling it would spend capacity on text the model never writes).
 */

/** One tokenised example: the loss covers ids[answerStart..] (the answer and its turn end). */
export interface TokenizedExample {
  ids: number[];
  answerStart: number;
}

export interface Batch {
  ids: tf.Tensor2D;
  /** Flat rows (b·time + t) whose next token is a target; null when every row is scored (see `weights`). */
  rows: tf.Tensor1D | null;
  /** The next token of each scored row (0 where a row carries no loss). */
  targets: tf.Tensor1D;
  /** With `rows` null: 1 where a row's next token is a target, else 0. */
  weights: tf.Tensor1D | null;
  tokenCount: number;
}

export interface BatchShape {
  /** Rounds the batch's length up to a multiple of this (padding never reaches a target: the mask is causal). */
  padMultiple?: number;
  /**
   * Score every row and mask the loss, instead of gathering the answer rows: all tensors then
   * have one of a few shapes. tfjs-webgpu pools freed GPU buffers by exact size and never frees
   * them, so a different row count in every batch grows the pool until the device runs out of
   * memory (seen on an H200 after a few hundred steps).
   */
  allRows?: boolean;
}

export function makeBatch(examples: readonly TokenizedExample[], padId: number, shape: BatchShape = {}): Batch {
  const padMultiple = shape.padMultiple ?? 1;
  const longest = Math.max(...examples.map((e) => e.ids.length));
  const time = Math.ceil(longest / padMultiple) * padMultiple;
  const ids = new Int32Array(examples.length * time).fill(padId);
  const rows: number[] = [];
  const targets: number[] = [];
  examples.forEach((e, b) => {
    ids.set(e.ids, b * time);
    for (let t = Math.max(e.answerStart, 1); t < e.ids.length; t++) {
      rows.push(b * time + t - 1);
      targets.push(e.ids[t]!);
    }
  });
  const idTensor = tf.tensor2d(ids, [examples.length, time], 'int32');
  if (!shape.allRows) {
    return { ids: idTensor, rows: tf.tensor1d(rows, 'int32'), targets: tf.tensor1d(targets, 'int32'), weights: null, tokenCount: rows.length };
  }
  const denseTargets = new Int32Array(examples.length * time);
  const weights = new Float32Array(examples.length * time);
  rows.forEach((row, i) => {
    denseTargets[row] = targets[i]!;
    weights[row] = 1;
  });
  return { ids: idTensor, rows: null, targets: tf.tensor1d(denseTargets, 'int32'), weights: tf.tensor1d(weights), tokenCount: rows.length };
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.ids, batch.targets, ...(batch.rows ? [batch.rows] : []), ...(batch.weights ? [batch.weights] : [])]);
}

/** Mean negative log-likelihood (nats per answer token) of a batch. */
export function batchLoss(model: GptModel, batch: Batch): tf.Scalar {
  const [b, time] = batch.ids.shape;
  const hidden = tf.reshape(model.hidden(batch.ids), [b * time, model.config.dModel]) as tf.Tensor2D;
  const logits = model.logitsOf(batch.rows ? gatherRows(hidden, batch.rows) : hidden);
  const logProbs = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(batch.targets, model.config.vocabSize)), 1);
  return batch.weights ? tf.div(tf.neg(tf.sum(tf.mul(picked, batch.weights))), batch.tokenCount) : tf.neg(tf.mean(picked));
}

/**
 * Batches of similar length (less padding): shuffle, then sort within pools of
 * `poolBatches` batches and cut. Seeded, so an epoch's order is reproducible.
 */
export function lengthBucketedBatches<T extends { ids: number[] }>(examples: readonly T[], batchSize: number, seed: number, poolBatches = 16): T[][] {
  const random = seededRandom(seed);
  const order = [...examples];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const batches: T[][] = [];
  const pool = batchSize * poolBatches;
  for (let start = 0; start < order.length; start += pool) {
    const chunk = order.slice(start, start + pool).sort((a, b) => a.ids.length - b.ids.length);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  for (let i = batches.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [batches[i], batches[j]] = [batches[j]!, batches[i]!];
  }
  return batches;
}

export interface ScheduleOptions {
  peakLearningRate: number;
  warmupSteps: number;
  /** Floor of the cosine decay, as a share of the peak. */
  finalShare: number;
}

/**
 * Linear warm-up over the first steps, then cosine decay over `progress` ∈ [0, 1] — the share
 * of the run done. A time-budgeted run on a shared CPU passes elapsed / budget, so the decay
 * completes when the time does, however fast the steps turn out to be.
 */
export function learningRateAt(step: number, progress: number, s: ScheduleOptions): number {
  if (step < s.warmupSteps) return (s.peakLearningRate * (step + 1)) / s.warmupSteps;
  const p = Math.min(1, Math.max(0, progress));
  return s.peakLearningRate * (s.finalShare + (1 - s.finalShare) * 0.5 * (1 + Math.cos(Math.PI * p)));
}

export class GptTrainer {
  private readonly optimizer: tf.AdamOptimizer;

  constructor(
    private readonly model: GptModel,
    private readonly schedule: ScheduleOptions,
    private readonly clipNorm = 1,
  ) {
    this.optimizer = tf.train.adam(schedule.peakLearningRate, 0.9, 0.95, 1e-8);
  }

  /**
   * One optimisation step at `progress` ∈ [0, 1] of the run; returns the batch loss
   * (nats/token, before the update) as a tensor the caller disposes. Not read here: on a GPU,
   * reading a value every step would stall the queue the next step's work is waiting in.
   */
  step(step: number, progress: number, batch: Batch): tf.Scalar {
    // AdamOptimizer reads learningRate on every applyGradients; tfjs has no scheduler.
    (this.optimizer as unknown as { learningRate: number }).learningRate = learningRateAt(step, progress, this.schedule);
    const variables = [...this.model.variables.values()];
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => batchLoss(this.model, batch), variables);
      const names = Object.keys(grads);
      // A chain of adds, not tf.addN: WebGPU's AddN binds every input at once, and ~50 exceed
      // the storage-buffer limit of some adapters (8 on SwiftShader).
      const norm = tf.sqrt(names.map((n) => tf.sum(tf.square(grads[n]!))).reduce((a, b) => tf.add(a, b)));
      const scale = tf.minimum(1, tf.div(this.clipNorm, tf.add(norm, 1e-6)));
      this.optimizer.applyGradients(names.map((name) => ({ name, tensor: tf.mul(grads[name]!, scale) })));
      return value;
    });
  }
}

/** exp(mean NLL) over answer tokens of the given examples. Reads asynchronously (WebGPU). */
export async function perplexity(model: GptModel, examples: readonly TokenizedExample[], padId: number, batchSize = 16): Promise<{ perplexity: number; nll: number; tokens: number }> {
  let total = 0;
  let tokens = 0;
  for (let i = 0; i < examples.length; i += batchSize) {
    const batch = makeBatch(examples.slice(i, i + batchSize), padId);
    const lossTensor = tf.tidy(() => batchLoss(model, batch));
    const loss = (await lossTensor.data())[0]!;
    lossTensor.dispose();
    total += loss * batch.tokenCount;
    tokens += batch.tokenCount;
    disposeBatch(batch);
  }
  const nll = total / tokens;
  return { perplexity: Math.exp(nll), nll, tokens };
}
