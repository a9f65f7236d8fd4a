import * as tf from '@tensorflow/tfjs-core';
import { headDim, gptParameterShapes, type GptConfig, type GptWeights } from './gpt-config.ts';

/**
 * The decoder in tfjs: trains in Node and serves as the reference the ONNX export is checked
 * against. Every operation here has a twin in gpt-onnx.ts (same order, same constants).
 */

const MASKED_SCORE = -1e9;
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * Row lookup (`table[indices]`) with a scatter-add gradient: tfjs-backend-wasm has no
 * UnsortedSegmentSum, which tf.gather's own gradient needs, but ScatterNd sums duplicates.
 */
export function gatherRows(table: tf.Tensor2D, indices: tf.Tensor1D): tf.Tensor2D {
  const rows = table.shape[0];
  const lookup = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [t, idx, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    // Inputs captured by closure may be disposed by the time the gradient runs; saved ones are kept.
    save([idx]);
    const value = tf.gather(t, idx as tf.Tensor1D) as tf.Tensor2D;
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [savedIdx] = saved as [tf.Tensor1D];
      return [tf.scatterND(tf.expandDims(savedIdx, 1), dy, [rows, dy.shape[1]!]), tf.zerosLike(savedIdx)];
    };
    return { value, gradFunc };
  });
  return lookup(table, indices) as tf.Tensor2D;
}

/** Swaps the last two axes. */
function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[perm.length - 1] = perm.length - 2;
  perm[perm.length - 2] = perm.length - 1;
  return tf.transpose(x, perm);
}

/**
 * a·b with a gradient built from plain products of explicitly transposed operands: the wasm
 * backend's transposeA/transposeB paths (which tf.matMul's own gradient uses) run 5–10× slower
 * than a transpose followed by an ordinary product.
 */
export function matMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const product = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([x, y]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sy] = saved as [tf.Tensor, tf.Tensor];
        return [tf.matMul(dy, transposeLast(sy)), tf.matMul(transposeLast(sx), dy)];
      },
    };
  });
  return product(a, b);
}

function layerNorm(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gain), bias);
}

/** GPT-2's tanh approximation of GELU. */
function gelu(x: tf.Tensor): tf.Tensor {
  const cube = tf.mul(tf.mul(x, x), x);
  const inner = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), GELU_C);
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

export class GptModel {
  readonly variables: Map<string, tf.Variable>;

  constructor(
    readonly config: GptConfig,
    weights: GptWeights,
  ) {
    this.variables = new Map();
    for (const [name, shape] of gptParameterShapes(config)) {
      const weight = weights.get(name);
      if (!weight) throw new Error(`GPT weights: missing ${name}`);
      if (weight.shape.join() !== shape.join()) throw new Error(`GPT weights: ${name} is [${weight.shape}], expected [${shape}]`);
      // Unnamed: tfjs names must be globally unique, and several models may coexist (tests).
      this.variables.set(name, tf.variable(tf.tensor(weight.values, shape), true));
    }
  }

  private v(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`GPT: no weight ${name}`);
    return variable;
  }

  /**
   * Final hidden states [batch, time, dModel] for right-padded token ids [batch, time]
   * (positions 0..time-1; a causal mask, so padding after a sequence never reaches it).
   */
  hidden(ids: tf.Tensor2D): tf.Tensor3D {
    const { dModel: d, nHeads: h, layerNormEpsilon: eps } = this.config;
    const hd = headDim(this.config);
    const [batch, time] = ids.shape;
    if (time > this.config.contextLength) throw new Error(`GPT: ${time} tokens exceed the context of ${this.config.contextLength}`);
    const tokens = gatherRows(this.v('wte') as tf.Tensor2D, tf.reshape(ids, [-1]) as tf.Tensor1D);
    const positions = gatherRows(this.v('wpe') as tf.Tensor2D, tf.range(0, time, 1, 'int32'));
    let x: tf.Tensor = tf.add(tf.reshape(tokens, [batch, time, d]), positions);
    // Additive mask: 0 where key ≤ query, MASKED_SCORE above the diagonal. Adding it equals the
    // ONNX graph's Where (score + 0 is exact; exp of ≈-1e9 is 0) and broadcasts without Tile.
    const causal = tf.greaterEqual(tf.expandDims(tf.range(0, time, 1, 'int32'), 1), tf.range(0, time, 1, 'int32'));
    const maskBias = tf.where(causal, tf.zeros([time, time]), tf.fill([time, time], MASKED_SCORE));
    const scale = 1 / Math.sqrt(hd);
    for (let i = 0; i < this.config.nLayers; i++) {
      const p = `h.${i}.`;
      const a = layerNorm(x, this.v(`${p}ln_1.weight`), this.v(`${p}ln_1.bias`), eps);
      const qkv = tf.add(matMul(tf.reshape(a, [batch * time, d]), this.v(`${p}attn.qkv.weight`)), this.v(`${p}attn.qkv.bias`));
      const [q, k, v] = tf.split(tf.reshape(qkv, [batch, time, 3 * d]), 3, 2).map((t) =>
        tf.transpose(tf.reshape(t, [batch, time, h, hd]), [0, 2, 1, 3]),
      ) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
      const scores = tf.mul(matMul(q, transposeLast(k)), scale);
      const probs = tf.softmax(tf.add(scores, maskBias));
      const context = tf.reshape(tf.transpose(matMul(probs, v), [0, 2, 1, 3]), [batch * time, d]);
      const attended = tf.add(matMul(context, this.v(`${p}attn.proj.weight`)), this.v(`${p}attn.proj.bias`));
      x = tf.add(x, tf.reshape(attended, [batch, time, d]));
      const m = tf.reshape(layerNorm(x, this.v(`${p}ln_2.weight`), this.v(`${p}ln_2.bias`), eps), [batch * time, d]);
      const fc = gelu(tf.add(matMul(m, this.v(`${p}mlp.fc.weight`)), this.v(`${p}mlp.fc.bias`)));
      const out = tf.add(matMul(fc, this.v(`${p}mlp.proj.weight`)), this.v(`${p}mlp.proj.bias`));
      x = tf.add(x, tf.reshape(out, [batch, time, d]));
    }
    return layerNorm(x, this.v('ln_f.weight'), this.v('ln_f.bias'), eps) as tf.Tensor3D;
  }

  /** Next-token logits [rows, vocab] for hidden-state rows [rows, dModel] (tied embeddings). */
  logitsOf(rows: tf.Tensor2D): tf.Tensor2D {
    return matMul(rows, transposeLast(this.v('wte'))) as tf.Tensor2D;
  }

  /** Logits [batch, time, vocab] for every position. */
  logits(ids: tf.Tensor2D): tf.Tensor3D {
    return tf.tidy(() => {
      const hidden = this.hidden(ids);
      const [batch, time] = ids.shape;
      return tf.reshape(this.logitsOf(tf.reshape(hidden, [batch * time, this.config.dModel])), [batch, time, this.config.vocabSize]);
    });
  }

  /**
   * Greedy continuation without a KV cache (the whole sequence each step): slow, but an
   * independent reference for the cached ONNX decoder.
   */
  async greedy(prompt: readonly number[], maxNewTokens: number, stopIds: readonly number[] = []): Promise<number[]> {
    const ids = [...prompt];
    const out: number[] = [];
    for (let step = 0; step < maxNewTokens && ids.length < this.config.contextLength; step++) {
      const argMax = tf.tidy(() => {
        const hidden = this.hidden(tf.tensor2d([ids], [1, ids.length], 'int32'));
        const last = tf.slice(hidden, [0, ids.length - 1, 0], [1, 1, this.config.dModel]);
        return tf.argMax(this.logitsOf(tf.reshape(last, [1, this.config.dModel])), 1);
      });
      const next = (await argMax.data())[0]!;
      argMax.dispose();
      out.push(next);
      ids.push(next);
      if (stopIds.includes(next)) break;
    }
    return out;
  }

  /** The current weights as plain arrays (for export and checkpoints); read asynchronously, as WebGPU needs. */
  async weights(): Promise<GptWeights> {
    const out: GptWeights = new Map();
    for (const [name, variable] of this.variables) {
      out.set(name, { shape: [...variable.shape], values: Float32Array.from((await variable.data()) as Float32Array) });
    }
    return out;
  }

  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
  }
}
