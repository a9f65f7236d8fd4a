import { test } from 'node:test';
import assert from 'node:assert/strict';
import { beyondAccuracy, fullRank, ndcgAt, rankMetrics, sampledRank, ScoreError } from './metrics.ts';
import { drawNegatives } from './negatives.ts';
import { seededRandom } from '../core/random.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

test('full rank masks the history and counts ties against the target', () => {
  const scores = [0.9, 0.5, 0.7, 0.5, 0.1];
  // Candidates 1..4 (item 0 masked): item 2 beats the target, item 3 ties → rank 3, not 2.
  assert.equal(fullRank(scores, 1, [0]), 3);
  assert.equal(fullRank(scores, 1, []), 4);
  // Duplicates in the mask and the target itself in the mask change nothing.
  assert.equal(fullRank(scores, 1, [0, 0, 1]), 3);
  assert.equal(fullRank(scores, 0, [2, 3]), 1);
});

test('a model that scores everything the same ranks the target last, never first', () => {
  assert.equal(fullRank(new Float32Array(100), 42, [1, 2, 3]), 97);
});

test('NaN scores are an error, not a silent rank', () => {
  assert.throws(() => fullRank([0.1, NaN, 0.3], 0, []), ScoreError);
  assert.throws(() => fullRank([NaN, 0.2], 0, []), ScoreError);
  assert.throws(() => sampledRank([0.5, NaN], 0, [1]), ScoreError);
});

test('sampled rank only compares against the given negatives', () => {
  const scores = [0.2, 0.9, 0.1, 0.2, 0.8];
  assert.equal(sampledRank(scores, 0, [2, 3]), 2); // 3 ties → above
  assert.equal(sampledRank(scores, 0, [2]), 1);
  assert.equal(sampledRank(scores, 0, [1, 4, 3, 2]), 4);
});

test('HR, NDCG and MRR match hand-computed values', () => {
  close(ndcgAt(1, 10), 1);
  close(ndcgAt(3, 10), 0.5); // 1 / log2(4)
  close(ndcgAt(7, 10), 1 / 3); // 1 / log2(8)
  assert.equal(ndcgAt(11, 10), 0);
  const m = rankMetrics([1, 3, 30]);
  close(m['HR@1']!, 1 / 3);
  close(m['HR@5']!, 2 / 3);
  close(m['HR@20']!, 2 / 3);
  close(m['NDCG@5']!, (1 + 0.5) / 3);
  close(m['NDCG@10']!, (1 + 0.5) / 3);
  close(m.MRR!, (1 + 1 / 3 + 1 / 30) / 3);
  const n = rankMetrics([2, 7]);
  close(n['NDCG@5']!, 1 / Math.log2(3) / 2);
  close(n['NDCG@10']!, (1 / Math.log2(3) + 1 / 3) / 2);
  close(n['HR@5']!, 0.5);
});

test('coverage and popularity of what is recommended', () => {
  const popularity = [5, 3, 1, 0, 0, 0, 0, 0, 0, 0];
  const b = beyondAccuracy([[0, 1], [1, 2]], 10, popularity);
  close(b.coverage, 0.3);
  close(b.meanPopularity, (5 + 3 + 3 + 1) / 4);
});

test('negatives are distinct, never seen, seeded, and capped by what is available', () => {
  const excluded = new Set([0, 1, 2]);
  const a = drawNegatives(50, 20, excluded, seededRandom(7));
  assert.equal(new Set(a).size, 20);
  assert.ok([...a].every((i) => !excluded.has(i) && i >= 0 && i < 50));
  assert.deepEqual([...drawNegatives(50, 20, excluded, seededRandom(7))], [...a]);
  assert.notDeepEqual([...drawNegatives(50, 20, excluded, seededRandom(8))], [...a]);
  const all = drawNegatives(10, 99, excluded, seededRandom(1));
  assert.deepEqual([...all].sort((x, y) => x - y), [3, 4, 5, 6, 7, 8, 9]);
});
