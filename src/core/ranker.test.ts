import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRankingIndex, explain, jsScorer, rank } from './ranker.ts';
import type { CatalogItem, PulseEvent } from './types.ts';

// Four "directions" in a 3-d space: a cartoon cluster, a horror cluster, and one in between.
const items: CatalogItem[] = [
  { id: 'toy', title: 'Toy Story', text: 't', categories: ['Animation', 'Children'], year: 1995, popularity: 10 },
  { id: 'bug', title: "A Bug's Life", text: 't', categories: ['Animation', 'Children'], year: 1998, popularity: 5 },
  { id: 'nemo', title: 'Finding Nemo', text: 't', categories: ['Animation'], year: 2003, popularity: 8 },
  { id: 'saw', title: 'Saw', text: 't', categories: ['Horror'], year: 2004, popularity: 50 },
  { id: 'ring', title: 'The Ring', text: 't', categories: ['Horror'], year: 2002, popularity: 40 },
];
const vectors = new Float32Array([1, 0, 0, 0.95, 0.31, 0, 0.9, 0, 0.43, 0, 1, 0, 0, 0.95, 0.31]);
const index = buildRankingIndex(items, vectors, 3);
const NOW = Date.UTC(2026, 0, 1);
const like = (itemId: string): PulseEvent => ({ type: 'like', itemId, ts: NOW });

test('empty history falls back to popularity, labelled as such', async () => {
  const r = await rank([], index, jsScorer(index), { k: 3, now: NOW });
  assert.equal(r.strategy, 'popular');
  assert.deepEqual(r.items.map((i) => i.id), ['saw', 'ring', 'toy']);
  assert.equal(r.items[0]!.why.kind, 'popular');
});

test('a like ranks its neighbours first, excludes itself, and says why', async () => {
  const r = await rank([like('toy')], index, jsScorer(index), { k: 2, now: NOW, priorWeight: 0 });
  assert.equal(r.strategy, 'personal');
  assert.deepEqual(r.items.map((i) => i.id), ['bug', 'nemo']);
  const why = r.items[0]!.why;
  assert.equal(why.kind, 'similar');
  assert.match(why.text, /^Because you liked “Toy Story” — both Animation and Children$/);
});

test('dislikes push away and dismissed or excluded items never come back', async () => {
  const history: PulseEvent[] = [like('nemo'), { type: 'rating', itemId: 'saw', value: 1, ts: NOW }, { type: 'dismiss', itemId: 'bug', ts: NOW }];
  const r = await rank(history, index, jsScorer(index), { k: 5, now: NOW, exclude: ['toy'] });
  assert.deepEqual(r.items.map((i) => i.id), ['ring']);
});

test('a dislike ranks exactly as the 1★ rating it replaces, and is never the item a reason names', async () => {
  const asRating: PulseEvent[] = [like('toy'), { type: 'rating', itemId: 'saw', value: 1, ts: NOW }];
  const asDislike: PulseEvent[] = [like('toy'), { type: 'dislike', itemId: 'saw', ts: NOW }];
  const a = await rank(asRating, index, jsScorer(index), { k: 3, now: NOW });
  const b = await rank(asDislike, index, jsScorer(index), { k: 3, now: NOW });
  assert.deepEqual(b.items.map((i) => [i.id, i.score]), a.items.map((i) => [i.id, i.score]));
  // "The Ring" is closest to the disliked "Saw", yet the reason names what the shopper liked.
  const why = explain(asDislike, index, 'ring', NOW);
  assert.ok(why.kind === 'similar' && why.itemId === 'toy' && why.text.startsWith('Because you liked “Toy Story”'), JSON.stringify(why));
  for (const item of b.items) assert.doesNotMatch(item.why.text, /disliked|Saw/);
  // Only dislikes: nothing pulls, so the list is the popular one, labelled so.
  const only = await rank([{ type: 'dislike', itemId: 'saw', ts: NOW }], index, jsScorer(index), { k: 1, now: NOW });
  assert.deepEqual([only.strategy, only.items[0]!.why.kind], ['popular', 'popular']);
});

test('only negative history is not personal: popularity, minus what was seen', async () => {
  const r = await rank([{ type: 'dismiss', itemId: 'saw', ts: NOW }], index, jsScorer(index), { k: 1, now: NOW });
  assert.equal(r.strategy, 'popular');
  assert.deepEqual(r.items.map((i) => i.id), ['ring']);
});

test('history items the catalog does not know are ignored', async () => {
  const r = await rank([like('gone')], index, jsScorer(index), { k: 1, now: NOW });
  assert.equal(r.strategy, 'popular');
});

test('explain names the closest liked item, and rejects unknown ids', () => {
  const why = explain([like('toy'), like('saw')], index, 'ring', NOW);
  assert.equal(why.kind === 'similar' && why.itemId, 'saw');
  assert.throws(() => explain([], index, 'nope', NOW), /unknown item id "nope"/);
});

test('index rejects a vector matrix of the wrong size', () => {
  assert.throws(() => buildRankingIndex(items, new Float32Array(7), 3), /7 floats for 5 items/);
});
