/**
 * Named trainable weights with seeded initialisation. A model is a plain record of
 * tf.Variables, so training (Node) and inference (worker) run the same forward functions and
 * export is just "write every variable" (see weights-file.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { seededRandom } from '../core/random.ts';

export type Weights = Record<string, tf.Variable>;

/** Standard normal samples from a seeded uniform source (Box–Muller). */
export function normalSamples(count: number, random: () => number, std: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = Math.max(random(), 1e-12);
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Creates weights one by one from a single seeded stream, so the same seed gives the same model. */
export class WeightFactory {
  readonly weights: Weights = {};
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = seededRandom(seed);
  }

  /** Glorot-style normal: std = sqrt(2 / (fanIn + fanOut)) unless `std` is given. */
  normal(name: string, shape: number[], std?: number): tf.Variable {
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = shape.length > 1 ? shape[shape.length - 2]! : shape[0]!;
    const fanOut = shape[shape.length - 1]!;
    const values = normalSamples(size, this.random, std ?? Math.sqrt(2 / (fanIn + fanOut)));
    return this.add(name, tf.tensor(values, shape));
  }

  constant(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  private add(name: string, initial: tf.Tensor): tf.Variable {
    if (name in this.weights) throw new Error(`weight "${name}" defined twice`);
    // Unnamed in tfjs (its names are engine-global, and two models may coexist); named here.
    const variable = tf.variable(initial, true);
    initial.dispose();
    this.weights[name] = variable;
    return variable;
  }
}

export function disposeWeights(weights: Weights): void {
  for (const variable of Object.values(weights)) variable.dispose();
}

export function countParameters(weights: Weights): number {
  return Object.values(weights).reduce((sum, v) => sum + v.size, 0);
}
