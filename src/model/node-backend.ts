/**
 * Node-only: picks the fastest tfjs backend available to the offline commands. The wasm
 * backend is ~30× the plain cpu backend in Node (PLATFORM.md) and has every kernel the
 * USE-lite graph needs; cpu remains the fallback when wasm cannot start.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type NodeBackend = 'wasm' | 'cpu';

/** Sets the tfjs backend (wasm unless told otherwise) and returns the one it got. */
export async function useNodeBackend(preferred: NodeBackend = 'wasm'): Promise<NodeBackend> {
  if (preferred === 'wasm') {
    // The .wasm binaries ship in the package's dist/; a trailing slash makes this a prefix.
    // PULSE_WASM_DIR: for a bundled build run where there is no node_modules to resolve from.
    const wasmDir = process.env.PULSE_WASM_DIR ?? dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(`${wasmDir}/`);
    if (await tf.setBackend('wasm')) {
      await tf.ready();
      return 'wasm';
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('no tfjs backend could start (tried wasm and cpu)');
  await tf.ready();
  return 'cpu';
}
