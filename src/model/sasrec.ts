/**
 * SASRec (Kang & McAuley, ICDM 2018): item-ID embeddings plus learned positions through the
 * causal encoder; the output at each step scores the next item against the same embedding
 * table. Two losses: the paper's binary cross-entropy with one sampled negative per step, or
 * full softmax cross-entropy over the catalog (often stronger; Klenitskiy & Vasilev 2023).
 */
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../core/random.ts';
import { createEncoderWeights, encodeSequence, type EncoderConfig } from './causal-encoder.ts';
import { inputBatch, type EncodedHistory, type InputBatch, type TrainingBatch } from './sequence-batch.ts';
import { embeddingLookup, matMulTransposed } from './tensor-ops.ts';
import { WeightFactory, type Weights } from './weights.ts';

/**
 * 'bce': the paper's loss, one uniform negative per step. 'ce': softmax over the whole catalog.
 * 'sampled-ce': softmax over the positive and `negatives` uniform items shared by the batch
 * (gSASRec-style; full CE costs a [positions × items] product per step, too slow on wasm).
 */
export type SasRecLoss = 'bce' | 'ce' | 'sampled-ce';

export interface SasRecConfig extends EncoderConfig {
  items: number;
  loss: SasRecLoss;
  /** Shared negatives per batch for 'sampled-ce'. */
  negatives: number;
}

const ENC = 'encoder';

export class SasRecModel {
  readonly w: Weights;
  private readonly negatives: () => number;

  constructor(
    readonly config: SasRecConfig,
    seed: number,
  ) {
    const factory = new WeightFactory(seed);
    // Row 0 is padding; item i is row i + 1.
    factory.normal('item', [config.items + 1, config.dims], 1 / Math.sqrt(config.dims));
    createEncoderWeights(factory, config, ENC);
    this.w = factory.weights;
    this.negatives = seededRandom(seed ^ 0x5eed);
  }

  /** Encoder outputs [B, L, d] for a padded batch. */
  outputs(batch: InputBatch, training: boolean, seed: number): tf.Tensor3D {
    const { batch: b, len, tokens, valid } = batch;
    const ids = tf.tensor2d(tokens, [b, len], 'int32');
    // × sqrt(d) as in the reference implementation, so embeddings are not drowned by positions.
    const x = tf.mul(embeddingLookup(this.w.item as tf.Tensor as tf.Tensor2D, ids), Math.sqrt(this.config.dims)) as tf.Tensor3D;
    return encodeSequence(this.w, this.config, ENC, x, tf.tensor2d(valid, [b, len]), { training, seed });
  }

  /** Mean loss over every column that has a target. */
  loss(batch: TrainingBatch, step: number): tf.Scalar {
    const d = this.config.dims;
    const out = tf.reshape(this.outputs(batch, true, step * 1000), [-1, d]) as tf.Tensor2D;
    const at: number[] = [];
    const targets: number[] = [];
    batch.targets.forEach((t, i) => {
      if (t > 0) {
        at.push(i);
        targets.push(t);
      }
    });
    const h = embeddingLookup(out, tf.tensor1d(at, 'int32')) as tf.Tensor2D;
    const table = this.w.item as tf.Tensor as tf.Tensor2D;
    const positive = tf.sum(tf.mul(h, embeddingLookup(table, tf.tensor1d(targets, 'int32'))), -1);
    if (this.config.loss === 'bce') {
      // One uniform negative per step, as in the paper (a collision with the user's own items is rare).
      const negatives = targets.map(() => 1 + Math.floor(this.negatives() * this.config.items));
      const negative = tf.sum(tf.mul(h, embeddingLookup(table, tf.tensor1d(negatives, 'int32'))), -1);
      return tf.mean(tf.add(tf.softplus(tf.neg(positive)), tf.softplus(negative))) as tf.Scalar;
    }
    if (this.config.loss === 'sampled-ce') {
      const sampled = Array.from({ length: this.config.negatives }, () => 1 + Math.floor(this.negatives() * this.config.items));
      const negativeLogits = matMulTransposed(h, embeddingLookup(table, tf.tensor1d(sampled, 'int32')) as tf.Tensor2D);
      const all = tf.concat([tf.reshape(positive, [-1, 1]), negativeLogits], 1);
      return tf.mean(tf.sub(tf.logSumExp(all, -1), positive)) as tf.Scalar;
    }
    const logits = matMulTransposed(h, tf.slice(table, [1, 0], [this.config.items, d]) as tf.Tensor2D);
    return tf.mean(tf.sub(tf.logSumExp(logits, -1), positive)) as tf.Scalar;
  }

  /** Full-catalog scores [histories.length][items] from the last column's output. */
  async score(histories: readonly EncodedHistory[]): Promise<Float32Array[]> {
    const n = this.config.items;
    const d = this.config.dims;
    const scores = tf.tidy(() => {
      const batch = inputBatch(histories, this.config.maxLen);
      const out = this.outputs(batch, false, 0);
      const last = tf.reshape(tf.slice(out, [0, batch.len - 1, 0], [histories.length, 1, d]), [histories.length, d]);
      return matMulTransposed(last as tf.Tensor2D, tf.slice(this.w.item as tf.Tensor as tf.Tensor2D, [1, 0], [n, d]) as tf.Tensor2D);
    });
    const flat = (await scores.data()) as Float32Array;
    scores.dispose();
    return histories.map((_, i) => flat.slice(i * n, (i + 1) * n));
  }
}
