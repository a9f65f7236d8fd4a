/**
 * The blend shipped beside an exported Thought Space (`blend.json` + its EASE file, made by
 * `npm run blend`): the weights of src/model/pulse-blend.ts as data, and the EASE artifact they
 * weigh — low-rank (`ease-lowrank.bin`, lowrank-ease.ts; `ease.form: 'lowrank'`) or top-K sparse
 * (`ease.bin`, sparse-ease.ts; no `form`, as files made before the low-rank form). Checked before use; the loader reads it through the same ModelSource
 * as the Thought Space (fetch in the worker, a folder in Node).
 */
import { decodeLowRankEase, type LowRankEaseManifest } from './lowrank-ease.ts';
import type { BlendWeights, ItemItemEase } from './pulse-blend.ts';
import { decodeSparseEase, type SparseEaseManifest } from './sparse-ease.ts';
import type { ModelSource } from './thought-space-loader.ts';

export const BLEND_MANIFEST = 'blend.json';
export const EASE_BIN = 'ease.bin';
export const LOWRANK_EASE_BIN = 'ease-lowrank.bin';

export interface BlendManifest {
  format: 'pulse-blend';
  version: 1;
  weights: BlendWeights;
  ease: SparseEaseManifest | LowRankEaseManifest;
  /** The split seed it was tuned on (the Thought Space's). */
  seed: number;
  validationNdcg10: number;
}

export interface LoadedBlend {
  manifest: BlendManifest;
  ease: ItemItemEase;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function validateBlendManifest(value: unknown): BlendManifest {
  const m = value as Partial<BlendManifest> | null;
  if (!m || m.format !== 'pulse-blend' || m.version !== 1) throw new Error(`${BLEND_MANIFEST}: not a pulse-blend version 1 manifest`);
  if (!m.weights || !finite(m.weights.ease) || !finite(m.weights.profile)) throw new Error(`${BLEND_MANIFEST}: weights must be finite numbers`);
  // Optional: files made before it have none (the fixed-weight blend, pulse-blend.ts).
  if (m.weights.focus !== undefined && !finite(m.weights.focus)) throw new Error(`${BLEND_MANIFEST}: weights.focus must be a finite number when present, got ${JSON.stringify(m.weights.focus)}`);
  const e = m.ease;
  if (!e || typeof e.bin !== 'string' || !/^[\w.-]+$/.test(e.bin)) throw new Error(`${BLEND_MANIFEST}: ease.bin must be a file name in the model's folder`);
  if (!Array.isArray(e.items) || !e.items.every((id) => typeof id === 'string')) throw new Error(`${BLEND_MANIFEST}: ease.items must be a list of item ids`);
  if (e.form === 'lowrank') {
    if (!finite(e.rank)) throw new Error(`${BLEND_MANIFEST}: a low-rank ease needs its rank`);
  } else if (e.form !== undefined && e.form !== 'sparse') {
    throw new Error(`${BLEND_MANIFEST}: unknown ease.form ${JSON.stringify(e.form)}`);
  } else if (!finite((e as SparseEaseManifest).k)) {
    throw new Error(`${BLEND_MANIFEST}: a sparse ease needs its k`);
  }
  return m as BlendManifest;
}

export async function loadBlend(source: ModelSource): Promise<LoadedBlend> {
  const manifest = validateBlendManifest(await source.json(BLEND_MANIFEST));
  const e = manifest.ease;
  const bytes = await source.bytes(e.bin);
  const ease = e.form === 'lowrank' ? decodeLowRankEase(e, bytes) : decodeSparseEase(e, bytes);
  return { manifest, ease };
}
