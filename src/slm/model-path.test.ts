import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localModelPathFor } from './model-path.ts';

test('a same-origin models URL becomes a site path; another origin stays a URL', () => {
  assert.equal(localModelPathFor('http://127.0.0.1:5173/models', 'http://127.0.0.1:5173'), '/models/');
  assert.equal(localModelPathFor('https://shop.test/static/models/', 'https://shop.test'), '/static/models/');
  assert.equal(localModelPathFor('https://cdn.shop.test/models', 'https://shop.test'), 'https://cdn.shop.test/models/');
});
