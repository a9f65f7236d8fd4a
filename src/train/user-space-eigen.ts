/**
 * EASE's inverse through the users, not the items: with X the binary user × item training
 * matrix (m users, n items, m ≪ n on MovieLens: 671 vs 9,008), XᵀX has rank ≤ m, and its
 * eigenpairs come from the small m × m matrix XXᵀ = U S Uᵀ: V = Xᵀ U S^(−½) (n × m, orthonormal
 * columns), the same eigenvalues S. Then, exactly (Woodbury),
 *
 *   P = (XᵀX + λI)⁻¹ = (1/λ)(I − V diag(s/(s+λ)) Vᵀ) = (1/λ)(I − F Fᵀ),  F = V diag(√(s/(s+λ))).
 *
 * So EASE over every training item costs an m × m eigendecomposition (seconds) instead of an
 * n × n Cholesky (minutes at 3,000 items, hours at 9,000), and its natural browser form is F cut
 * to its first r columns (src/model/lowrank-ease.ts). Only where users are few: Jacobi is O(m³) per
 * sweep, so logs with tens of thousands of users (Amazon) need the item side or a truncated
 * solver instead. Node-only (offline export); no tfjs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Eigenpairs of a symmetric matrix (row-major, n × n) by cyclic Jacobi rotations, eigenvalues descending; `vectors` column k (row-major n × n) belongs to `values[k]`. */
export function symmetricEigen(matrix: Float64Array, n: number, log: (line: string) => void = () => {}): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    log(`jacobi sweep ${sweep}: off-diagonal ${Math.sqrt(off / scale).toExponential(2)}`);
    if (off <= 1e-22 * scale) break; // 1e-11 relative: far below int8 rounding of what is shipped
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // Rows p and q, then columns p and q (the matrix stays symmetric: update both).
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * n + y]! - a[x * n + x]!);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) vectors[i * n + k] = v[i * n + order[k]!]!;
  return { values, vectors };
}

/**
 * The item-side eigenpairs of XᵀX from the user side. `itemsOfUser[u]` are item slots 0..n−1.
 * Returns V (n × r row-major, r = eigenvalues above `floor`) and the eigenvalues.
 */
export function itemEigenpairs(itemsOfUser: readonly Int32Array[], n: number, log: (line: string) => void = () => {}, floor = 1e-8): { values: Float64Array; vectors: Float64Array; rank: number } {
  const m = itemsOfUser.length;
  const owner = Array.from({ length: n }, () => [] as number[]);
  itemsOfUser.forEach((items, u) => items.forEach((i) => owner[i]!.push(u)));
  const gram = new Float64Array(m * m);
  for (const users of owner) for (const a of users) for (const b of users) gram[a * m + b]!++;
  const { values, vectors } = symmetricEigen(gram, m, log);
  let rank = 0;
  while (rank < m && values[rank]! > floor * values[0]!) rank++;
  // V[:, k] = Xᵀ U[:, k] / √s_k: item i's entry sums U over the users who touched it.
  const out = new Float64Array(n * rank);
  for (let i = 0; i < n; i++) {
    for (const u of owner[i]!) for (let k = 0; k < rank; k++) out[i * rank + k]! += vectors[u * m + k]!;
    for (let k = 0; k < rank; k++) out[i * rank + k]! /= Math.sqrt(values[k]!);
  }
  return { values: values.subarray(0, rank), vectors: out, rank };
}

/**
 * itemEigenpairs, kept in `file` (a Float64Array: rank, the values, the vectors) so that a
 * second run of the same split skips the decomposition (minutes here).
 */
export function cachedItemEigenpairs(itemsOfUser: readonly Int32Array[], n: number, file: string, log: (line: string) => void = () => {}): { values: Float64Array; vectors: Float64Array; rank: number } {
  if (existsSync(file)) {
    const b = readFileSync(file);
    const all = new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
    const rank = all[0]!;
    log(`eigenpairs from ${file}`);
    return { rank, values: all.slice(1, 1 + rank), vectors: all.slice(1 + rank) };
  }
  const t0 = performance.now();
  const eig = itemEigenpairs(itemsOfUser, n, log);
  log(`eigen ${n} items: rank ${eig.rank}, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const all = new Float64Array(1 + eig.rank + eig.vectors.length);
  all[0] = eig.rank;
  all.set(eig.values, 1);
  all.set(eig.vectors, 1 + eig.rank);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, new Uint8Array(all.buffer));
  return eig;
}
