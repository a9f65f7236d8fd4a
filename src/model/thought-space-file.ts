/**
 * The exported Thought Space: `thought-space.json` (manifest) + `thought-space.bin` (tower
 * weights, see weights-file.ts) + `items.vectors.{json,bin}` (the catalog's Thought Space
 * item vectors in the foundation's item-vector format). Platform-free.
 */
import { bytesHash, decodeWeights, type NamedTensor, type WeightEntry, WeightsFileError } from './weights-file.ts';

export const THOUGHT_SPACE_FORMAT = 'pulse-thought-space';
export const THOUGHT_SPACE_VERSION = 1;
export const THOUGHT_SPACE_MANIFEST = 'thought-space.json';

export interface ThoughtSpaceManifest {
  format: typeof THOUGHT_SPACE_FORMAT;
  version: typeof THOUGHT_SPACE_VERSION;
  config: { dims: number; blocks: number; heads: number; maxLen: number; textDims: number };
  /** How far the preference statement's rationale vector steers the query (tuned on validation). */
  alpha: number;
  /** The text backbone rationales and item texts must be embedded with. */
  textModel: string;
  /** Item-vector manifest (relative path) holding the catalog's Thought Space vectors. */
  itemVectors: string;
  bin: string;
  binHash: string;
  weights: WeightEntry[];
}

/** Weights the worker needs (the item tower's ID part is folded into the item vectors). */
export const INFERENCE_WEIGHTS = (name: string) => name.startsWith('behaviour.') || name.startsWith('rationale.') || name.startsWith('item.text.');

export function validateThoughtSpaceManifest(raw: unknown): ThoughtSpaceManifest {
  const m = raw as Partial<ThoughtSpaceManifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== THOUGHT_SPACE_FORMAT) throw new WeightsFileError(`not a ${THOUGHT_SPACE_FORMAT} manifest`);
  if (m.version !== THOUGHT_SPACE_VERSION) throw new WeightsFileError(`${THOUGHT_SPACE_FORMAT} version ${String(m.version)} is not supported (this build reads ${THOUGHT_SPACE_VERSION})`);
  const c = m.config;
  if (!c || ![c.dims, c.blocks, c.heads, c.maxLen, c.textDims].every((v) => Number.isInteger(v) && v > 0)) throw new WeightsFileError('manifest config needs positive integers dims, blocks, heads, maxLen, textDims');
  if (typeof m.alpha !== 'number' || !Number.isFinite(m.alpha)) throw new WeightsFileError('manifest alpha must be a number');
  if (typeof m.bin !== 'string' || typeof m.itemVectors !== 'string' || typeof m.binHash !== 'string' || !Array.isArray(m.weights)) {
    throw new WeightsFileError('manifest needs bin, binHash, itemVectors and weights');
  }
  return m as ThoughtSpaceManifest;
}

export function decodeThoughtSpaceWeights(manifest: ThoughtSpaceManifest, bytes: Uint8Array): Record<string, NamedTensor> {
  const hash = bytesHash(bytes);
  if (hash !== manifest.binHash) throw new WeightsFileError(`${manifest.bin} does not match its manifest (hash ${hash}, manifest says ${manifest.binHash})`);
  return decodeWeights(manifest.weights, bytes);
}
