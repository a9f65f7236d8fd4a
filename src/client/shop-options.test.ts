import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shopFolderFromQuery } from './shop-options.ts';

test('?catalog= names a folder on this site', () => {
  const page = 'http://127.0.0.1:5173/';
  assert.equal(shopFolderFromQuery('', page), null);
  assert.equal(shopFolderFromQuery('?catalog=/shop', page), 'http://127.0.0.1:5173/shop/');
  assert.equal(shopFolderFromQuery('?catalog=shops/kitchen/', page), 'http://127.0.0.1:5173/shops/kitchen/');
  assert.throws(() => shopFolderFromQuery('?catalog=https://elsewhere.example/shop/', page), /must name a folder on this site/);
});
