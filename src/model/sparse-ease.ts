/**
 * EASE's item–item weights (src/eval/models/ease.ts) cut to each item's K largest neighbours, as
 * shipped to the browser: the dense 3,000 × 3,000 matrix is 36 MB of float32, its top-K rows a few
 * hundred KB. A history's EASE scores are the sum of its items' rows, so scoring stays a handful
 * of additions per history item, and deleting one item subtracts its row (per-item reasons).
 *
 * Binary layout (`ease.bin`, little-endian, n rows × k slots):
 *   float32[n]     per-row scale (int8 weight × scale = the EASE weight)
 *   uint16[n × k]  neighbour slot (index into `items`)
 *   int8[n × k]    quantised weight (0 pads a row with fewer than k non-zero neighbours)
 * Pure: no DOM, no tfjs.
 */
export interface SparseEase {
  form: 'sparse';
  /** Item id of each slot (the modelled items). */
  items: readonly string[];
  k: number;
  /** Neighbour slots, row-major [items.length × k]. */
  neighbours: Uint16Array;
  /** Their weights, dequantised, row-major [items.length × k]. */
  weights: Float32Array;
}

export interface SparseEaseManifest {
  /** Absent in files written before the low-rank form (lowrank-ease.ts) existed. */
  form?: 'sparse';
  bin: string;
  lambda: number;
  k: number;
  items: string[];
}

/**
 * The K largest-magnitude weights of each row of a dense [n × n] EASE matrix. Both signs: keeping
 * only the positive ones was measured to lose more as K grew (validation NDCG@10 of EASE alone
 * 0.0452 at K 32, 0.0443 at K 64, dense 0.0523) — the negative weights are what keep popular
 * co-occurring items from piling up.
 */
export function sparsify(dense: Float32Array, n: number, k: number, items: readonly string[]): SparseEase {
  if (items.length !== n) throw new RangeError(`sparsify: ${items.length} ids for ${n} rows`);
  if (n > 65536) throw new RangeError(`sparsify: ${n} items do not fit uint16 slots`);
  const neighbours = new Uint16Array(n * k);
  const weights = new Float32Array(n * k);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = dense.subarray(i * n, (i + 1) * n);
    for (let j = 0; j < n; j++) order[j] = j;
    const top = [...order].filter((j) => j !== i && row[j]! !== 0).sort((a, b) => Math.abs(row[b]!) - Math.abs(row[a]!) || a - b).slice(0, k);
    top.forEach((j, s) => {
      neighbours[i * k + s] = j;
      weights[i * k + s] = row[j]!;
    });
  }
  return { form: 'sparse', items, k, neighbours, weights };
}

/** The bytes of `ease.bin` (int8 weights with a per-row scale). */
export function encodeSparseEase(ease: SparseEase): Uint8Array {
  const n = ease.items.length;
  const { k } = ease;
  const bytes = new Uint8Array(4 * n + 3 * n * k);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let s = 0; s < k; s++) max = Math.max(max, Math.abs(ease.weights[i * k + s]!));
    const scale = max / 127;
    view.setFloat32(4 * i, scale, true);
    for (let s = 0; s < k; s++) {
      view.setUint16(4 * n + 2 * (i * k + s), ease.neighbours[i * k + s]!, true);
      view.setInt8(4 * n + 2 * n * k + i * k + s, scale > 0 ? Math.round(ease.weights[i * k + s]! / scale) : 0);
    }
  }
  return bytes;
}

export function decodeSparseEase(manifest: SparseEaseManifest, bytes: Uint8Array): SparseEase {
  const n = manifest.items.length;
  const { k } = manifest;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`ease: k ${k} is not a positive integer`);
  const expected = 4 * n + 3 * n * k;
  if (bytes.length !== expected) throw new RangeError(`${manifest.bin}: ${bytes.length} bytes, expected ${expected} for ${n} items × ${k} neighbours`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const neighbours = new Uint16Array(n * k);
  const weights = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const scale = view.getFloat32(4 * i, true);
    if (!Number.isFinite(scale)) throw new RangeError(`${manifest.bin}: row ${i} has a non-finite scale`);
    for (let s = 0; s < k; s++) {
      const slot = view.getUint16(4 * n + 2 * (i * k + s), true);
      if (slot >= n) throw new RangeError(`${manifest.bin}: row ${i} names slot ${slot} of ${n}`);
      neighbours[i * k + s] = slot;
      weights[i * k + s] = view.getInt8(4 * n + 2 * n * k + i * k + s) * scale;
    }
  }
  return { form: 'sparse', items: manifest.items, k, neighbours, weights };
}

/** Catalog row of each EASE slot (−1: not in this catalog). */
export function catalogRowsOfSlots(ease: SparseEase, rowOf: (id: string) => number | undefined): Int32Array {
  return Int32Array.from(ease.items, (id) => rowOf(id) ?? -1);
}
