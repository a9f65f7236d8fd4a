import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchGridToInterior } from './tuning.ts';

const peakAt = (peak: number) => (value: number) => ({ score: -Math.abs(Math.log(value / peak)), fitted: value });

test('an interior best is kept and nothing past the grid is tried', async () => {
  const { best, tried } = await searchGridToInterior([30, 100, 300, 1000], peakAt(120));
  assert.equal(best.value, 100);
  assert.deepEqual(tried.map((t) => t.value), [30, 100, 300, 1000]);
});

test('a best at an end extends the grid at its own ratio until it is inside, at most maxSteps', async () => {
  const low = await searchGridToInterior([30, 100, 300, 1000], peakAt(10));
  assert.equal(low.best.value, 9);
  assert.deepEqual(low.tried.map((t) => t.value), [2.7, 9, 30, 100, 300, 1000]);
  const high = await searchGridToInterior([1, 10], peakAt(1e6), 2);
  assert.deepEqual(high.tried.map((t) => t.value), [1, 10, 100, 1000]);
  assert.equal(high.best.value, 1000, 'still at the edge after maxSteps: the best tried');
});

test('a one-value grid is a fixed choice, never extended', async () => {
  const { best, tried } = await searchGridToInterior([300], peakAt(1));
  assert.equal(best.value, 300);
  assert.equal(tried.length, 1);
});

test('a bad grid is refused', async () => {
  await assert.rejects(searchGridToInterior([], peakAt(1)), /empty grid/);
  await assert.rejects(searchGridToInterior([0, 1], peakAt(1)), /positive/);
});
