/**
 * Node-only: picks the fastest tfjs backend available to the offline commands. The wasm
 * backend is ~30× the plain cpu backend in Node (PLATFORM.md) and has every kernel the
 * USE-lite graph needs; cpu remains the fallback when wasm cannot start. WebGPU (Dawn, see
 * node-webgpu.ts) is only for a machine with a real GPU, and only when asked for: there is no
 * silent fallback from it, since a GPU run planned for minutes would take hours on wasm.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installDawn } from './node-webgpu.ts';

export type NodeBackend = 'wasm' | 'cpu' | 'webgpu';

let webgpuAdapter: string | null = null;

/** What the tfjs backend runs on: the WebGPU adapter, or the CPU. */
export function nodeBackendDevice(): string {
  if (tf.getBackend() === 'webgpu' && webgpuAdapter !== null) return webgpuAdapter;
  const cores = cpus();
  return `${cores[0]?.model.trim() ?? 'CPU'} (${cores.length} cores)`;
}

/** Sets the tfjs backend (wasm unless told otherwise) and returns the one it got. */
export async function useNodeBackend(preferred: NodeBackend = 'wasm', webgpuModule = 'webgpu'): Promise<NodeBackend> {
  if (preferred === 'webgpu') {
    const gpu = await installDawn(webgpuModule);
    if ('missing' in gpu) throw new Error(`WebGPU backend asked for, but ${gpu.missing}`);
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) throw new Error(`tfjs could not start its webgpu backend on ${gpu.adapter}`);
    webgpuAdapter = gpu.adapter;
    await tf.ready();
    return 'webgpu';
  }
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
