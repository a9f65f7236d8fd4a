/**
 * The PULSE Thought Space towers (tfjs-core only, so the worker runs the same code).
 *
 * - item tower: the item's USE-lite text vector → linear projection, plus an ID embedding
 *   for items seen in training (optional; off for the `noid` ablation).
 * - behaviour tower: item-tower vectors of the history + a rating / event-type embedding →
 *   the causal encoder (positions added there) → one vector per step. The vector at the step
 *   of event t has read "the history and the item chosen at t": the PULSE behaviour view.
 * - rationale tower: the USE-lite text vector of a rationale → linear projection.
 *
 * All three share one d-dimensional space. Item scores are dot products with the behaviour
 * vector (the *what*); rationale and behaviour meet by cosine InfoNCE (the *why*). At
 * recommendation time the query is the behaviour vector, optionally steered by the rationale
 * vector of the browser's preference statement (see steerQuery).
 */
import * as tf from '@tensorflow/tfjs-core';
import { createEncoderWeights, encodeSequence, type EncoderConfig } from './causal-encoder.ts';
import { SIGNAL_BUCKETS, type InputBatch } from './sequence-batch.ts';
import { dense, embeddingLookup, matMul, unitRows } from './tensor-ops.ts';
import { WeightFactory, type Weights } from './weights.ts';

export interface ThoughtSpaceConfig extends EncoderConfig {
  items: number;
  textDims: number;
  /** Add a learned per-item embedding to the text projection (warm items). */
  useIdEmbedding: boolean;
}

export const BEHAVIOUR = 'behaviour';

export function createThoughtSpaceWeights(config: ThoughtSpaceConfig, seed: number): Weights {
  const f = new WeightFactory(seed);
  const d = config.dims;
  f.normal('item.text.w', [config.textDims, d]);
  f.constant('item.text.b', [d], 0);
  // Small start: the ID part begins as a correction to the text projection, not noise over it.
  if (config.useIdEmbedding) f.normal('item.id', [config.items, d], 0.01);
  f.normal('behaviour.signal', [SIGNAL_BUCKETS, d], 1 / Math.sqrt(d));
  createEncoderWeights(f, config, BEHAVIOUR);
  f.normal('rationale.w', [config.textDims, d]);
  f.constant('rationale.b', [d], 0);
  // Learned inverse temperature of the alignment InfoNCE, log-parametrised; starts at 1/0.07.
  f.constant('why.logScale', [], Math.log(1 / 0.07));
  return f.weights;
}

/** Item-tower vectors [rows.length × d] for catalog rows (text projection + optional ID). */
export function itemTower(w: Weights, textVectors: tf.Tensor2D, rows: tf.Tensor1D): tf.Tensor2D {
  const text = embeddingLookup(textVectors, rows) as tf.Tensor2D;
  const projected = dense(text, w['item.text.w'] as tf.Tensor as tf.Tensor2D, w['item.text.b'] as tf.Tensor as tf.Tensor1D) as tf.Tensor2D;
  const id = w['item.id'];
  return id === undefined ? projected : tf.add(projected, embeddingLookup(id as tf.Tensor as tf.Tensor2D, rows)) as tf.Tensor2D;
}

/**
 * Behaviour-tower outputs [B, L, d]. `itemVectorsOf(tokenRows)` supplies item-tower vectors:
 * computed from text in training, read from the exported matrix in the worker.
 */
export function behaviourOutputs(
  w: Weights,
  config: ThoughtSpaceConfig,
  batch: InputBatch,
  itemVectorsOf: (rows: tf.Tensor1D) => tf.Tensor2D,
  training: boolean,
  seed: number,
): tf.Tensor3D {
  const { batch: b, len, tokens, signals, valid } = batch;
  const d = config.dims;
  // Padding (token 0) reads row 0; the encoder zeroes padded steps, so its value never matters.
  const rows = tf.tensor1d(tokens.map((t) => Math.max(0, t - 1)), 'int32');
  const items = tf.reshape(itemVectorsOf(rows), [b, len, d]);
  const signal = embeddingLookup(w['behaviour.signal'] as tf.Tensor as tf.Tensor2D, tf.tensor2d(signals, [b, len], 'int32'));
  const x = tf.add(tf.mul(items, Math.sqrt(d)), signal) as tf.Tensor3D;
  return encodeSequence(w, config, BEHAVIOUR, x, tf.tensor2d(valid, [b, len]), { training, seed });
}

/** Rationale-tower vectors [n × d] from rationale text vectors [n × textDims]. */
export function rationaleTower(w: Weights, textVectors: tf.Tensor2D): tf.Tensor2D {
  return dense(textVectors, w['rationale.w'] as tf.Tensor as tf.Tensor2D, w['rationale.b'] as tf.Tensor as tf.Tensor1D) as tf.Tensor2D;
}

/**
 * The query for scoring items: the behaviour vector, plus α times the rationale vector
 * rescaled to the behaviour vector's length (so α means the same for every user). α = 0 is
 * behaviour alone; `rationaleOnly` scores by the rationale vector alone (an ablation).
 */
export function steerQuery(behaviour: tf.Tensor2D, rationale: tf.Tensor2D | null, alpha: number, rationaleOnly = false): tf.Tensor2D {
  if (rationale === null) return behaviour;
  if (rationaleOnly) return rationale;
  if (alpha === 0) return behaviour;
  const length = tf.norm(behaviour, 'euclidean', -1, true);
  return tf.add(behaviour, tf.mul(unitRows(rationale), tf.mul(length, alpha))) as tf.Tensor2D;
}

/**
 * Symmetric InfoNCE between row-paired behaviour and rationale vectors (cosine similarity,
 * learned temperature, the other rows of the batch as negatives), as in PULSE / CLIP.
 */
export function alignmentLoss(w: Weights, behaviour: tf.Tensor2D, rationale: tf.Tensor2D): tf.Scalar {
  const n = behaviour.shape[0];
  // Clipped as in CLIP so the temperature cannot run away to a degenerate sharp softmax.
  const scale = tf.exp(tf.minimum(w['why.logScale'] as tf.Tensor, Math.log(100)));
  const logits = tf.mul(matMul(unitRows(behaviour) as tf.Tensor2D, tf.transpose(unitRows(rationale)) as tf.Tensor2D), scale) as tf.Tensor2D;
  const diagonal = tf.sum(tf.mul(logits, tf.eye(n)), -1);
  const rowsLoss = tf.sub(tf.logSumExp(logits, 1), diagonal);
  const colsLoss = tf.sub(tf.logSumExp(logits, 0), diagonal);
  return tf.mul(tf.mean(tf.add(rowsLoss, colsLoss)), 0.5) as tf.Scalar;
}
