/**
 * Node-only: makes tfjs ready to train. tfjs-core registers no gradients by itself (the union
 * package `@tensorflow/tfjs` does, into the same global registry), and the fastest Node
 * backend here is wasm (see model/node-backend.ts). Idempotent.
 */
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend, type NodeBackend } from '../model/node-backend.ts';

let ready: Promise<NodeBackend> | null = null;

export function ensureTrainingBackend(): Promise<NodeBackend> {
  ready ??= (async () => {
    const name = tf.getBackend();
    if (name === 'wasm' || name === 'cpu') return name;
    return useNodeBackend((process.env.PULSE_TF_BACKEND as NodeBackend | undefined) ?? 'wasm');
  })();
  return ready;
}
