/**
 * EASE (Steck 2019) in low-rank form, as shipped to the browser. With X the binary user × item
 * training matrix, P = (XᵀX + λI)⁻¹ = (1/λ)(I − F Fᵀ) exactly, F = V diag(√(s/(s+λ))) from the
 * eigenpairs (V, s) of XᵀX (src/train/user-space-eigen.ts). EASE's weights B = I − P·diag(1/diag P)
 * are then, off the diagonal,
 *
 *   B[i][j] = c_j · F_i · F_j,   c_j = 1 / (λ P_jj) = 1 / (1 − |F_j|²),
 *
 * and zero on it. The shipped file keeps F's first r columns (the largest eigenvalues, whose
 * weights s/(s+λ) are near 1; the rest fade as s drops below λ) and c (from all columns or from
 * the kept ones, lowRankEase). A history's
 * scores are u = Σ_{i∈history} F_i, then score_j = c_j · (u − [j∈history]·F_j) · F_j: r
 * multiply-adds per item, and deleting one history item subtracts its F row (per-item reasons).
 *
 * Why not top-K rows (sparse-ease.ts): cutting B to its 32 largest weights per row kept little of
 * the dense blend's gain (validation NDCG@10 0.0505 vs 0.0576 dense); B's mass is spread thin
 * over many items, while its spectrum is concentrated (models/pulse-movielens/README.md).
 *
 * Binary layout (`ease-lowrank.bin`, little-endian, n items × r ranks):
 *   float32[n]      c_j, the per-item scale (finite, ≥ 1)
 *   float32[n]      per-row quantisation scale (int8 × scale = F's entry)
 *   int8[n × r]     F, row-major
 * Pure: no DOM, no tfjs.
 */
export interface LowRankEase {
  form: 'lowrank';
  /** Item id of each slot (the modelled items). */
  items: readonly string[];
  rank: number;
  /** F, dequantised, row-major [items.length × rank]. */
  factors: Float32Array;
  /** c_j per slot. */
  itemScale: Float32Array;
}

export interface LowRankEaseManifest {
  form: 'lowrank';
  bin: string;
  lambda: number;
  rank: number;
  items: string[];
}

/**
 * F cut to `rank` columns (row-major input [n × columns]) and its per-item scale: `exact` from all
 * columns (EASE's own diagonal), or `truncated` from the kept ones — EASE applied to the rank-r
 * inverse P_r = (1/λ)(I − F_r F_rᵀ) itself, so B_r = I − P_r·diag(1/diag P_r) has a zero diagonal
 * by construction. Which one ships is chosen on validation (src/train/blend-export.ts).
 */
export function lowRankEase(items: readonly string[], factors: Float64Array, columns: number, rank: number, diag: 'exact' | 'truncated' = 'exact'): LowRankEase {
  const n = items.length;
  if (factors.length !== n * columns) throw new RangeError(`lowRankEase: ${factors.length} factor entries for ${n} items × ${columns}`);
  if (!Number.isInteger(rank) || rank < 1 || rank > columns) throw new RangeError(`lowRankEase: rank ${rank} of ${columns}`);
  const out = new Float32Array(n * rank);
  const itemScale = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let k = 0; k < (diag === 'exact' ? columns : rank); k++) norm += factors[i * columns + k]! ** 2;
    // |F_i|² = 1 − λ P_ii < 1; the floor only guards rounding on an item every user touched.
    itemScale[i] = 1 / Math.max(1 - norm, 1e-6);
    for (let k = 0; k < rank; k++) out[i * rank + k] = factors[i * columns + k]!;
  }
  return { form: 'lowrank', items, rank, factors: out, itemScale };
}

/** The bytes of `ease-lowrank.bin` (int8 factors with a per-row scale). */
export function encodeLowRankEase(ease: LowRankEase): Uint8Array {
  const n = ease.items.length;
  const r = ease.rank;
  const bytes = new Uint8Array(8 * n + n * r);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let k = 0; k < r; k++) max = Math.max(max, Math.abs(ease.factors[i * r + k]!));
    const scale = max / 127;
    view.setFloat32(4 * i, ease.itemScale[i]!, true);
    view.setFloat32(4 * n + 4 * i, scale, true);
    for (let k = 0; k < r; k++) view.setInt8(8 * n + i * r + k, scale > 0 ? Math.round(ease.factors[i * r + k]! / scale) : 0);
  }
  return bytes;
}

export function decodeLowRankEase(manifest: LowRankEaseManifest, bytes: Uint8Array): LowRankEase {
  const n = manifest.items.length;
  const r = manifest.rank;
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`${manifest.bin}: rank ${r} is not a positive integer`);
  const expected = 8 * n + n * r;
  if (bytes.length !== expected) throw new RangeError(`${manifest.bin}: ${bytes.length} bytes, expected ${expected} for ${n} items × rank ${r}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const factors = new Float32Array(n * r);
  const itemScale = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = view.getFloat32(4 * i, true);
    if (!Number.isFinite(c) || c < 1) throw new RangeError(`${manifest.bin}: item ${i} has scale ${c} (expected a finite number ≥ 1)`);
    const scale = view.getFloat32(4 * n + 4 * i, true);
    if (!Number.isFinite(scale) || scale < 0) throw new RangeError(`${manifest.bin}: row ${i} has quantisation scale ${scale}`);
    itemScale[i] = c;
    for (let k = 0; k < r; k++) factors[i * r + k] = view.getInt8(8 * n + i * r + k) * scale;
  }
  return { form: 'lowrank', items: manifest.items, rank: r, factors, itemScale };
}

/**
 * EASE scores of a history given as slots (distinct), one per slot: c_j · (u − [j∈history]F_j) · F_j.
 * The caller maps slots to catalog rows.
 */
export function lowRankScores(ease: LowRankEase, historySlots: readonly number[]): Float32Array {
  const r = ease.rank;
  const n = ease.items.length;
  const { factors, itemScale } = ease;
  const u = new Float64Array(r);
  for (const h of historySlots) for (let k = 0; k < r; k++) u[k]! += factors[h * r + k]!;
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0, o = j * r; k < r; k++, o++) s += u[k]! * factors[o]!;
    out[j] = itemScale[j]! * s;
  }
  // A history item does not vote for itself (EASE's zero diagonal): take its own term back out.
  for (const h of historySlots) {
    let self = 0;
    for (let k = 0, o = h * r; k < r; k++, o++) self += factors[o]! * factors[o]!;
    out[h] = out[h]! - itemScale[h]! * self;
  }
  return out;
}
