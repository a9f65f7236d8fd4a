/**
 * A flat binary checkpoint of named weights: a JSON header (names, shapes, offsets) and the
 * float32 values. Lets a training run resume or be re-exported without retraining.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { GptWeights } from './gpt-config.ts';

export async function saveWeights(path: string, weights: GptWeights): Promise<void> {
  const entries: { name: string; shape: number[]; offset: number }[] = [];
  let offset = 0;
  for (const [name, w] of weights) {
    entries.push({ name, shape: w.shape, offset });
    offset += w.values.length;
  }
  const header = new TextEncoder().encode(JSON.stringify(entries));
  const out = new Uint8Array(4 + header.length + offset * 4);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  let at = 4 + header.length;
  for (const w of weights.values()) {
    out.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), at);
    at += w.values.byteLength;
  }
  await writeFile(path, out);
}

export async function loadWeights(path: string): Promise<GptWeights> {
  const bytes = new Uint8Array(await readFile(path));
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const entries = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as { name: string; shape: number[]; offset: number }[];
  const base = 4 + headerLength;
  const weights: GptWeights = new Map();
  for (const { name, shape, offset } of entries) {
    const count = shape.reduce((a, b) => a * b, 1);
    // Copy out: the values may sit at an offset that is not 4-byte aligned.
    const values = new Float32Array(count);
    new Uint8Array(values.buffer).set(bytes.subarray(base + offset * 4, base + (offset + count) * 4));
    weights.set(name, { shape, values });
  }
  return weights;
}
