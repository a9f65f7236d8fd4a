import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blendScores, standardize } from './score-blend.ts';

test('standardise: mean 0, std 1 over finite scores; −∞ becomes the lowest finite value', () => {
  const z = standardize([1, 2, 3, -Infinity]);
  assert.ok(Math.abs(z[0]! + z[2]!) < 1e-6 && Math.abs(z[1]!) < 1e-6);
  assert.ok(Math.abs(z[2]! - Math.sqrt(1.5)) < 1e-6);
  assert.equal(z[3], z[0]);
  assert.deepEqual([...standardize([5, 5])], [0, 0]);
});

test('blend: weight 0 is the first ranker alone; a large weight follows the second', () => {
  const a = [3, 2, 1];
  const b = [1, 2, 30];
  const order = (s: Float32Array) => [...s.keys()].sort((i, j) => s[j]! - s[i]!);
  assert.deepEqual(order(blendScores(a, b, 0)), [0, 1, 2]);
  assert.deepEqual(order(blendScores(a, b, 100)), [2, 1, 0]);
  assert.throws(() => blendScores([1], [1, 2], 1), /blend/);
});
