/**
 * Chooses the tfjs backend: webgpu → wasm → cpu, or an override first. Reports what it
 * got and why each better option was refused, so the page can say so.
 *
 * A software WebGPU adapter (`isFallbackAdapter`: SwiftShader emulating a GPU on the CPU) is
 * passed over unless WebGPU was asked for by name: scoring the demo catalog took 3,060 ms
 * there against 21 ms on wasm (issue 14), and the language model avoids it for the same reason.
 */
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { AdapterInfo } from '../client/api.ts';
import type { BackendName } from '../core/types.ts';
import { assertWasmAllowed } from './wasm-probe.ts';
import { exclusive } from './backend-lock.ts';

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

/**
 * The webgpu and cpu backends' modules load when first tried: the worker's own script is then
 * only what the usual path runs (wasm on a device without a usable GPU). The webgpu module
 * alone is about 290 KB minified, which every worker start compiled and evaluated before
 * `init` could begin, on devices that never use it (bench/boot-breakdown.ts). wasm stays in the
 * worker's script: it is the backend most shoppers get, and WebGPU's CPU-side helper.
 */
const modules = new Map<BackendName, Promise<unknown>>();
function loadModule(backend: BackendName): Promise<unknown> {
  let loading = modules.get(backend);
  if (!loading) {
    loading = backend === 'webgpu' ? import('./webgpu-backend.ts') : backend === 'cpu' ? import('./cpu-backend.ts') : Promise.resolve();
    // A failed load (a missing chunk) is tried again by the next caller.
    loading.catch(() => modules.delete(backend));
    modules.set(backend, loading);
  }
  return loading;
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

/** Why a software adapter is skipped, in the words status().fallbackReasons shows. */
export function softwareAdapterReason(adapter: AdapterInfo): string {
  const name = [adapter.vendor, adapter.architecture].filter((part) => part !== '').join(' ') || 'unnamed';
  return `the WebGPU adapter (${name}) is a software fallback that emulates a GPU on the CPU, where wasm ranks about 100× faster; pass backend: 'webgpu' to use it anyway`;
}

class SoftwareAdapter extends Error {
  constructor(readonly adapter: AdapterInfo) {
    super(softwareAdapterReason(adapter));
  }
}

async function activate(backend: BackendName, explicit: boolean): Promise<AdapterInfo | null> {
  let adapter: AdapterInfo | null = null;
  if (backend === 'webgpu') {
    adapter = await probeAdapter();
    if (adapter.isFallbackAdapter && !explicit) throw new SoftwareAdapter(adapter);
  }
  if (backend === 'wasm') {
    assertWasmAllowed();
    configureWasm();
  }
  await loadModule(backend);
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

/** `requested` undefined: automatic (a software WebGPU adapter is skipped); named: tried first as it is. */
export async function chooseBackend(requested?: BackendName): Promise<BackendChoice> {
  const fallbackReasons: string[] = [];
  // The adapter is reported even when it is skipped: the SLM host and the page read it.
  let seen: AdapterInfo | null = null;
  for (const backend of backendCandidates(requested)) {
    try {
      const adapter = await activate(backend, backend === requested);
      return { backend, requested: requested ?? 'webgpu', fallbackReasons, adapter: adapter ?? seen };
    } catch (error) {
      if (error instanceof SoftwareAdapter) seen = error.adapter;
      fallbackReasons.push(`${backend}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new Error(`no tfjs backend could start — ${fallbackReasons.join('; ')}`);
}

/**
 * Runs `work` on a CPU-side backend (wasm, else cpu) while ranking is on WebGPU, then switches
 * back to the same WebGPU backend (tfjs keeps it and its tensors).
 *
 * Why: USE-lite's graph computes shapes on the device and tfjs-converter reads them back
 * synchronously (dataSync on the Reshape/SparseToDense/Slice shape inputs). On WebGPU that is
 * tfjs-backend-webgpu's readSync, which copies through an OffscreenCanvas WebGPU context and a
 * 2D drawImage; in a worker on this adapter it returns garbage sizes ("Failed to read the 'size'
 * property from 'GPUBufferDescriptor'") or loses the instance, after which every mapAsync fails
 * ("A valid external Instance reference no longer exists") and ranking dies with it. Embedding
 * a catalog is a one-off batch whose vectors are copied out anyway, so it runs where sync
 * reads are plain memory reads.
 */
export async function onCpuSideBackend<T>(work: () => Promise<T>): Promise<T> {
  if (tf.getBackend() !== 'webgpu') return work();
  return exclusive(() => switched(work));
}

async function switched<T>(work: () => Promise<T>): Promise<T> {
  let switched = false;
  for (const backend of ['wasm', 'cpu'] as const) {
    try {
      if (backend === 'wasm') {
        assertWasmAllowed();
        configureWasm();
      }
      await loadModule(backend);
      if (await tf.setBackend(backend)) {
        switched = true;
        break;
      }
    } catch {
      // the next one, or stay on WebGPU if neither starts
    }
  }
  try {
    return await work();
  } finally {
    if (switched) await tf.setBackend('webgpu');
  }
}

/** A sentence encoder (USE-lite) whose every call runs on a CPU-side backend (onCpuSideBackend). */
export function onCpuSide<E extends { embed(texts: ReadonlyArray<string>): Promise<Float32Array> }>(encoder: E): E {
  const embed = encoder.embed.bind(encoder);
  return Object.assign(Object.create(encoder) as E, { embed: (texts: ReadonlyArray<string>) => onCpuSideBackend(() => embed(texts)) });
}

