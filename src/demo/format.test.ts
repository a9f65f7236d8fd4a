import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount } from './format.ts';

test('formatCount groups digits as English does, without Intl', () => {
  for (const n of [0, 7, 999, 1000, 9061, 12345, 999999, 1000000, 1234567890, -1234]) {
    assert.equal(formatCount(n), new Intl.NumberFormat('en').format(n));
  }
});
