/**
 * One training loop for every sequence model (SASRec and the Thought Space towers): seeded
 * shuffles, Adam, validation NDCG@10 after every `evalEvery` epochs, early stopping with
 * patience, and the best epoch's weights restored at the end.
 */
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../core/random.ts';
import { trainingBatch, type EncodedHistory, type TrainingBatch } from '../model/sequence-batch.ts';
import type { Weights } from '../model/weights.ts';
import { meanNdcgAtK } from './ranking-metrics.ts';
import { ProgressBar } from './progress-bar.ts';

export interface TrainableModel {
  /** The variables the optimizer updates. */
  trainable(): tf.Variable[];
  /** All weights (for the best-epoch snapshot). */
  weights(): Weights;
  /** Scalar loss of one batch; `rows` are the batch's indices into the training histories. */
  loss(batch: TrainingBatch, rows: readonly number[], step: number): tf.Scalar;
  /** Full-catalog scores for each history. */
  scoreHistories(histories: readonly EncodedHistory[]): Promise<Float32Array[]>;
  /** How a batch of histories becomes training pairs; default trainingBatch (newest event without a target). */
  makeBatch?(histories: readonly EncodedHistory[], maxLen: number, lossWindow: number): TrainingBatch;
}

export interface ValidationCase {
  history: EncodedHistory;
  target: number;
}

export interface FitOptions {
  maxLen: number;
  lossWindow: number;
  batchSize: number;
  learningRate: number;
  maxEpochs: number;
  /** Stop after this many evaluations without a better validation NDCG@10. */
  patience: number;
  evalEvery: number;
  seed: number;
  log: (line: string) => void;
  /** Stop (keeping the best weights) once training has run this long. */
  timeBudgetMs?: number;
  /** A label for the progress bar. */
  label?: string;
}

export interface FitReport {
  bestEpoch: number;
  bestValidationNdcg10: number;
  epochs: number;
  seconds: number;
  /** Training sequences processed per second (validation time excluded). */
  sequencesPerSecond: number;
  losses: number[];
  validation: Array<{ epoch: number; ndcg10: number }>;
  stoppedBy: 'patience' | 'maxEpochs' | 'timeBudget';
}

export async function validationNdcg(model: TrainableModel, cases: readonly ValidationCase[], chunk = 256): Promise<number> {
  let total = 0;
  for (let start = 0; start < cases.length; start += chunk) {
    const part = cases.slice(start, start + chunk);
    const scores = await model.scoreHistories(part.map((c) => c.history));
    total += meanNdcgAtK(scores, part.map((c) => c.target), part.map((c) => new Set(c.history.items))) * part.length;
  }
  return cases.length === 0 ? 0 : total / cases.length;
}

function snapshot(weights: Weights): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const [name, v] of Object.entries(weights)) out.set(name, v.dataSync() as Float32Array);
  return out;
}

function restore(weights: Weights, saved: Map<string, Float32Array>): void {
  for (const [name, v] of Object.entries(weights)) {
    const values = saved.get(name);
    if (values !== undefined) v.assign(tf.tensor(values, v.shape));
  }
}

export async function fitSequenceModel(
  model: TrainableModel,
  train: readonly EncodedHistory[],
  validation: readonly ValidationCase[],
  options: FitOptions,
): Promise<FitReport> {
  const random = seededRandom(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  // Histories with fewer than two events have no next-item pair to learn from.
  const usable = train.map((h, i) => ({ h, i })).filter(({ h }) => h.items.length >= 2);
  const losses: number[] = [];
  const curve: FitReport['validation'] = [];
  let best = -1;
  let bestEpoch = 0;
  let bestWeights: Map<string, Float32Array> | null = null;
  let sinceBest = 0;
  let trainMs = 0;
  let sequences = 0;
  let step = 0;
  let stoppedBy: FitReport['stoppedBy'] = 'maxEpochs';
  const started = Date.now();
  const steps = Math.ceil(usable.length / options.batchSize);
  const bar = new ProgressBar(options.label ?? 'train', options.maxEpochs * steps);
  let epoch = 0;
  for (epoch = 1; epoch <= options.maxEpochs; epoch++) {
    const order = usable.slice();
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let epochLoss = 0;
    const t0 = Date.now();
    for (let s = 0; s < steps; s++) {
      const part = order.slice(s * options.batchSize, (s + 1) * options.batchSize);
      const batch = (model.makeBatch ?? trainingBatch)(part.map((p) => p.h), options.maxLen, options.lossWindow);
      const rows = part.map((p) => p.i);
      const cost = optimizer.minimize(() => model.loss(batch, rows, step++), true, model.trainable());
      const value = cost === null ? NaN : (await cost.data())[0]!;
      cost?.dispose();
      if (!Number.isFinite(value)) throw new Error(`loss is ${value} at epoch ${epoch}, step ${s}; lower the learning rate`);
      epochLoss += value * part.length;
      sequences += part.length;
      bar.tick(`epoch ${epoch} loss ${value.toFixed(4)} best NDCG@10 ${Math.max(best, 0).toFixed(4)}`);
    }
    trainMs += Date.now() - t0;
    losses.push(epochLoss / usable.length);
    if (epoch % options.evalEvery === 0 || epoch === options.maxEpochs) {
      const ndcg = await validationNdcg(model, validation);
      curve.push({ epoch, ndcg10: ndcg });
      bar.note(`epoch ${epoch}: loss ${losses[losses.length - 1]!.toFixed(4)}, validation NDCG@10 ${ndcg.toFixed(4)}`);
      options.log(`epoch ${epoch}: loss ${losses[losses.length - 1]!.toFixed(4)}, validation NDCG@10 ${ndcg.toFixed(4)}`);
      if (ndcg > best) {
        best = ndcg;
        bestEpoch = epoch;
        bestWeights = snapshot(model.weights());
        sinceBest = 0;
      } else if (++sinceBest >= options.patience) {
        stoppedBy = 'patience';
        break;
      }
    }
    if (options.timeBudgetMs !== undefined && Date.now() - started > options.timeBudgetMs) {
      stoppedBy = 'timeBudget';
      break;
    }
  }
  bar.done();
  if (bestWeights !== null) restore(model.weights(), bestWeights);
  optimizer.dispose();
  return {
    bestEpoch,
    bestValidationNdcg10: best,
    epochs: Math.min(epoch, options.maxEpochs),
    seconds: (Date.now() - started) / 1000,
    sequencesPerSecond: sequences / Math.max(trainMs / 1000, 1e-9),
    losses,
    validation: curve,
    stoppedBy,
  };
}
