import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseItemIds, parseK, parsePlacement, placementContext } from './placement.ts';

test('placement: the product on screen or the cart becomes request-only context', () => {
  assert.deepEqual(placementContext('home', ['1']), []);
  assert.deepEqual(placementContext('product', parseItemIds(' 42 ')), [{ type: 'view', itemId: '42' }]);
  assert.deepEqual(placementContext('cart', parseItemIds('1, 2 3')), [
    { type: 'cart', itemId: '1' },
    { type: 'cart', itemId: '2' },
    { type: 'cart', itemId: '3' },
  ]);
  assert.equal(parsePlacement('checkout'), 'home');
  assert.equal(parseK('12'), 12);
  assert.equal(parseK('0'), 8);
  assert.equal(parseK('many'), 8);
});
