/**
 * The small JSON manifests (thought-space.json, items.vectors.json, slm.json) are read twice
 * on the way to the first recommendation: once to decide whether a model fits this catalog
 * (model-fit.ts), then by the loader that uses it. One reader per worker start makes that one
 * request each, whatever the model cache (asset-cache.ts) can do: with Cache Storage off, or on
 * a shop folder without `files.json`, the second read would otherwise go to the network again.
 *
 * Only successful bodies are kept, so a failed read is retried by the next caller (its loader
 * then reports the failure in its own words). Bodies are held for the worker's life: keep this
 * for manifests, never for weights.
 */
export type FetchOnce = (url: string) => Promise<Response>;

interface Kept {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: ArrayBuffer;
}

export function fetchOnce(network: typeof fetch = (input, init) => fetch(input, init)): FetchOnce {
  const kept = new Map<string, Promise<Kept>>();
  return async (given) => {
    // One key per file however its URL was spelled (relative, or from another base string).
    const url = typeof location === 'undefined' ? given : new URL(given, location.href).href;
    let pending = kept.get(url);
    if (!pending) {
      pending = network(url).then(async (response) => {
        // A failed read is answered to whoever is waiting now, and forgotten.
        if (!response.ok) kept.delete(url);
        return { status: response.status, statusText: response.statusText, headers: [...response.headers], body: await response.arrayBuffer() };
      });
      kept.set(url, pending);
      pending.catch(() => kept.delete(url));
    }
    const { status, statusText, headers, body } = await pending;
    // Each caller reads its own copy: a Response body can be read only once.
    return new Response(status === 204 || status === 304 ? null : body.slice(0), { status, statusText, headers });
  };
}
