/**
 * Assembles the catalog's text-similarity matrix in the worker: rows from the shipped vector
 * file where the item (id and text) matches, rows embedded on the device by the text backbone
 * for everything else. A missing, stale or corrupt vector file therefore costs time, never
 * the ranking; the backbone is only downloaded when some row needs it. What went wrong is
 * returned as `problems`, each naming the file, for `status().degraded`.
 */
import type { Degradation } from '../client/api.ts';
import { assertSaneValues } from '../core/finite-values.ts';
import type { CatalogItem } from '../core/types.ts';
import { onCpuSideBackend } from './backend.ts';
import { decodeItemVectors, planItemVectors, validateItemVectorsManifest, type DecodedItemVectors, type ItemVectorsManifest } from '../core/item-vectors.ts';

export interface ItemMatrix {
  vectors: Float32Array;
  dims: number;
  fromFile: number;
  embedded: number;
  /** Catalog rows with neither a file row nor a device embedding: zero rows, to stay zero after centring. */
  without: number[];
  problems: Degradation[];
}

/** No row came from anywhere: text similarity cannot rank. */
export class TextVectorsError extends Error {
  override name = 'TextVectorsError';
  constructor(
    message: string,
    /** What failed on the way (the vector file's fault, say), for status().degraded. */
    readonly problems: Degradation[],
  ) {
    super(message);
  }
}

/** The backbone the device embeds with (`${modelsUrl}/use-lite`): rows of another model cannot be mixed with its own. */
const DEVICE_TEXT_MODEL = 'use-lite';
/** USE-lite's output width: the matrix shape when there is no file to read it from. */
const BACKBONE_DIMS = 512;
const EMBED_BATCH = 64;

type PhaseTimer = (phase: string, ms: number) => void;

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The decoded vector file; null when the shop ships none (HTTP 404, the documented way to
 * embed everything on the device). Throws, naming the file, for anything else.
 */
async function fetchVectors(vectorsUrl: string): Promise<DecodedItemVectors | null> {
  const response = await fetch(vectorsUrl);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${vectorsUrl}: HTTP ${response.status}`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await response.text());
  } catch (error) {
    throw new Error(`${vectorsUrl} is not valid JSON (${message(error)})`);
  }
  let valid: ItemVectorsManifest;
  try {
    // Checked before its binary is fetched: e.g. a `bin` that leaves the folder is refused.
    valid = validateItemVectorsManifest(manifest);
  } catch (error) {
    throw new Error(`${vectorsUrl}: ${message(error)}`);
  }
  if (valid.model !== DEVICE_TEXT_MODEL) {
    throw new Error(`${vectorsUrl} was made by "${valid.model}", not "${DEVICE_TEXT_MODEL}", the text backbone this device embeds with (its rows would not compare)`);
  }
  const binUrl = new URL(valid.bin, vectorsUrl).href;
  const bin = await fetch(binUrl);
  if (!bin.ok) throw new Error(`${binUrl}: HTTP ${bin.status}`);
  const bytes = await bin.arrayBuffer();
  try {
    const decoded = decodeItemVectors(valid, bytes);
    assertSaneValues(decoded.vectors, binUrl);
    return decoded;
  } catch (error) {
    throw new Error(`${vectorsUrl}: ${message(error)}`);
  }
}

export async function loadItemMatrix(
  catalog: readonly CatalogItem[],
  vectorsUrl: string,
  modelsUrl: string,
  time: PhaseTimer,
): Promise<ItemMatrix> {
  const problems: Degradation[] = [];
  let t = performance.now();
  let decoded: DecodedItemVectors | null = null;
  try {
    decoded = await fetchVectors(vectorsUrl);
  } catch (error) {
    problems.push({ component: 'catalog-vectors', reason: `${message(error)}; the catalog's items are embedded on this device instead` });
  }
  if (!decoded && problems.length === 0) {
    problems.push({
      component: 'catalog-vectors',
      reason: `no vector file at ${vectorsUrl} (HTTP 404): all ${catalog.length} items are embedded on this device (npm run embed ships them)`,
    });
  }
  const dims = decoded?.dims ?? BACKBONE_DIMS;
  const plan = decoded ? planItemVectors(catalog, decoded.manifest) : { fromFile: new Map<number, number>(), missing: catalog.map((_, i) => i) };
  const vectors = new Float32Array(catalog.length * dims);
  if (decoded) {
    for (const [item, row] of plan.fromFile) vectors.set(decoded.vectors.subarray(row * dims, (row + 1) * dims), item * dims);
    if (plan.missing.length > 0) {
      problems.push({
        component: 'catalog-vectors',
        reason: `${vectorsUrl} lacks ${plan.missing.length} of the catalog's ${catalog.length} items (new, or text changed since npm run embed); they are embedded on this device`,
      });
    }
  }
  time('vectorsMs', performance.now() - t);

  let embedded = 0;
  if (plan.missing.length > 0) {
    try {
      embedded = await onCpuSideBackend(() => embedOnDevice(catalog, plan.missing, vectors, dims, modelsUrl, time));
    } catch (error) {
      const reason = `${modelsUrl}/use-lite: ${message(error)}`;
      if (plan.fromFile.size === 0) throw new TextVectorsError(`no catalog text vectors: ${reason}`, problems);
      problems.push({
        component: 'on-device-embedding',
        reason: `${reason}; ${plan.missing.length} items have no text vector and are ranked by popularity alone`,
      });
    }
  }
  return { vectors, dims, fromFile: plan.fromFile.size, embedded, without: embedded > 0 ? [] : [...plan.missing], problems };
}

/** Embeds catalog rows `missing` into `vectors` with USE-lite on the active backend (see onCpuSideBackend); returns how many. */
async function embedOnDevice(
  catalog: readonly CatalogItem[],
  missing: readonly number[],
  vectors: Float32Array,
  dims: number,
  modelsUrl: string,
  time: PhaseTimer,
): Promise<number> {
  let t = performance.now();
  const { TextBackbone } = await import('../model/use-lite.ts');
  const backbone = await TextBackbone.fromUrl(`${modelsUrl}/use-lite`);
  time('backboneLoadMs', performance.now() - t);
  t = performance.now();
  try {
    for (let start = 0; start < missing.length; start += EMBED_BATCH) {
      const batch = missing.slice(start, start + EMBED_BATCH);
      const embedded = await backbone.embed(batch.map((i) => catalog[i]!.text));
      if (embedded.length !== batch.length * dims) {
        throw new Error(`the text backbone returned ${embedded.length / batch.length}-d vectors; the item vectors are ${dims}-d`);
      }
      assertSaneValues(embedded, 'USE-lite output');
      batch.forEach((item, b) => vectors.set(embedded.subarray(b * dims, (b + 1) * dims), item * dims));
    }
  } finally {
    backbone.dispose();
  }
  time('embedMs', performance.now() - t);
  return missing.length;
}
