/**
 * transformers.js' global settings for Pulse, in the worker: models from the site's own
 * `models/` folder only (remote loading off unless the site names its own host), ONNX
 * Runtime's wasm files from this build (never the CDN default), and what the WebGPU
 * adapter can do, for the device and dtype choice.
 */
import { env } from '@huggingface/transformers';
// Self-hosted ORT: transformers.js would otherwise fetch these from a public CDN. Two builds:
// the asyncify one (26.9 MB, 6.6 MB gzipped) carries the WebGPU execution provider; the plain
// SIMD one (14.3 MB, 3.7 MB gzipped) runs the wasm EP alone. transformers.js' own bundle of ORT
// (onnxruntime-web/webgpu) drives either: it picks the plain one itself where WebGPU is absent.
import ortAsyncifyWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import ortAsyncifyFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import ortPlainWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import ortPlainFactoryUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import type { GpuFacts } from './dtype-choice.ts';
import { localModelPathFor } from './model-path.ts';

export interface RuntimeOptions {
  /** Absolute URL of the folder holding the model folders (the site's `/models`). */
  modelsUrl: string;
  /** Opt-in: the site's own model host, tried for files not found locally. */
  remoteHost?: string;
  /** Path under `remoteHost`; default transformers.js' own template. */
  remotePathTemplate?: string;
  /**
   * Will any session run on WebGPU? Only then is ORT's WebGPU-capable (asyncify) build
   * fetched; otherwise the plain SIMD build, half the bytes. ORT loads its wasm once per
   * worker, so this is decided before the first session, for every device that may be tried.
   */
  webgpu: boolean;
}

/** The ORT wasm files for a worker whose sessions run on WebGPU (asyncify) or wasm only (plain). */
export function ortWasmFiles(webgpu: boolean): { wasm: string; mjs: string } {
  return webgpu ? { wasm: ortAsyncifyWasmUrl, mjs: ortAsyncifyFactoryUrl } : { wasm: ortPlainWasmUrl, mjs: ortPlainFactoryUrl };
}

/** Bytes of one file as it downloads (total 0 when the server sends no length). */
export type DownloadListener = (url: string, loaded: number, total: number) => void;
const listeners = new Set<DownloadListener>();

/** Reports every model-file download from now on, until the returned function is called. */
export function watchDownloads(listener: DownloadListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Small JSON files by URL: transformers.js GETs some twice (see modelFetch). */
const jsonBodies = new Map<string, Promise<{ body: ArrayBuffer; status: number; headers: Headers }>>();

/**
 * transformers.js' fetch, wrapped. It reads a local file's "metadata" (does it exist? its
 * size?) with a full GET whose body it drops, then GETs the file again to use it: for
 * tokenizer_config.json always, and for every model file (the .onnx too) when a progress
 * callback is given. So JSON files are fetched once and served from memory after, the model
 * is loaded without transformers.js' progress callback, and download progress is counted
 * here, on the bytes as they arrive.
 */
function modelFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if ((init?.method ?? 'GET') === 'GET' && !new Headers(init?.headers).has('Range') && /\.json(\?|$)/.test(url)) {
      let once = jsonBodies.get(url);
      if (!once) {
        once = base(input, init).then(async (response) => ({ body: await response.arrayBuffer(), status: response.status, headers: response.headers }));
        jsonBodies.set(url, once);
        // A failed or missing file is asked again next time (it may be deployed by then).
        once.then((r) => r.status !== 200 && jsonBodies.delete(url), () => jsonBodies.delete(url));
      }
      const { body, status, headers } = await once;
      report(url, body.byteLength, body.byteLength);
      return new Response(status === 204 || status === 304 ? null : body.slice(0), { status, headers });
    }
    const response = await base(input, init);
    if (!response.body || listeners.size === 0) return response;
    const total = Number(response.headers.get('content-length') ?? 0);
    let loaded = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          loaded += chunk.byteLength;
          report(url, loaded, total);
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function report(url: string, loaded: number, total: number): void {
  for (const listener of listeners) listener(url, loaded, total);
}

let fetchWrapped = false;

/** Applies the settings; safe to call again (e.g. after a model switch). */
export function configureRuntime(options: RuntimeOptions): void {
  if (!fetchWrapped) {
    env.fetch = modelFetch(env.fetch.bind(globalThis) as typeof fetch);
    fetchWrapped = true;
  }
  env.allowLocalModels = true;
  env.localModelPath = localModelPathFor(options.modelsUrl, self.location.origin);
  if (options.remoteHost) {
    const host = new URL(options.remoteHost).href;
    env.allowRemoteModels = true;
    env.remoteHost = host.endsWith('/') ? host : `${host}/`;
    if (options.remotePathTemplate) env.remotePathTemplate = options.remotePathTemplate;
  } else {
    env.allowRemoteModels = false;
  }
  // The site's HTTP caching (ETags) keeps model files fresh across deploys; the Cache API
  // copy transformers.js would add has no revalidation and outlives `forget()`.
  env.useBrowserCache = false;
  env.useWasmCache = false;
  const onnx = env.backends.onnx;
  if (onnx.wasm) {
    const files = ortWasmFiles(options.webgpu);
    onnx.wasm.wasmPaths = { wasm: new URL(files.wasm, self.location.href).href, mjs: new URL(files.mjs, self.location.href).href };
    // Threads need cross-origin isolation, which a storefront rarely has; ask for one
    // rather than have ORT warn and fall back.
    if (!globalThis.crossOriginIsolated) onnx.wasm.numThreads = 1;
  }
}

export async function probeGpu(): Promise<GpuFacts> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { available: false, shaderF16: false, isFallbackAdapter: false, unavailableReason: 'navigator.gpu is undefined' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { available: false, shaderF16: false, isFallbackAdapter: false, unavailableReason: 'requestAdapter() returned null' };
    const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
    const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter);
    return { available: true, shaderF16: adapter.features.has('shader-f16'), isFallbackAdapter };
  } catch (error) {
    return { available: false, shaderF16: false, isFallbackAdapter: false, unavailableReason: error instanceof Error ? error.message : String(error) };
  }
}
