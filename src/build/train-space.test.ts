import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge } from './train-space.ts';

const baselines = [
  { model: 'pop', ndcg10: 0.1559 },
  { model: 'itemknn', ndcg10: 0.509 },
  { model: 'content', ndcg10: 0.4356 },
];

test('the Thought Space is used when it beats text similarity, the ranker the page has without it', () => {
  const verdict = judge(0.4915, baselines);
  assert.equal(verdict.use, true);
  assert.equal(verdict.verdict, 'test NDCG@10: pulse 0.4915, pop 0.1559, itemknn 0.5090, content 0.4356 — the Thought Space beats text similarity, so the page uses it; itemknn is stronger on these logs but does not run in the page');
});

test('a Thought Space that loses to text similarity is not used, and the build says so', () => {
  const verdict = judge(0.4, baselines);
  assert.equal(verdict.use, false);
  assert.match(verdict.verdict, /does not beat text similarity \(content\), so pulse\.config\.json keeps text similarity/);
});
