import { test } from 'node:test';
import assert from 'node:assert/strict';
import { easeWeights, invertSpd } from './ease.ts';

test('SPD inverse: A · A⁻¹ = I on a random well-conditioned matrix', () => {
  const n = 7;
  const m = Array.from({ length: n * n }, (_, i) => Math.sin(i * 1.7) * 0.5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = i === j ? 1 : 0;
    for (let k = 0; k < n; k++) s += m[i * n + k]! * m[j * n + k]!;
    a[i * n + j] = s;
  }
  const inv = invertSpd(Float64Array.from(a), n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k]! * inv[k * n + j]!;
    assert.ok(Math.abs(s - (i === j ? 1 : 0)) < 1e-9, `(${i}, ${j}): ${s}`);
  }
});

test('EASE weights by hand for two items: B = −P_ij / P_jj, zero diagonal', () => {
  // G = [[2, 1], [1, 3]], λ = 1 → A = [[3, 1], [1, 4]], P = [[4, −1], [−1, 3]] / 11.
  const b = easeWeights(Float64Array.from([2, 1, 1, 3]), 2, 1);
  assert.equal(b[0], 0);
  assert.equal(b[3], 0);
  assert.ok(Math.abs(b[1]! - 1 / 3) < 1e-6); // −(−1/11) / (3/11)
  assert.ok(Math.abs(b[2]! - 1 / 4) < 1e-6); // −(−1/11) / (4/11)
  assert.throws(() => invertSpd(Float64Array.from([1, 2, 2, 1]), 2), /not positive definite/);
});
