/**
 * Node-only: the catalog's item vectors with the text backbone (USE-lite), written as the
 * item-vector pair (src/core/item-vectors.ts) the worker reads, so shoppers' devices embed
 * nothing that was known at build time. Shared by `pulse build` and `npm run embed`.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { decodeItemVectors, encodeItemVectors } from '../core/item-vectors.ts';
import type { CatalogItem } from '../core/types.ts';
import { useNodeBackend } from '../model/node-backend.ts';
import { loadTextBackboneFromDir } from '../model/node-model-files.ts';

export interface EmbedOptions {
  /** Folder of the text backbone (model.json, shards, vocab.json). */
  modelDir: string;
  /** Recorded in the manifest: the worker only mixes rows from the same model. */
  modelId: string;
  batchSize?: number;
  backend?: 'wasm' | 'cpu';
  onProgress?: (done: number, total: number) => void;
}

export interface EmbeddedCatalog {
  /** float32 rows as embedded, [count × dims]. */
  vectors: Float32Array;
  dims: number;
  backend: string;
  seconds: number;
}

export async function embedCatalog(catalog: readonly CatalogItem[], options: EmbedOptions): Promise<EmbeddedCatalog> {
  const backend = await useNodeBackend(options.backend ?? 'wasm');
  const backbone = await loadTextBackboneFromDir(options.modelDir);
  const t0 = performance.now();
  try {
    const vectors = await backbone.embed(
      catalog.map((item) => item.text),
      { batchSize: options.batchSize ?? 64, ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
    );
    return { vectors, dims: backbone.dims, backend, seconds: (performance.now() - t0) / 1000 };
  } finally {
    backbone.dispose();
  }
}

export interface WrittenVectors {
  manifestPath: string;
  binPath: string;
  manifestBytes: number;
  binBytes: number;
  /** int8 rows as the device decodes them vs the float32 rows: mean and min cosine. */
  meanCos: number;
  minCos: number;
}

/** Writes `<out>.json` + `<out>.bin` and reads them back as the device will. */
export async function writeItemVectors(catalog: readonly CatalogItem[], embedded: EmbeddedCatalog, out: string, modelId: string): Promise<WrittenVectors> {
  const binPath = `${out}.bin`;
  const manifestPath = `${out}.json`;
  const { manifest, bytes } = encodeItemVectors(catalog as CatalogItem[], embedded.vectors, { dims: embedded.dims, model: modelId, bin: basename(binPath) });
  const manifestText = JSON.stringify(manifest) + '\n';
  await writeFile(binPath, bytes);
  await writeFile(manifestPath, manifestText);
  const decoded = decodeItemVectors(JSON.parse(manifestText), bytes);
  const dims = decoded.dims;
  let minCos = Infinity;
  let sumCos = 0;
  for (let r = 0; r < decoded.count; r++) {
    let dot = 0;
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      dot += embedded.vectors[r * dims + d]! * decoded.vectors[r * dims + d]!;
      norm += decoded.vectors[r * dims + d]! ** 2;
    }
    const c = norm > 0 ? dot / Math.sqrt(norm) : 1;
    minCos = Math.min(minCos, c);
    sumCos += c;
  }
  return { manifestPath, binPath, manifestBytes: Buffer.byteLength(manifestText), binBytes: bytes.byteLength, meanCos: sumCos / Math.max(1, decoded.count), minCos };
}
