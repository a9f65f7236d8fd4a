/**
 * A small causal transformer encoder (pre-LayerNorm blocks of self-attention and a point-wise
 * feed-forward net), shared by SASRec and the Thought Space behaviour tower so that the two
 * differ only in what they feed it and how they are trained.
 *
 * Sequences are left-padded: position L−1 is the newest event. Position i attends to j ≤ i
 * where j is not padding, so nothing later in time can change an earlier output (tested).
 */
import * as tf from '@tensorflow/tfjs-core';
import { dense, dropout, layerNorm, matMul } from './tensor-ops.ts';
import type { WeightFactory, Weights } from './weights.ts';

export interface EncoderConfig {
  dims: number;
  blocks: number;
  heads: number;
  maxLen: number;
  dropout: number;
}

/** Adds the encoder's weights under `prefix` (positions, blocks, final norm). */
export function createEncoderWeights(factory: WeightFactory, config: EncoderConfig, prefix: string): void {
  const d = config.dims;
  if (d % config.heads !== 0) throw new Error(`dims ${d} must be a multiple of heads ${config.heads}`);
  factory.normal(`${prefix}.position`, [config.maxLen, d], 0.02);
  for (let b = 0; b < config.blocks; b++) {
    const p = `${prefix}.block${b}`;
    factory.constant(`${p}.ln1.gamma`, [d], 1);
    factory.constant(`${p}.ln1.beta`, [d], 0);
    for (const m of ['q', 'k', 'v', 'o']) {
      factory.normal(`${p}.attn.${m}`, [d, d]);
      factory.constant(`${p}.attn.${m}.bias`, [d], 0);
    }
    factory.constant(`${p}.ln2.gamma`, [d], 1);
    factory.constant(`${p}.ln2.beta`, [d], 0);
    factory.normal(`${p}.ffn.w1`, [d, d]);
    factory.constant(`${p}.ffn.b1`, [d], 0);
    factory.normal(`${p}.ffn.w2`, [d, d]);
    factory.constant(`${p}.ffn.b2`, [d], 0);
  }
  factory.constant(`${prefix}.ln.gamma`, [d], 1);
  factory.constant(`${prefix}.ln.beta`, [d], 0);
}

/**
 * Additive attention bias [B, 1, L, L]: 0 where query i may see key j (j ≤ i, j not padding),
 * −1e9 elsewhere. `valid` is [B, L] with 1 for real events and 0 for padding.
 */
export function causalBias(valid: tf.Tensor2D): tf.Tensor4D {
  const [batch, len] = valid.shape;
  return tf.tidy(() => {
    const lower = new Float32Array(len * len);
    for (let i = 0; i < len; i++) for (let j = 0; j <= i; j++) lower[i * len + j] = 1;
    const causal = tf.tensor2d(lower, [len, len]);
    const keys = tf.reshape(valid, [batch, 1, 1, len]);
    const allowed = tf.mul(causal, keys);
    return tf.mul(tf.sub(1, allowed), -1e9) as tf.Tensor4D;
  });
}

export interface EncodeOptions {
  training: boolean;
  /** Seed for this call's dropout masks (vary it per step). */
  seed: number;
}

/**
 * Runs the encoder over already-embedded events `x` [B, L, d] (position embeddings are added
 * here) and returns [B, L, d]. Padding rows come out as zeros.
 */
export function encodeSequence(
  w: Weights,
  config: EncoderConfig,
  prefix: string,
  x: tf.Tensor3D,
  valid: tf.Tensor2D,
  options: EncodeOptions,
): tf.Tensor3D {
  const [batch, len, d] = x.shape;
  if (len > config.maxLen) throw new Error(`sequence length ${len} exceeds maxLen ${config.maxLen}`);
  const heads = config.heads;
  const dh = d / heads;
  const rate = config.dropout;
  let seed = options.seed;
  const drop = (t: tf.Tensor) => dropout(t, rate, options.training, seed++);
  const mask = tf.reshape(valid, [batch, len, 1]);
  // Newest event is always at position maxLen−1 … counting back, so "how long ago" is what a
  // position means, whatever the history's length.
  const positions = tf.slice(w[`${prefix}.position`]!, [config.maxLen - len, 0], [len, d]);
  let h = tf.mul(drop(tf.add(x, positions)), mask);
  const bias = causalBias(valid);
  // Heads folded into the batch axis: [B·heads, L, dh], so every product is a rank-3 matMul.
  const splitHeads = (t: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [batch, len, heads, dh]), [0, 2, 1, 3]), [batch * heads, len, dh]);
  const biasPerHead = tf.reshape(tf.tile(bias, [1, heads, 1, 1]), [batch * heads, len, len]);
  for (let b = 0; b < config.blocks; b++) {
    const p = `${prefix}.block${b}`;
    const g = (name: string) => w[`${p}.${name}`]! as tf.Tensor;
    const n1 = layerNorm(h, g('ln1.gamma') as tf.Tensor1D, g('ln1.beta') as tf.Tensor1D);
    const q = splitHeads(dense(n1, g('attn.q') as tf.Tensor2D, g('attn.q.bias') as tf.Tensor1D));
    const k = splitHeads(dense(n1, g('attn.k') as tf.Tensor2D, g('attn.k.bias') as tf.Tensor1D));
    const v = splitHeads(dense(n1, g('attn.v') as tf.Tensor2D, g('attn.v.bias') as tf.Tensor1D));
    const scores = tf.add(tf.div(matMul(q, tf.transpose(k, [0, 2, 1])), Math.sqrt(dh)), biasPerHead);
    const attention = drop(tf.softmax(scores));
    const context = tf.reshape(tf.transpose(tf.reshape(matMul(attention, v), [batch, heads, len, dh]), [0, 2, 1, 3]), [batch, len, d]);
    h = tf.add(h, drop(dense(context, g('attn.o') as tf.Tensor2D, g('attn.o.bias') as tf.Tensor1D)));
    const n2 = layerNorm(h, g('ln2.gamma') as tf.Tensor1D, g('ln2.beta') as tf.Tensor1D);
    const ffn = dense(tf.relu(dense(n2, g('ffn.w1') as tf.Tensor2D, g('ffn.b1') as tf.Tensor1D)), g('ffn.w2') as tf.Tensor2D, g('ffn.b2') as tf.Tensor1D);
    h = tf.mul(tf.add(h, drop(ffn)), mask);
  }
  const out = layerNorm(h, w[`${prefix}.ln.gamma`] as tf.Tensor as tf.Tensor1D, w[`${prefix}.ln.beta`] as tf.Tensor as tf.Tensor1D);
  return tf.mul(out, mask) as tf.Tensor3D;
}
