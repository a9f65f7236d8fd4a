import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HISTORY_WHOLE, reasonFromContributions } from './item-reason.ts';
import { itemSignals } from './profile.ts';
import type { CatalogItem, PulseEvent } from './types.ts';

const NOW = 1_700_000_000_000;
const items: CatalogItem[] = [
  { id: 'ring', title: 'The Ring', text: '', categories: ['Horror'], year: 2002 },
  { id: 'saw', title: 'Saw', text: '', categories: ['Horror'], year: 2004 },
  { id: 'toy', title: 'Toy Story', text: '', categories: ['Animation'], year: 1995 },
];
const lookup = (id: string) => items.find((i) => i.id === id);
const history: PulseEvent[] = [
  { type: 'like', itemId: 'toy', ts: NOW - 1 },
  { type: 'dislike', itemId: 'saw', ts: NOW },
];
const signals = new Map(itemSignals(history, NOW).map((s) => [s.itemId, s] as const));

test('a liked item that lowers the score when deleted is named as liked', () => {
  const why = reasonFromContributions(items[0]!, [{ itemId: 'toy', drop: 0.3 }, { itemId: 'saw', drop: 0.1 }], (id) => signals.get(id), lookup);
  assert.equal(why.kind, 'similar');
  assert.match(why.text, /^Because you liked “Toy Story” — /);
});

test('"because you disliked …" is never a reason to recommend: a disliked top contributor gives the history as a whole', () => {
  // Whatever a model makes of a dislike, a reason to show an item names only something the
  // shopper pulled towards; naming a lesser contributor instead would not be faithful to the score.
  const why = reasonFromContributions(items[0]!, [{ itemId: 'saw', drop: 0.9 }, { itemId: 'toy', drop: 0.2 }], (id) => signals.get(id), lookup);
  assert.deepEqual(why, HISTORY_WHOLE);
  assert.doesNotMatch(why.text, /dislike/i);
});
