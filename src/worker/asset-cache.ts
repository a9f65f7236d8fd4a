/**
 * Model bytes across visits: every file of the build's list (`models/files.json`, see
 * src/core/model-files.ts) is kept in Cache Storage under its URL *and* SHA-256, so a second
 * visit reads models from the device, and a changed file (new hash in the list) is fetched
 * again. Cached bytes are hashed again before use: a corrupt entry is dropped and fetched from
 * the network, never handed to a loader. A quota error only costs the cache, never the model.
 *
 * It wraps `fetch` because three of its callers are libraries that take no fetch argument of
 * ours in every path (tfjs `io.http`, transformers.js, onnxruntime): `install()` replaces the
 * worker's global fetch with one that serves listed files and passes everything else through
 * unchanged. The same object counts bytes for `status().loading`.
 *
 * Platform-free given its three inputs (a Cache, a network fetch, a digest), so Node tests it.
 */
import type { LoadingProgress } from '../client/api.ts';
import { MODEL_FILES, parseModelFileList, toHex, type ModelFileEntry, type ModelFileList } from '../core/model-files.ts';

export function initialLoading(): LoadingProgress {
  return { bytesDone: 0, bytesTotal: 0, filesDone: 0, files: 0, fromCache: 0, fromNetwork: 0, cache: 'off', reason: 'not started', issues: [] };
}

export interface AssetCacheDeps {
  /** The models folder URL (absolute). */
  modelsUrl: string;
  network: typeof fetch;
  /** The Cache to keep files in; null where Cache Storage is missing (not a secure context). */
  openCache(): Promise<Cache | null>;
  sha256(bytes: ArrayBuffer): Promise<string>;
  onProgress?(progress: LoadingProgress): void;
}

const MAX_ISSUES = 20;
/** Progress is posted per file and at most once per this many streamed bytes. */
const PROGRESS_STEP = 1 << 20;

export class AssetCache {
  readonly #deps: AssetCacheDeps;
  readonly #base: string;
  readonly #progress: LoadingProgress = initialLoading();
  #list: Promise<{ list: ModelFileList; cache: Cache | null } | null> | null = null;

  constructor(deps: AssetCacheDeps) {
    this.#deps = deps;
    this.#base = deps.modelsUrl.replace(/\/*$/, '/');
  }

  progress(): LoadingProgress {
    return { ...this.#progress, issues: [...this.#progress.issues] };
  }

  /** A fetch that serves listed model files from the cache (or fills it) and passes the rest on. */
  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const name = this.#nameOf(request.url);
    if (name === null || (request.method !== 'GET' && request.method !== 'HEAD')) return this.#deps.network(input, init);
    const state = await this.#state();
    const entry = state?.list.files[name];
    if (!state || !entry) return this.#deps.network(input, init);
    // A HEAD (the SLM host's probe for a dtype's file) is answered from the list: no request.
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { 'Content-Length': String(entry.bytes) } });
    return this.#get(request.url.split(/[?#]/)[0]!, entry, state.cache, init);
  };

  #nameOf(url: string): string | null {
    const bare = url.split(/[?#]/)[0]!;
    if (!bare.startsWith(this.#base)) return null;
    const name = decodeURIComponent(bare.slice(this.#base.length));
    return name === MODEL_FILES ? null : name;
  }

  #state(): Promise<{ list: ModelFileList; cache: Cache | null } | null> {
    this.#list ??= (async () => {
      // Opened while the list is fetched: both are round trips, neither needs the other.
      const opening = this.#deps.openCache().then(
        (cache) => ({ cache, error: null as unknown }),
        (error: unknown) => ({ cache: null, error }),
      );
      let list: ModelFileList;
      try {
        const response = await this.#deps.network(this.#base + MODEL_FILES);
        if (!response.ok) return this.#off(`no ${MODEL_FILES} next to the models (HTTP ${response.status}): files are fetched on every visit`);
        list = parseModelFileList(await response.json());
      } catch (error) {
        return this.#off(`${MODEL_FILES}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const { cache, error } = await opening;
      if (error !== null) this.#issue(`Cache Storage: ${error instanceof Error ? error.message : String(error)}`);
      this.#progress.cache = cache ? 'on' : 'off';
      this.#progress.reason = cache ? null : 'Cache Storage is unavailable here: files are fetched on every visit';
      this.#post();
      return { list, cache };
    })();
    return this.#list;
  }

  #off(reason: string): null {
    this.#progress.cache = 'off';
    this.#progress.reason = reason;
    this.#post();
    return null;
  }

  async #get(url: string, entry: ModelFileEntry, cache: Cache | null, init?: RequestInit): Promise<Response> {
    this.#progress.files += 1;
    this.#progress.bytesTotal += entry.bytes;
    this.#post();
    const key = `${url}?sha256=${entry.sha256}`;
    if (cache) {
      const hit = await cache.match(key).catch(() => undefined);
      if (hit) {
        const bytes = await hit.arrayBuffer();
        if ((await this.#deps.sha256(bytes)) === entry.sha256) {
          this.#done(bytes.byteLength);
          return new Response(bytes, { status: 200, headers: hit.headers });
        }
        this.#issue(`${url}: the cached copy does not match its hash; fetched again`);
        await cache.delete(key).catch(() => false);
      }
    }
    const response = await this.#deps.network(url, init);
    if (!response.ok || !response.body) {
      this.#progress.bytesTotal -= entry.bytes;
      this.#progress.files -= 1;
      this.#post();
      return response;
    }
    const bytes = await this.#read(response.body);
    this.#done(0);
    const headers = new Headers({ 'Content-Type': response.headers.get('Content-Type') ?? 'application/octet-stream', 'Content-Length': String(bytes.byteLength) });
    if (cache) {
      if ((await this.#deps.sha256(bytes)) !== entry.sha256) {
        // The server's file is not the listed one (a half-updated deploy): use it, as a
        // loader without this cache would, and let the loader's own checks judge it; keep it out of the cache.
        this.#issue(`${url}: the server's file does not match ${MODEL_FILES}; not cached`);
      } else {
        await this.#store(cache, url, key, bytes, headers);
      }
    }
    return new Response(bytes, { status: 200, headers });
  }

  async #store(cache: Cache, url: string, key: string, bytes: ArrayBuffer, headers: Headers): Promise<void> {
    try {
      await cache.put(key, new Response(bytes, { headers }));
      // Older versions of the same file are dead weight on the shopper's disk.
      for (const old of await cache.keys()) {
        if (old.url !== key && old.url.split('?')[0] === url) await cache.delete(old);
      }
    } catch (error) {
      const quota = error instanceof DOMException && error.name === 'QuotaExceededError';
      this.#issue(`${url}: ${quota ? 'storage quota exceeded' : error instanceof Error ? error.message : String(error)}; not cached`);
    }
  }

  /** The body, counted as it arrives so the progress figure moves during big downloads. */
  async #read(body: ReadableStream<Uint8Array>): Promise<ArrayBuffer> {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let posted = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      this.#progress.bytesDone += value.byteLength;
      this.#progress.fromNetwork += value.byteLength;
      if (size - posted >= PROGRESS_STEP) {
        posted = size;
        this.#post();
      }
    }
    const out = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return out.buffer;
  }

  /** A file is complete; network bytes were already counted as they streamed in. */
  #done(cachedBytes: number): void {
    this.#progress.bytesDone += cachedBytes;
    this.#progress.fromCache += cachedBytes;
    this.#progress.filesDone += 1;
    this.#post();
  }

  #issue(text: string): void {
    if (this.#progress.issues.length < MAX_ISSUES) this.#progress.issues.push(text);
    this.#post();
  }

  #post(): void {
    this.#deps.onProgress?.(this.progress());
  }
}

/** The Cache Storage bucket; one name, so `forget` tooling and devtools find it. */
export const ASSET_CACHE_NAME = 'pulse-models';

/**
 * The worker's asset cache, installed as its global fetch. Returns the cache (for progress).
 * Call once, before any loader starts.
 */
export function installAssetCache(modelsUrl: string, onProgress: (progress: LoadingProgress) => void): AssetCache {
  const network = globalThis.fetch.bind(globalThis);
  const assets = new AssetCache({
    modelsUrl: new URL(modelsUrl, self.location.href).href,
    network,
    openCache: async () => (typeof caches === 'undefined' ? null : caches.open(ASSET_CACHE_NAME)),
    sha256: async (bytes) => toHex(await crypto.subtle.digest('SHA-256', bytes)),
    onProgress,
  });
  globalThis.fetch = assets.fetch;
  return assets;
}
