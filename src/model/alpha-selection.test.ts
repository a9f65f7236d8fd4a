import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeSelection, selectAlpha } from './alpha-selection.ts';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);

test('a noise-level loss keeps the larger α; argmax alone would not', () => {
  // α=0 is best by 0.05 on average, but the per-user differences swing ±1: SE ≫ 0.05.
  const base = [1, 0, 1, 0, 1, 0, 1, 0, 0.5, 0.5];
  const steered = [0, 1, 0, 1, 1, 0, 1, 0, 0.5, 0];
  const s = selectAlpha([0, 0.2], [base, steered]);
  assert.equal(s.best, 0);
  assert.equal(s.alpha, 0.2);
  assert.equal(s.cases, 10);
  close(s.sweep[1]!.delta, -0.05);
  // Paired differences: [-1, 1, -1, 1, 0, 0, 0, 0, 0, -0.5]; mean -0.05.
  const diffs = [-1, 1, -1, 1, 0, 0, 0, 0, 0, -0.5];
  const m = -0.05;
  const se = Math.sqrt(diffs.reduce((a, d) => a + (d - m) ** 2, 0) / 9 / 10);
  close(s.sweep[1]!.se, se);
  assert.equal(s.sweep[0]!.se, 0);
});

test('a consistent loss larger than one paired SE rules the α out', () => {
  // Every user loses 0.1 at α=0.5 (SE 0), and α=0.1 loses less than its SE.
  const base = [0.5, 0.4, 0.3, 0.6, 0.2, 0.7];
  const small = [0.6, 0.3, 0.3, 0.6, 0.1, 0.7];
  const large = base.map((v) => v - 0.1);
  const s = selectAlpha([0, 0.1, 0.5], [base, small, large]);
  assert.equal(s.best, 0);
  assert.equal(s.alpha, 0.1);
  assert.deepEqual(s.sweep.map((p) => p.withinOneSe), [true, true, false]);
});

test('the best α wins when nothing else is within one SE, and ties go to the larger α', () => {
  const base = [0.2, 0.2, 0.2];
  assert.equal(selectAlpha([0, 0.3], [base, base.map((v) => v - 0.05)]).alpha, 0);
  assert.equal(selectAlpha([0, 0.3], [base, base]).alpha, 0.3);
  // The best may itself be the largest; the grid need not be sorted.
  assert.equal(selectAlpha([0.5, 0], [[1, 1], [0, 0]]).alpha, 0.5);
});

test('unpaired or empty input is an error', () => {
  assert.throws(() => selectAlpha([], []), RangeError);
  assert.throws(() => selectAlpha([0, 0.1], [[1, 0]]), RangeError);
  assert.throws(() => selectAlpha([0, 0.1], [[1, 0], [1]]), RangeError);
});

test('the log line names every α, the SE and the choice', () => {
  const line = describeSelection(selectAlpha([0, 0.2], [[1, 0, 1, 0], [0, 1, 1, 0]]));
  assert.match(line, /α=0: 0\.5000/);
  assert.match(line, /α=0\.2: 0\.5000 \(Δ \+0\.0000 ± 0\.\d{4}\)/);
  assert.match(line, /one-SE rule → α = 0\.2/);
});
