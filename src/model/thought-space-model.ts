/**
 * Training-time Thought Space: the towers' weights plus what training reads (the catalog's
 * text vectors and the teacher rationales' text vectors), the two losses, and scoring.
 */
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../core/random.ts';
import { inputBatch, type EncodedHistory, type TrainingBatch } from './sequence-batch.ts';
import { embeddingLookup, matMulTransposed } from './tensor-ops.ts';
import {
  alignmentLoss,
  behaviourOutputs,
  createThoughtSpaceWeights,
  itemTower,
  rationaleTower,
  steerQuery,
  type ThoughtSpaceConfig,
} from './thought-space.ts';
import type { Weights } from './weights.ts';

export interface ThoughtSpaceLossConfig {
  /** Weight of next-item InfoNCE (the *what*). */
  whatWeight: number;
  /** Weight of the behaviour–rationale alignment InfoNCE (the *why*); 0 turns it off. */
  whyWeight: number;
  /** Uniform negatives shared by a batch for the *what* softmax (full catalog is too slow on wasm). */
  negatives: number;
}

/** Teacher rationales of training pairs: `user row → (event index t → row in vectors)`. */
export interface RationaleTable {
  /** For user row u, the map from event index t (the chosen item's index) to a vector row. */
  rowOf: ReadonlyArray<ReadonlyMap<number, number>>;
  /** USE-lite vectors of the rationales, [rows × textDims]. */
  vectors: Float32Array;
}

export class ThoughtSpaceModel {
  readonly w: Weights;
  private readonly text: tf.Tensor2D;
  private rationales: tf.Tensor2D | null = null;
  private rationaleRows: RationaleTable['rowOf'] = [];
  private readonly random: () => number;

  constructor(
    readonly config: ThoughtSpaceConfig,
    readonly loss: ThoughtSpaceLossConfig,
    textVectors: Float32Array,
    seed: number,
  ) {
    this.w = createThoughtSpaceWeights(config, seed);
    this.text = tf.tensor2d(textVectors, [config.items, config.textDims]);
    this.random = seededRandom(seed ^ 0x7417);
  }

  setRationales(table: RationaleTable): void {
    this.rationales?.dispose();
    this.rationaleRows = table.rowOf;
    const rows = table.vectors.length / this.config.textDims;
    this.rationales = rows > 0 ? tf.tensor2d(table.vectors, [rows, this.config.textDims]) : null;
  }

  private items = (rows: tf.Tensor1D) => itemTower(this.w, this.text, rows);

  batchLoss(batch: TrainingBatch, users: readonly number[], step: number): tf.Scalar {
    const d = this.config.dims;
    const out = tf.reshape(behaviourOutputs(this.w, this.config, batch, this.items, true, step * 1000), [-1, d]) as tf.Tensor2D;
    let total: tf.Scalar = tf.scalar(0);
    if (this.loss.whatWeight > 0) {
      const at: number[] = [];
      const targets: number[] = [];
      batch.targets.forEach((t, i) => {
        if (t > 0) {
          at.push(i);
          targets.push(t - 1);
        }
      });
      const h = embeddingLookup(out, tf.tensor1d(at, 'int32')) as tf.Tensor2D;
      const positive = tf.sum(tf.mul(h, this.items(tf.tensor1d(targets, 'int32'))), -1);
      const sampled = Array.from({ length: this.loss.negatives }, () => Math.floor(this.random() * this.config.items));
      const negatives = matMulTransposed(h, this.items(tf.tensor1d(sampled, 'int32')));
      const logits = tf.concat([tf.reshape(positive, [-1, 1]), negatives], 1);
      total = tf.add(total, tf.mul(tf.mean(tf.sub(tf.logSumExp(logits, -1), positive)), this.loss.whatWeight));
    }
    if (this.loss.whyWeight > 0 && this.rationales !== null) {
      const at: number[] = [];
      const rationaleRows: number[] = [];
      for (let i = 0; i < batch.eventIndex.length; i++) {
        const t = batch.eventIndex[i]!;
        if (t < 0) continue;
        const user = users[Math.floor(i / batch.len)]!;
        const row = this.rationaleRows[user]?.get(t);
        if (row !== undefined) {
          at.push(i);
          rationaleRows.push(row);
        }
      }
      if (at.length >= 2) {
        const behaviour = embeddingLookup(out, tf.tensor1d(at, 'int32')) as tf.Tensor2D;
        const rationale = rationaleTower(this.w, tf.gather(this.rationales, tf.tensor1d(rationaleRows, 'int32')));
        total = tf.add(total, tf.mul(alignmentLoss(this.w, behaviour, rationale), this.loss.whyWeight));
      }
    }
    return total;
  }

  /** The catalog's Thought Space item vectors [items × d] (what the worker ranks against). */
  itemMatrix(): tf.Tensor2D {
    return tf.tidy(() => this.items(tf.range(0, this.config.items, 1, 'int32') as tf.Tensor1D));
  }

  /** Behaviour vectors [histories.length × d] (output at the newest step). */
  behaviour(histories: readonly EncodedHistory[], itemMatrix: tf.Tensor2D): tf.Tensor2D {
    const d = this.config.dims;
    return tf.tidy(() => {
      const batch = inputBatch(histories, this.config.maxLen);
      const out = behaviourOutputs(this.w, this.config, batch, (rows) => tf.gather(itemMatrix, rows), false, 0);
      return tf.reshape(tf.slice(out, [0, batch.len - 1, 0], [histories.length, 1, d]), [histories.length, d]) as tf.Tensor2D;
    });
  }

  /**
   * Full-catalog scores. `preferenceVectors` (text vectors of each history's preference
   * statement, [n × textDims]) steer the query by `alpha` (see steerQuery).
   */
  async score(
    histories: readonly EncodedHistory[],
    preferenceVectors: Float32Array | null,
    alpha: number,
    rationaleOnly = false,
  ): Promise<Float32Array[]> {
    const n = this.config.items;
    const itemMatrix = this.itemMatrix();
    const scores = tf.tidy(() => {
      const behaviour = this.behaviour(histories, itemMatrix);
      const rationale =
        preferenceVectors === null ? null : rationaleTower(this.w, tf.tensor2d(preferenceVectors, [histories.length, this.config.textDims]));
      return matMulTransposed(steerQuery(behaviour, rationale, alpha, rationaleOnly), itemMatrix);
    });
    itemMatrix.dispose();
    const flat = (await scores.data()) as Float32Array;
    scores.dispose();
    return histories.map((_, i) => flat.slice(i * n, (i + 1) * n));
  }

  dispose(): void {
    this.text.dispose();
    this.rationales?.dispose();
    for (const v of Object.values(this.w)) v.dispose();
  }
}
