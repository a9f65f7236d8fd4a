/**
 * The blend shipped beside an exported Thought Space (`blend.json` + `ease.bin`, made by
 * `npm run blend`): the weights of src/model/pulse-blend.ts as data, and the sparse EASE
 * artifact they weigh. Checked before use; the loader reads it through the same ModelSource
 * as the Thought Space (fetch in the worker, a folder in Node).
 */
import type { BlendWeights } from './pulse-blend.ts';
import { decodeSparseEase, type SparseEase, type SparseEaseManifest } from './sparse-ease.ts';
import type { ModelSource } from './thought-space-loader.ts';

export const BLEND_MANIFEST = 'blend.json';
export const EASE_BIN = 'ease.bin';

export interface BlendManifest {
  format: 'pulse-blend';
  version: 1;
  weights: BlendWeights;
  ease: SparseEaseManifest;
  /** The split seed it was tuned on (the Thought Space's). */
  seed: number;
  validationNdcg10: number;
}

export interface LoadedBlend {
  manifest: BlendManifest;
  ease: SparseEase;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function validateBlendManifest(value: unknown): BlendManifest {
  const m = value as Partial<BlendManifest> | null;
  if (!m || m.format !== 'pulse-blend' || m.version !== 1) throw new Error(`${BLEND_MANIFEST}: not a pulse-blend version 1 manifest`);
  if (!m.weights || !finite(m.weights.ease) || !finite(m.weights.profile)) throw new Error(`${BLEND_MANIFEST}: weights must be finite numbers`);
  const e = m.ease;
  if (!e || typeof e.bin !== 'string' || !/^[\w.-]+$/.test(e.bin)) throw new Error(`${BLEND_MANIFEST}: ease.bin must be a file name in the model's folder`);
  if (!finite(e.k) || !Array.isArray(e.items) || !e.items.every((id) => typeof id === 'string')) throw new Error(`${BLEND_MANIFEST}: ease.k and ease.items are required`);
  return m as BlendManifest;
}

export async function loadBlend(source: ModelSource): Promise<LoadedBlend> {
  const manifest = validateBlendManifest(await source.json(BLEND_MANIFEST));
  const ease = decodeSparseEase(manifest.ease, await source.bytes(manifest.ease.bin));
  return { manifest, ease };
}
