import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initials, posterStyle } from './poster.ts';

test('initials skip articles and alternate titles', () => {
  assert.equal(initials('The Shawshank Redemption'), 'SR');
  assert.equal(initials('Star Wars: Episode IV - A New Hope'), 'SW');
  assert.equal(initials('Léon: The Professional (a.k.a. The Professional) (Léon)'), 'LP');
  assert.equal(initials('Heat'), 'H');
  assert.equal(initials('The'), 'T');
  assert.equal(initials('(500) Days of Summer'), '5D');
});

test('a poster is deterministic and coloured by genre', () => {
  const a = posterStyle({ id: '1', title: 'Toy Story', categories: ['Animation', 'Comedy'] });
  assert.deepEqual(a, posterStyle({ id: '1', title: 'Toy Story', categories: ['Animation', 'Comedy'] }));
  for (const h of [a.hue1, a.hue2]) assert.ok(h >= 0 && h < 360);
  const none = posterStyle({ id: '2', title: 'X', categories: [] });
  assert.ok(none.hue1 >= 0 && none.hue1 < 360);
});
