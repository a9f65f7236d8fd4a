import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemSignals } from './profile.ts';
import { reasonText, sharedCategories } from './reason-words.ts';
import { EVENT_TYPES, type CatalogItem, type EventType, type PulseEvent } from './types.ts';

const NOW = 1_700_000_000_000;
const matrix: CatalogItem = { id: 'm', title: 'The Matrix', text: '', categories: ['Action', 'Sci-Fi'], year: 1999 };
const alien: CatalogItem = { id: 'a', title: 'Alien', text: '', categories: ['Horror', 'Sci-Fi'], year: 1979 };
const fargo: CatalogItem = { id: 'f', title: 'Fargo', text: '', categories: ['Crime', 'Drama'], year: 1996 };
const amelie: CatalogItem = { id: 'e', title: 'Amélie', text: '', categories: ['Comedy', 'Romance'], year: 2001 };
const undated: CatalogItem = { id: 'u', title: 'Kettle', text: '', categories: ['Kitchen'], year: null };

/** The signal the profile derives from one event, as the rankers see it. */
function signalOf(type: EventType, value?: number) {
  const event: PulseEvent = { type, itemId: 'm', ts: NOW, ...(value === undefined ? {} : { value }) };
  const [signal] = itemSignals([event], NOW);
  return signal!;
}

test('every event type reads as English', () => {
  // Each row: the event, then the words after "Because you" — the title inside the phrase.
  const cases: Array<[EventType, number | undefined, string]> = [
    ['view', undefined, 'viewed “The Matrix”'],
    ['click', undefined, 'clicked “The Matrix”'],
    ['cart', undefined, 'added “The Matrix” to your cart'],
    ['purchase', undefined, 'bought “The Matrix”'],
    ['like', undefined, 'liked “The Matrix”'],
    ['rating', 5, 'rated “The Matrix” 5★'],
    ['rating', 4, 'rated “The Matrix” 4★'],
    ['rating', 4.5, 'rated “The Matrix” 4.5★'],
    ['rating', 3, 'rated “The Matrix” 3★'],
    ['rating', 2, 'rated “The Matrix” 2★'],
    ['rating', 1, 'rated “The Matrix” 1★'],
    ['dislike', undefined, 'disliked “The Matrix”'],
    ['dismiss', undefined, 'hid “The Matrix”'],
  ];
  const covered = new Set(cases.map(([type]) => type));
  assert.deepEqual([...EVENT_TYPES].filter((t) => !covered.has(t)), [], 'a case for every event type in the schema');
  for (const [type, value, words] of cases) {
    const text = reasonText(alien, matrix, signalOf(type, value));
    assert.ok(text.startsWith(`Because you ${words} — `), `${type} ${value ?? ''}: ${text}`);
    assert.doesNotMatch(text, /added to cart|·/);
  }
});

test('the link is a shared category when there is one, and only a shared one', () => {
  const liked = signalOf('like');
  assert.equal(reasonText(alien, matrix, liked), 'Because you liked “The Matrix” — both Sci-Fi');
  const thriller: CatalogItem = { ...alien, categories: ['Sci-Fi', 'Action', 'Thriller'] };
  assert.equal(reasonText(thriller, matrix, liked), 'Because you liked “The Matrix” — both Sci-Fi and Action');
  assert.deepEqual(sharedCategories(fargo, matrix), []);
});

test('with no shared category, a shared decade', () => {
  assert.equal(reasonText(fargo, matrix, signalOf('cart')), 'Because you added “The Matrix” to your cart — both from the 1990s');
});

test('with neither, the behavioural link said as such, never a category', () => {
  const cases: Array<[EventType, number | undefined, string]> = [
    ['like', undefined, 'liked it'],
    ['rating', 5, 'liked it'],
    ['rating', 4, 'liked it'],
    ['purchase', undefined, 'bought it'],
    ['cart', undefined, 'added it to their cart'],
    ['view', undefined, 'looked at it'],
    ['click', undefined, 'looked at it'],
  ];
  for (const [type, value, did] of cases) {
    const text = reasonText(amelie, matrix, signalOf(type, value));
    assert.match(text, new RegExp(` — often chosen by people who ${did}$`), text);
    assert.doesNotMatch(text, /both/);
  }
  assert.match(reasonText(undated, { ...matrix, year: null }, signalOf('view')), / — often chosen by people who looked at it$/);
});

test('a ranker of texts says its link is the texts, not behaviour', () => {
  assert.equal(reasonText(amelie, matrix, signalOf('like'), 'text'), 'Because you liked “The Matrix” — described in similar words');
  assert.equal(reasonText(alien, matrix, signalOf('like'), 'text'), 'Because you liked “The Matrix” — both Sci-Fi');
});
