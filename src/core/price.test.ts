import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPrice } from './price.ts';

test('prices show their currency in the locale given', () => {
  assert.equal(formatPrice(12.5, 'USD', 'en-US'), '$12.50');
  assert.equal(formatPrice(12.5, 'EUR', 'de-DE'), '12,50\u00a0€');
  assert.equal(formatPrice(1200, 'JPY', 'en-US'), '¥1,200');
});

test('without a currency the bare number, with two decimals', () => {
  assert.equal(formatPrice(3, undefined, 'en-US'), '3.00');
});
