/**
 * Loads an exported Thought Space for inference — in the worker (fetch) and in Node (a folder,
 * see node-model-files.ts) alike — and runs the same tower code that trained it.
 *
 *   const space = await loadThoughtSpace(fetchSource('/models/pulse-movielens'));
 *   const behaviour = space.encodeHistory(events);             // what the history says
 *   const rationale = space.encodeRationale(useVectorOfText);   // optional: the *why*
 *   const top = space.topK(space.query(behaviour, rationale), 10, exclude);
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertSaneValues } from '../core/finite-values.ts';
import { decodeItemVectors } from '../core/item-vectors.ts';
import { topK, type Ranked } from '../core/topk.ts';
import type { PulseEvent } from '../core/types.ts';
import { encodeHistory } from './history-encoding.ts';
import { inputBatch } from './sequence-batch.ts';
import { behaviourOutputs, rationaleTower, steerQuery, type ThoughtSpaceConfig } from './thought-space.ts';
import { decodeThoughtSpaceWeights, THOUGHT_SPACE_MANIFEST, validateThoughtSpaceManifest, type ThoughtSpaceManifest } from './thought-space-file.ts';
import type { Weights } from './weights.ts';

/** Where the files come from: a URL prefix in the browser, a folder in Node. */
export interface ModelSource {
  json(name: string): Promise<unknown>;
  bytes(name: string): Promise<Uint8Array>;
}

export function fetchSource(baseUrl: string, fetchFn: typeof fetch = (input, init) => fetch(input, init)): ModelSource {
  const base = baseUrl.replace(/\/+$/, '');
  const get = async (name: string) => {
    const response = await fetchFn(`${base}/${name}`);
    if (!response.ok) throw new Error(`${base}/${name}: HTTP ${response.status}`);
    return response;
  };
  return {
    json: async (name) => {
      const text = await (await get(name)).text();
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        // The parser's own message names no file; a shop owner needs to know which one.
        throw new SyntaxError(`${base}/${name} is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      }
    },
    bytes: async (name) => new Uint8Array(await (await get(name)).arrayBuffer()),
  };
}

export interface ThoughtSpace {
  manifest: ThoughtSpaceManifest;
  dims: number;
  /** Catalog ids, row order of `itemVectors`. */
  ids: readonly string[];
  indexOf: ReadonlyMap<string, number>;
  /** Thought Space item vectors, row-major [ids.length × dims]. */
  itemVectors: Float32Array;
  /** The behaviour vector of a history (events oldest first; items outside the catalog are skipped). */
  encodeHistory(events: readonly PulseEvent[]): Promise<Float32Array>;
  /** The rationale vector of a text's USE-lite vector (e.g. the preference statement's). */
  encodeRationale(textVector: Float32Array): Promise<Float32Array>;
  /** The query: behaviour, steered by the rationale vector with the trained α when given. */
  query(behaviour: Float32Array, rationale?: Float32Array | null, alpha?: number): Promise<Float32Array>;
  /** Dot product of the query with every item vector. */
  scores(query: Float32Array): Promise<Float32Array>;
  /** Top-k items for a query, skipping rows for which `skip` is true. */
  topK(query: Float32Array, k: number, skip?: (row: number) => boolean): Promise<Array<Ranked & { id: string }>>;
  /**
   * The whole recommendation for a fixed history: behaviour vector, steered by the preference
   * statement's text vector when given, top-k of the items not already in the history. Pure
   * given the model: Node and the worker must return the same ids (the browser test checks it).
   */
  recommend(events: readonly PulseEvent[], k: number, preferenceTextVector?: Float32Array | null): Promise<Array<Ranked & { id: string }>>;
  dispose(): void;
}

/**
 * Runs `compute` and reads its result back asynchronously: a synchronous read (dataSync)
 * blocks the worker and, on WebGPU, does not return the device's data.
 */
async function read(compute: () => tf.Tensor): Promise<Float32Array> {
  const result = tf.tidy(compute);
  try {
    return (await result.data()) as Float32Array;
  } finally {
    result.dispose();
  }
}

/**
 * Every number the towers will multiply: finite and within MAX_LOADED_MAGNITUDE. The hash
 * only proves the binary is the one the manifest names, not that its numbers are sane; a
 * file of NaN or ±3e38 with a recomputed hash would otherwise load as "ready" and rank nothing.
 */
function assertSaneModel(manifest: ThoughtSpaceManifest, weights: Record<string, { values: Float32Array }>, items: { vectors: Float32Array }): void {
  // int8 tensors arrive here dequantized, so a huge scale shows up in their values.
  for (const [name, t] of Object.entries(weights)) assertSaneValues(t.values, `${manifest.bin} "${name}"`);
  assertSaneValues(items.vectors, `${manifest.itemVectors} (Thought Space item vectors)`);
}

export async function loadThoughtSpace(source: ModelSource): Promise<ThoughtSpace> {
  const manifest = validateThoughtSpaceManifest(await source.json(THOUGHT_SPACE_MANIFEST));
  const decoded = decodeThoughtSpaceWeights(manifest, await source.bytes(manifest.bin));
  const itemManifest = (await source.json(manifest.itemVectors)) as { bin: string };
  const items = decodeItemVectors(itemManifest, await source.bytes(itemManifest.bin));
  const { dims, blocks, heads, maxLen, textDims } = manifest.config;
  if (items.dims !== dims) throw new Error(`item vectors are ${items.dims}-d, the towers ${dims}-d`);
  assertSaneModel(manifest, decoded, items);
  const config: ThoughtSpaceConfig = { dims, blocks, heads, maxLen, textDims, items: items.count, useIdEmbedding: false, dropout: 0 };
  const w: Weights = {};
  for (const [name, t] of Object.entries(decoded)) w[name] = tf.variable(tf.tensor(t.values, t.shape), false);
  const itemMatrix = tf.tensor2d(items.vectors, [items.count, dims]);
  const ids = items.manifest.ids;
  const indexOf = new Map(ids.map((id, i) => [id, i] as const));

  const encodeHistoryVector = (events: readonly PulseEvent[]): Promise<Float32Array> => {
    const history = encodeHistory(events, indexOf);
    return read(() => {
      const batch = inputBatch([history], maxLen);
      const out = behaviourOutputs(w, config, batch, (rows) => tf.gather(itemMatrix, rows), false, 0);
      return tf.slice(out, [0, batch.len - 1, 0], [1, 1, dims]);
    });
  };

  const scores = (query: Float32Array): Promise<Float32Array> => read(() => tf.matMul(itemMatrix, tf.tensor2d(query, [dims, 1])));

  const space: ThoughtSpace = {
    manifest,
    dims,
    ids,
    indexOf,
    itemVectors: items.vectors,
    encodeHistory: encodeHistoryVector,
    async encodeRationale(textVector) {
      if (textVector.length !== textDims) throw new Error(`rationale text vector has ${textVector.length} values, expected ${textDims}`);
      return read(() => rationaleTower(w, tf.tensor2d(textVector, [1, textDims])));
    },
    query(behaviour, rationale = null, alpha = manifest.alpha) {
      return read(() => {
        const r = rationale === null ? null : tf.tensor2d(rationale, [1, dims]);
        return steerQuery(tf.tensor2d(behaviour, [1, dims]), r, alpha);
      });
    },
    scores,
    async topK(query, k, skip) {
      return topK(await scores(query), k, skip).map((r) => ({ ...r, id: ids[r.index]! }));
    },
    async recommend(events, k, preferenceTextVector = null) {
      const rationale = preferenceTextVector === null ? null : await space.encodeRationale(preferenceTextVector);
      const seen = new Set<number>();
      for (const e of events) {
        const row = indexOf.get(e.itemId);
        if (row !== undefined) seen.add(row);
      }
      return space.topK(await space.query(await encodeHistoryVector(events), rationale), k, (row) => seen.has(row));
    },
    dispose() {
      itemMatrix.dispose();
      for (const v of Object.values(w)) v.dispose();
    },
  };
  return space;
}
