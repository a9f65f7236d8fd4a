import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { independentProblems } from './why-truth-facts.ts';

const films: CatalogItem[] = [
  { id: 'kwai', title: 'The Bridge on the River Kwai', text: '', categories: ['Adventure', 'Drama', 'War'], year: 1957 },
  { id: 'fmj', title: 'Full Metal Jacket', text: '', categories: ['Drama', 'War'], year: 1987 },
  { id: 'platoon', title: 'Platoon', text: '', categories: ['Drama', 'War'], year: 1986 },
];
const byId = new Map(films.map((f) => [f.id, f] as const));
const likes: PulseEvent[] = films.map((f, i) => ({ type: 'like', itemId: f.id, ts: i }));
const problems = (text: string, history = likes) => independentProblems(text, history, (id) => byId.get(id));

test('the second reading knows likes: weight +1, no stars, no rating habit', () => {
  assert.deepEqual(problems('Leans towards Drama and War. Favourites include “Platoon” (liked) and “Full Metal Jacket”.'), []);
  assert.match(problems('Favourites include “Platoon” (5★).').join(), /Platoon 5★ vs undefined/);
  assert.match(problems('Rates generously (5.0★ on average).').join(), /no rating habit/);
  const rated: PulseEvent[] = [{ type: 'like', itemId: 'platoon', ts: 1 }, { type: 'rating', itemId: 'platoon', value: 4, ts: 2 }];
  assert.match(problems('Favourites include “Platoon” (liked).', rated).join(), /not liked/);
  assert.deepEqual(problems('Favourites include “Platoon” (4★).', rated), []);
});

test('the second reading wants the category every liked item shares named before any other', () => {
  assert.deepEqual(problems('Leans towards War, Drama and Adventure.'), []);
  assert.match(problems('Leans towards Adventure, War and Drama.').join(), /shared category named after another/);
  // Two liked films with no category in common: none is shared by most, so any order holds.
  const two = new Map<string, CatalogItem>([
    ['a', { id: 'a', title: 'A', text: '', categories: ['Comedy'], year: 1990 }],
    ['b', { id: 'b', title: 'B', text: '', categories: ['Horror'], year: 1991 }],
  ]);
  const mixed: PulseEvent[] = [{ type: 'like', itemId: 'a', ts: 1 }, { type: 'like', itemId: 'b', ts: 2 }];
  assert.deepEqual(independentProblems('Leans towards Horror and Comedy.', mixed, (id) => two.get(id)), []);
});
