/**
 * The tower weights file: a JSON manifest plus one binary, fetchable by the worker and
 * readable in Node. Platform-free (no tfjs): tensors go in and come out as shape + Float32Array.
 *
 * Binary layout: the tensors in manifest order, each at `offset` (4-byte aligned):
 *   dtype 'float32': shape-product × float32 little-endian
 *   dtype 'int8':    shape-product × int8, value = q · scale (symmetric, per tensor, |q| ≤ 127)
 */
import { hex32 } from '../core/hash.ts';

export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int8';
  offset: number;
  /** int8 only. */
  scale?: number;
}

export interface NamedTensor {
  shape: number[];
  values: Float32Array;
}

export class WeightsFileError extends Error {
  override name = 'WeightsFileError';
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const align4 = (n: number) => (n + 3) & ~3;

/** FNV-1a over the bytes, read as a string of byte values (catches a stale or swapped binary). */
export function bytesHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return hex32(h);
}

/**
 * Packs `tensors`; those named in `quantize` (matrices, where int8 saves 4×) are stored int8,
 * the rest (biases, norms, scalars: tiny and sensitive) float32.
 */
export function encodeWeights(tensors: Record<string, NamedTensor>, quantize: (name: string, t: NamedTensor) => boolean): { entries: WeightEntry[]; bytes: Uint8Array } {
  const entries: WeightEntry[] = [];
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    if (t.values.length !== size(t.shape)) throw new WeightsFileError(`${name}: ${t.values.length} values for shape [${t.shape}]`);
    const int8 = quantize(name, t);
    entries.push({ name, shape: [...t.shape], dtype: int8 ? 'int8' : 'float32', offset });
    offset = align4(offset + t.values.length * (int8 ? 1 : 4));
  }
  const bytes = new Uint8Array(offset);
  const view = new DataView(bytes.buffer);
  for (const entry of entries) {
    const values = tensors[entry.name]!.values;
    if (entry.dtype === 'float32') {
      values.forEach((v, i) => view.setFloat32(entry.offset + 4 * i, v, true));
      continue;
    }
    let max = 0;
    for (const v of values) {
      if (!Number.isFinite(v)) throw new WeightsFileError(`${entry.name} holds ${v}`);
      max = Math.max(max, Math.abs(v));
    }
    const scale = Math.fround(max / 127);
    entry.scale = scale;
    values.forEach((v, i) => view.setInt8(entry.offset + i, scale === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(v / scale)))));
  }
  return { entries, bytes };
}

export function decodeWeights(entries: readonly WeightEntry[], bytes: Uint8Array): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of entries) {
    const n = size(entry.shape);
    const width = entry.dtype === 'int8' ? 1 : 4;
    if (!Number.isInteger(entry.offset) || entry.offset < 0 || entry.offset + n * width > bytes.byteLength) {
      throw new WeightsFileError(`weight "${entry.name}" [${entry.shape}] at byte ${entry.offset} runs past the ${bytes.byteLength}-byte binary`);
    }
    const values = new Float32Array(n);
    if (entry.dtype === 'float32') for (let i = 0; i < n; i++) values[i] = view.getFloat32(entry.offset + 4 * i, true);
    else {
      const scale = entry.scale;
      if (scale === undefined || !Number.isFinite(scale)) throw new WeightsFileError(`int8 weight "${entry.name}" has no scale`);
      for (let i = 0; i < n; i++) values[i] = view.getInt8(entry.offset + i) * scale;
    }
    out[entry.name] = { shape: [...entry.shape], values };
  }
  return out;
}

