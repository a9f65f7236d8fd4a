import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeUrl } from './safe-url.ts';

const PAGE = 'https://shop.example/products/42.html';

test('only web URLs from a catalog become links or images', () => {
  assert.equal(safeUrl('product.html?id=1', PAGE), 'https://shop.example/products/product.html?id=1');
  assert.equal(safeUrl('javascript:alert(1)', PAGE), null);
  assert.equal(safeUrl(' JavaScript:alert(1)', PAGE), null);
  assert.equal(safeUrl('data:text/html,<b>x</b>', PAGE), null);
  assert.equal(safeUrl(undefined, PAGE), null);
});
