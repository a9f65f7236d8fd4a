/**
 * Assembles the catalog's item matrix in the worker: rows from the shipped vector file
 * where the item (id and text) matches, rows embedded on the device by the text backbone
 * for everything else. A missing or stale vector file therefore costs time, never
 * correctness; the backbone is only downloaded when some row needs it.
 */
import type { CatalogItem } from '../core/types.ts';
import { decodeItemVectors, planItemVectors, type ItemVectorsManifest } from '../core/item-vectors.ts';

export interface ItemMatrix {
  vectors: Float32Array;
  dims: number;
  fromFile: number;
  embedded: number;
}

/** USE-lite's output width: the matrix shape when there is no file to read it from. */
const BACKBONE_DIMS = 512;
const EMBED_BATCH = 64;

type PhaseTimer = (phase: string, ms: number) => void;

async function fetchVectors(vectorsUrl: string): Promise<{ manifest: ItemVectorsManifest; bytes: ArrayBuffer } | null> {
  const response = await fetch(vectorsUrl);
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`item vectors ${vectorsUrl}: HTTP ${response.status}`);
  const manifest = (await response.json()) as ItemVectorsManifest;
  const binUrl = new URL(manifest.bin, vectorsUrl).href;
  const bin = await fetch(binUrl);
  if (!bin.ok) throw new Error(`item vectors ${binUrl}: HTTP ${bin.status}`);
  return { manifest, bytes: await bin.arrayBuffer() };
}

export async function loadItemMatrix(
  catalog: readonly CatalogItem[],
  vectorsUrl: string,
  modelsUrl: string,
  time: PhaseTimer,
): Promise<ItemMatrix> {
  let t = performance.now();
  const file = await fetchVectors(vectorsUrl);
  const decoded = file ? decodeItemVectors(file.manifest, file.bytes) : null;
  const dims = decoded?.dims ?? BACKBONE_DIMS;
  const plan = decoded ? planItemVectors(catalog, decoded.manifest) : { fromFile: new Map<number, number>(), missing: catalog.map((_, i) => i) };
  const vectors = new Float32Array(catalog.length * dims);
  if (decoded) {
    for (const [item, row] of plan.fromFile) vectors.set(decoded.vectors.subarray(row * dims, (row + 1) * dims), item * dims);
  }
  time('vectorsMs', performance.now() - t);

  if (plan.missing.length > 0) {
    t = performance.now();
    const { TextBackbone } = await import('../model/use-lite.ts');
    const backbone = await TextBackbone.fromUrl(`${modelsUrl}/use-lite`);
    time('backboneLoadMs', performance.now() - t);
    t = performance.now();
    for (let start = 0; start < plan.missing.length; start += EMBED_BATCH) {
      const batch = plan.missing.slice(start, start + EMBED_BATCH);
      const embedded = await backbone.embed(batch.map((i) => catalog[i]!.text));
      if (embedded.length !== batch.length * dims) {
        throw new Error(`the text backbone returned ${embedded.length / batch.length}-d vectors; the item vectors are ${dims}-d`);
      }
      batch.forEach((item, b) => vectors.set(embedded.subarray(b * dims, (b + 1) * dims), item * dims));
    }
    backbone.dispose();
    time('embedMs', performance.now() - t);
  }
  return { vectors, dims, fromFile: plan.fromFile.size, embedded: plan.missing.length };
}
