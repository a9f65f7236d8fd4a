import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topK } from './topk.ts';

function bruteForce(scores: number[], k: number, skip: (i: number) => boolean = () => false) {
  return scores
    .map((score, index) => ({ index, score }))
    .filter((e) => !skip(e.index) && e.score > -Infinity)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, Math.max(0, k));
}

test('matches brute force on random scores for many k', () => {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 50; trial++) {
    const n = 1 + Math.floor(rand() * 300);
    const scores = Array.from({ length: n }, () => Math.round(rand() * 20) / 4); // many ties
    const k = Math.floor(rand() * (n + 5));
    const skip = (i: number) => i % 7 === 3;
    assert.deepEqual(topK(scores, k, skip), bruteForce(scores, k, skip));
  }
});

test('ties break towards the lower index', () => {
  assert.deepEqual(topK([1, 2, 2, 2, 0], 2).map((r) => r.index), [1, 2]);
});

test('k larger than n returns everything, sorted', () => {
  assert.deepEqual(topK([0.1, 0.3, 0.2], 10).map((r) => r.index), [1, 2, 0]);
});

test('empty inputs and k ≤ 0 give nothing', () => {
  assert.deepEqual(topK([], 5), []);
  assert.deepEqual(topK([1, 2], 0), []);
  assert.deepEqual(topK([1, 2], -3), []);
});

test('NaN and -Infinity never win a slot', () => {
  assert.deepEqual(topK([NaN, -Infinity, -5], 3).map((r) => r.index), [2]);
});

test('works on Float32Array', () => {
  assert.deepEqual(topK(new Float32Array([0.5, 0.9, 0.1]), 1), [{ index: 1, score: new Float32Array([0.9])[0] }]);
});
