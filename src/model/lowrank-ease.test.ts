import assert from 'node:assert/strict';
import { test } from 'node:test';
import { easeWeights } from '../eval/models/ease.ts';
import { itemEigenpairs, symmetricEigen } from '../train/user-space-eigen.ts';
import { decodeLowRankEase, encodeLowRankEase, lowRankEase, lowRankScores, type LowRankEaseManifest } from './lowrank-ease.ts';

/** A seeded random binary user × item matrix, as item slots per user. */
function randomUsers(users: number, items: number, density: number, seed: number): Int32Array[] {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: users }, () => Int32Array.from({ length: items }, (_, i) => i).filter(() => rand() < density));
}

function fullFactors(itemsOfUser: Int32Array[], n: number, lambda: number): { f: Float64Array; m: number } {
  const { values, vectors, rank } = itemEigenpairs(itemsOfUser, n);
  const f = new Float64Array(n * rank);
  for (let i = 0; i < n; i++) for (let k = 0; k < rank; k++) f[i * rank + k] = vectors[i * rank + k]! * Math.sqrt(values[k]! / (values[k]! + lambda));
  return { f, m: rank };
}

test('symmetricEigen reconstructs a symmetric matrix, eigenvalues descending', () => {
  const n = 6;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = Math.sin(i * 7 + j * 3) + (i === j ? 3 : 0);
  const { values, vectors } = symmetricEigen(a, n);
  for (let k = 1; k < n; k++) assert.ok(values[k - 1]! >= values[k]!);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[i * n + k]! * values[k]! * vectors[j * n + k]!;
      assert.ok(Math.abs(s - a[i * n + j]!) < 1e-9, `(${i},${j}) ${s} vs ${a[i * n + j]}`);
    }
  }
});

test('at full rank, low-rank EASE scores equal dense EASE (x·B, zero diagonal) — more items than users', () => {
  const n = 30;
  const lambda = 2;
  const users = randomUsers(12, n, 0.3, 7);
  const gram = new Float64Array(n * n);
  for (const items of users) for (const a of items) for (const b of items) gram[a * n + b]!++;
  const dense = easeWeights(gram, n, lambda);
  const { f, m } = fullFactors(users, n, lambda);
  assert.ok(m <= 12);
  const ease = lowRankEase(Array.from({ length: n }, (_, i) => `i${i}`), f, m, m);
  for (const history of [[0], [3, 5, 8], [1, 2, 3, 4, 29]]) {
    const got = lowRankScores(ease, history);
    for (let j = 0; j < n; j++) {
      let want = 0;
      for (const h of history) want += dense[h * n + j]!;
      assert.ok(Math.abs(got[j]! - want) < 1e-4 * (1 + Math.abs(want)), `item ${j}: ${got[j]} vs ${want}`);
    }
  }
});

test('a lower rank keeps the largest eigenpairs: scores approach dense EASE as r grows', () => {
  const n = 40;
  const users = randomUsers(25, n, 0.25, 11);
  const { f, m } = fullFactors(users, n, 3);
  const items = Array.from({ length: n }, (_, i) => `i${i}`);
  const exact = lowRankScores(lowRankEase(items, f, m, m), [2, 9, 17]);
  const error = (r: number) => {
    const s = lowRankScores(lowRankEase(items, f, m, r), [2, 9, 17]);
    return s.reduce((e, v, j) => e + (v - exact[j]!) ** 2, 0);
  };
  assert.ok(error(5) > error(15));
  assert.ok(error(15) > error(m) - 1e-12);
});

test('encode → decode round-trips within int8 rounding; corrupt or truncated files are refused', () => {
  const n = 20;
  const { f, m } = fullFactors(randomUsers(10, n, 0.3, 3), n, 1);
  const items = Array.from({ length: n }, (_, i) => `i${i}`);
  const ease = lowRankEase(items, f, m, 4);
  const bytes = encodeLowRankEase(ease);
  const manifest: LowRankEaseManifest = { form: 'lowrank', bin: 'ease-lowrank.bin', lambda: 1, rank: 4, items };
  assert.equal(bytes.length, 8 * n + 4 * n);
  const back = decodeLowRankEase(manifest, bytes);
  assert.deepEqual([...back.itemScale], [...ease.itemScale]);
  for (let i = 0; i < n * 4; i++) assert.ok(Math.abs(back.factors[i]! - ease.factors[i]!) <= 1 / 127 + 1e-6);
  assert.throws(() => decodeLowRankEase(manifest, bytes.subarray(0, bytes.length - 1)), /ease-lowrank\.bin: \d+ bytes, expected/);
  const nan = Uint8Array.from(bytes);
  new DataView(nan.buffer).setFloat32(0, Number.NaN, true);
  assert.throws(() => decodeLowRankEase(manifest, nan), /item 0 has scale NaN/);
  assert.throws(() => decodeLowRankEase({ ...manifest, rank: 0 }, bytes), /rank 0/);
});

test('the truncated diagonal is EASE of the rank-r inverse itself: B_r = I − P_r·diag(1/diag P_r), P_r = (1/λ)(I − F_r F_rᵀ)', () => {
  const n = 25;
  const lambda = 2;
  const r = 4;
  const { f, m } = fullFactors(randomUsers(15, n, 0.3, 5), n, lambda);
  const ease = lowRankEase(Array.from({ length: n }, (_, i) => `i${i}`), f, m, r, 'truncated');
  const p = (i: number, j: number) => {
    let s = 0;
    for (let k = 0; k < r; k++) s += f[i * m + k]! * f[j * m + k]!;
    return ((i === j ? 1 : 0) - s) / lambda;
  };
  const history = [1, 6, 13];
  const got = lowRankScores(ease, history);
  for (let j = 0; j < n; j++) {
    let want = 0;
    for (const h of history) want += (h === j ? 1 : 0) - p(h, j) / p(j, j);
    assert.ok(Math.abs(got[j]! - want) < 1e-4 * (1 + Math.abs(want)), `item ${j}: ${got[j]} vs ${want}`);
  }
});
