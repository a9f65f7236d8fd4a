import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertSaneValues, countNonFiniteScores, firstInsaneValue, MAX_LOADED_MAGNITUDE, NonFiniteValueError } from './finite-values.ts';

test('firstInsaneValue finds NaN, infinities and values beyond the bound', () => {
  assert.equal(firstInsaneValue(new Float32Array([0, 1.17, -0.35])), -1);
  assert.equal(firstInsaneValue([0, Number.NaN, 1]), 1);
  assert.equal(firstInsaneValue([0, 0, Number.NEGATIVE_INFINITY]), 2);
  assert.equal(firstInsaneValue(new Float32Array([3e38])), 0);
  assert.equal(firstInsaneValue([MAX_LOADED_MAGNITUDE, -MAX_LOADED_MAGNITUDE]), -1);
  assert.equal(firstInsaneValue([0, MAX_LOADED_MAGNITUDE * 1.01]), 1);
});

test('assertSaneValues names the place and the value', () => {
  assert.doesNotThrow(() => assertSaneValues(new Float32Array(8), 'w'));
  assert.throws(() => assertSaneValues(new Float32Array([1, Number.NaN]), 'thought-space.bin "behaviour.w"'), (error: unknown) => {
    assert.ok(error instanceof NonFiniteValueError);
    assert.match(error.message, /thought-space\.bin "behaviour\.w": value 1 of 2 is NaN/);
    return true;
  });
  assert.throws(() => assertSaneValues(new Float32Array([-3e38]), 'x'), /beyond the ±10000/);
});

test('countNonFiniteScores counts NaN and +Infinity, not the −Infinity that marks unrankable rows', () => {
  assert.equal(countNonFiniteScores(new Float32Array([1, Number.NEGATIVE_INFINITY, 0])), 0);
  assert.equal(countNonFiniteScores([Number.NaN, Number.POSITIVE_INFINITY, 2]), 2);
});
