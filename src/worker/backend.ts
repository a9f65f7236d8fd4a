/**
 * Chooses the tfjs backend: webgpu → wasm → cpu, or an override first. Reports what it
 * got and why each better option was refused, so the page can say so.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { AdapterInfo } from '../client/api.ts';
import type { BackendName } from '../core/types.ts';
import { assertWasmAllowed } from './wasm-probe.ts';

export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

export interface BackendChoice {
  backend: BackendName;
  requested: BackendName;
  fallbackReasons: string[];
  adapter: AdapterInfo | null;
}

/** The order to try: the requested backend first, then the rest in the usual order. */
export function backendCandidates(requested?: BackendName): BackendName[] {
  const first = requested ?? 'webgpu';
  return [first, ...BACKEND_ORDER.filter((b) => b !== first)];
}

async function probeAdapter(): Promise<AdapterInfo> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error('this browser exposes no WebGPU (navigator.gpu is undefined)');
  const adapter = await gpu.requestAdapter();
  if (!adapter) throw new Error('WebGPU returned no adapter (no usable GPU, or WebGPU is disabled)');
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    // Chromium reports this on the adapter info; older builds only on the adapter.
    isFallbackAdapter: Boolean(
      (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ??
        (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter,
    ),
  };
}

let wasmConfigured = false;
function configureWasm(): void {
  if (wasmConfigured) return;
  // Self-hosted files only: never the CDN default. Threads need cross-origin isolation,
  // which a storefront rarely has; the SIMD build is used then.
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
  });
  if (!globalThis.crossOriginIsolated) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasmConfigured = true;
}

async function activate(backend: BackendName): Promise<AdapterInfo | null> {
  let adapter: AdapterInfo | null = null;
  if (backend === 'webgpu') adapter = await probeAdapter();
  if (backend === 'wasm') {
    assertWasmAllowed();
    configureWasm();
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs could not initialise the ${backend} backend`);
  await tf.ready();
  // A tiny product proves the kernels run, not just that the backend registered.
  const check = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
  const [value] = await check.data();
  check.dispose();
  if (value !== 11) throw new Error(`${backend} backend computed ${value} for a 1×2·2×1 product, expected 11`);
  return adapter;
}

export async function chooseBackend(requested?: BackendName): Promise<BackendChoice> {
  const fallbackReasons: string[] = [];
  for (const backend of backendCandidates(requested)) {
    try {
      const adapter = await activate(backend);
      return { backend, requested: requested ?? 'webgpu', fallbackReasons, adapter };
    } catch (error) {
      fallbackReasons.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`no tfjs backend could start — ${fallbackReasons.join('; ')}`);
}
