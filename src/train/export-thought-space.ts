/**
 * Node-only: writes a trained Thought Space to a folder the worker can fetch
 * (thought-space-file.ts describes the files).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeItemVectors } from '../core/item-vectors.ts';
import type { CatalogItem } from '../core/types.ts';
import { INFERENCE_WEIGHTS, THOUGHT_SPACE_FORMAT, THOUGHT_SPACE_MANIFEST, THOUGHT_SPACE_VERSION, type ThoughtSpaceManifest } from '../model/thought-space-file.ts';
import type { ThoughtSpaceModel } from '../model/thought-space-model.ts';
import { bytesHash, encodeWeights, type NamedTensor } from '../model/weights-file.ts';

export type WeightPrecision = 'int8' | 'float32';

export interface ExportedFiles {
  manifest: ThoughtSpaceManifest;
  /** Bytes per file written. */
  sizes: Record<string, number>;
}

export async function exportThoughtSpace(
  model: ThoughtSpaceModel,
  alpha: number,
  catalog: readonly CatalogItem[],
  outDir: string,
  precision: WeightPrecision,
): Promise<ExportedFiles> {
  await mkdir(outDir, { recursive: true });
  const tensors: Record<string, NamedTensor> = {};
  for (const [name, v] of Object.entries(model.w)) {
    if (INFERENCE_WEIGHTS(name)) tensors[name] = { shape: [...v.shape], values: v.dataSync() as Float32Array };
  }
  // Only matrices go int8: biases and norms are tiny, and a per-tensor scale would crush them.
  const { entries, bytes } = encodeWeights(tensors, (_, t) => precision === 'int8' && t.shape.length === 2);
  const matrix = model.itemMatrix();
  const itemVectors = matrix.dataSync() as Float32Array;
  matrix.dispose();
  const items = encodeItemVectors(catalog, itemVectors, { dims: model.config.dims, model: THOUGHT_SPACE_FORMAT, bin: 'items.vectors.bin' });
  const c = model.config;
  const manifest: ThoughtSpaceManifest = {
    format: THOUGHT_SPACE_FORMAT,
    version: THOUGHT_SPACE_VERSION,
    config: { dims: c.dims, blocks: c.blocks, heads: c.heads, maxLen: c.maxLen, textDims: c.textDims },
    alpha,
    textModel: 'use-lite',
    itemVectors: 'items.vectors.json',
    bin: 'thought-space.bin',
    binHash: bytesHash(bytes),
    weights: entries,
  };
  const files: Record<string, string | Uint8Array> = {
    [THOUGHT_SPACE_MANIFEST]: JSON.stringify(manifest, null, 1) + '\n',
    'thought-space.bin': bytes,
    'items.vectors.json': JSON.stringify(items.manifest) + '\n',
    'items.vectors.bin': items.bytes,
  };
  const sizes: Record<string, number> = {};
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(outDir, name), content);
    sizes[name] = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  }
  return { manifest, sizes };
}
