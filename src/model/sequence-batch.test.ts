import { test } from 'node:test';
import assert from 'node:assert/strict';
import { historyWindows, inputBatch, nextItemBatch, signalBucket, trainingBatch } from './sequence-batch.ts';

const h = (items: number[]) => ({ items: Int32Array.from(items), signals: Int32Array.from(items.map(() => 9)) });

test('training pairs: event t predicts event t+1, left-padded; the newest event is in, without a target', () => {
  const b = trainingBatch([h([10, 11, 12, 13])], 5);
  assert.deepEqual([...b.tokens], [0, 11, 12, 13, 14]);
  assert.deepEqual([...b.targets], [0, 12, 13, 14, 0]);
  assert.deepEqual([...b.eventIndex], [-1, 0, 1, 2, 3]);
  assert.deepEqual([...b.valid], [0, 1, 1, 1, 1]);
});

test('long histories keep the newest events; the loss window keeps only the newest targets', () => {
  const b = trainingBatch([h([1, 2, 3, 4, 5, 6])], 3, 1);
  assert.deepEqual([...b.tokens], [5, 6, 7]); // events 3,4,5 (items 4,5,6 → tokens +1)
  assert.deepEqual([...b.targets], [0, 7, 0]);
  assert.deepEqual([...b.eventIndex], [3, 4, 5]);
});

test('scoring input is the last maxLen events, and a one-event history has no training pair', () => {
  assert.deepEqual([...inputBatch([h([1, 2, 3])], 2).tokens], [3, 4]);
  const b = trainingBatch([h([5])], 3);
  assert.deepEqual([...b.targets], [0, 0, 0]);
});

test('signal buckets separate star ratings and event types', () => {
  assert.equal(signalBucket('rating', 0.5), 1);
  assert.equal(signalBucket('rating', 5), 10);
  // A like reads as the top rating: the shipped towers know it without retraining.
  assert.equal(signalBucket('like', undefined), signalBucket('rating', 5));
  // A dislike reads as 1★, whatever value it carries (it has no stars of its own).
  assert.equal(signalBucket('dislike', undefined), signalBucket('rating', 1));
  assert.equal(signalBucket('dislike', 5), signalBucket('rating', 1));
  assert.notEqual(signalBucket('purchase', undefined), signalBucket('view', undefined));
  assert.ok(signalBucket('dismiss', undefined) > 10);
});

test('SASRec pairs: the last column holds the second-newest event and predicts the newest', () => {
  const b = nextItemBatch([h([10, 11, 12, 13])], 4);
  assert.deepEqual([...b.tokens], [0, 11, 12, 13]);
  assert.deepEqual([...b.targets], [0, 12, 13, 14]);
  assert.deepEqual([...b.valid], [0, 1, 1, 1]);
  const long = nextItemBatch([h([1, 2, 3, 4, 5])], 2);
  assert.deepEqual([...long.tokens], [4, 5]);
  assert.deepEqual([...long.targets], [5, 6]);
});

test('history windows cover every transition once, newest window first', () => {
  const windows = historyWindows(h([0, 1, 2, 3, 4, 5, 6]), 3);
  assert.deepEqual(windows.map((w) => [...w.items]), [[3, 4, 5, 6], [0, 1, 2, 3]]);
  const pairs = windows.flatMap((w) => [...w.items].slice(1).map((t, k) => `${w.items[k]}→${t}`));
  assert.deepEqual(pairs.sort(), ['0→1', '1→2', '2→3', '3→4', '4→5', '5→6']);
  assert.deepEqual(historyWindows(h([7]), 3), []);
  assert.deepEqual(historyWindows(h([0, 1, 2, 3, 4]), 2).map((w) => [...w.items]), [[2, 3, 4], [0, 1, 2]]);
});
