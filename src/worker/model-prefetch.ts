/**
 * A Thought Space folder's big files, requested all at once as soon as the model is known to
 * fit the catalog, while the tfjs backend still compiles: the loader (thought-space-loader.ts,
 * blend-file.ts) reads them one after another, so without this the first list waited for the
 * backend, then each file in turn (measured on the example shop: bench/boot-breakdown.ts).
 *
 * Each early response is handed to its one reader (`take`), who sees exactly what a fetch of
 * its own would have given: the same Response, the same HTTP error, the same rejection. The
 * manifests come through the worker's shared reader (fetch-once.ts), so nothing is requested
 * twice; a manifest that cannot be read just prefetches nothing, and the loader that follows
 * reports the failure in its own words.
 */
import type { FetchOnce } from './fetch-once.ts';

export interface Prefetched {
  /** The early response for a URL, once; undefined when it was not prefetched (or already taken). */
  take(url: string): Promise<Response> | undefined;
}

const THOUGHT_SPACE_MANIFEST = 'thought-space.json';
const BLEND_MANIFEST = 'blend.json';
const FILE_NAME = /^[\w.-]+$/;

async function manifest(read: FetchOnce, url: string): Promise<Record<string, unknown> | null> {
  try {
    const response = await read(url);
    return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const named = (value: unknown): string | null => (typeof value === 'string' && FILE_NAME.test(value) ? value : null);

export function prefetchThoughtSpace(folderUrl: string, readJson: FetchOnce, network: typeof fetch = (input, init) => fetch(input, init)): Prefetched {
  const base = folderUrl.replace(/\/+$/, '');
  const early = new Map<string, Promise<Response>>();
  // Asked for before its prefetch began: the reader fetched it itself, so it is not started again.
  const taken = new Set<string>();
  const start = (name: string | null) => {
    if (name === null) return;
    const url = `${base}/${name}`;
    if (early.has(url) || taken.has(url)) return;
    const response = network(url);
    // Its reader sees a rejection; one that is never taken must not be an unhandled one.
    response.catch(() => {});
    early.set(url, response);
  };
  // The blend's manifest is fetched as a file, not through readJson: a folder without a blend
  // then costs one 404, which the loader reads as "towers alone".
  start(BLEND_MANIFEST);
  void (async () => {
    const space = await manifest(readJson, `${base}/${THOUGHT_SPACE_MANIFEST}`);
    if (!space) return;
    start(named(space.bin));
    const itemVectors = named(space.itemVectors);
    const items = itemVectors ? await manifest(readJson, `${base}/${itemVectors}`) : null;
    if (items) start(named(items.bin));
  })();
  void early
    .get(`${base}/${BLEND_MANIFEST}`)!
    .then((response) => (response.ok ? (response.clone().json() as Promise<{ ease?: { bin?: unknown } }>) : null))
    .then((blend) => start(named(blend?.ease?.bin)), () => {});
  return {
    take(url) {
      const response = early.get(url);
      early.delete(url);
      taken.add(url);
      return response;
    },
  };
}
