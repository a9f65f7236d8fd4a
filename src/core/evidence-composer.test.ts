import assert from 'node:assert/strict';
import { test } from 'node:test';
import { composePreference, composeRationale, quoteTitle } from './evidence-composer.ts';
import { readTaste } from './taste.ts';
import type { CatalogItem, EventType, PulseEvent } from './types.ts';
import { seededRandom } from './random.ts';
import { groundingFacts, ungroundedReason } from '../slm/grounding.ts';

const item = (id: string, title: string, categories: string[], year: number | null): CatalogItem => ({
  id,
  title,
  text: `${title}. ${categories.join(', ')}`,
  categories,
  year,
});

const catalog: CatalogItem[] = [
  item('toy', 'Toy Story', ['Animation', 'Children', 'Comedy'], 1995),
  item('lion', 'The Lion King', ['Animation', 'Children', 'Drama'], 1994),
  item('alad', 'Aladdin', ['Animation', 'Children', 'Comedy'], 1992),
  item('saw', 'Saw', ['Horror', 'Thriller'], 2004),
  item('hall', 'Halloween', ['Horror'], 1978),
  item('up', 'Up', ['Animation', 'Children', 'Adventure'], 2009),
  item('heat', 'Heat', ['Action', 'Crime'], 1995),
];
const indexOf = new Map(catalog.map((c, i) => [c.id, i] as const));
const context = { catalog, indexOf };
const rate = (itemId: string, value: number, ts: number): PulseEvent => ({ type: 'rating', itemId, value, ts });
const family = [rate('toy', 5, 1), rate('lion', 4.5, 2), rate('alad', 5, 3), rate('saw', 1, 4), rate('hall', 1.5, 5)];

test('taste reads liked categories, avoided categories, decades and rating habit', () => {
  const taste = readTaste(family, context);
  assert.deepEqual(taste.categories.slice(0, 2).map((s) => s.label).sort(), ['Animation', 'Children']);
  assert.deepEqual(taste.avoided.map((s) => s.label).sort(), ['Horror', 'Thriller']);
  assert.equal(taste.decades[0]!.label, '1990s');
  assert.equal(taste.meanRating, (5 + 4.5 + 5 + 1 + 1.5) / 5);
  assert.equal(taste.liked.length, 3);
  assert.equal(taste.disliked.length, 2);
});

test('the preference statement names what the history shows, deterministically', () => {
  const text = composePreference(family, context);
  assert.match(text, /Leans towards .*Animation/);
  assert.match(text, /Children/);
  assert.match(text, /1990s/);
  assert.match(text, /“Toy Story” \(5★\)|“Aladdin” \(5★\)/);
  assert.match(text, /Tends to avoid (Horror|Thriller)/);
  assert.equal(composePreference(family, context), text);
  assert.ok(text.split(/\s+/).length <= 60, text);
});

test('a rationale ties the target to the history: shared kinds, close titles, era', () => {
  const text = composeRationale(family, 'up', context);
  assert.match(text, /^“Up” is (Animation and Children|Children and Animation), two of the kinds/);
  assert.match(text, /It sits close to “/);
  assert.match(text, /newer than most favourites \(2000s vs 1990s\)/);
  const off = composeRationale(family, 'heat', context);
  assert.match(off, /is a change from the usual/);
  assert.match(off, /1990s, the favourite decade/);
});

test('text vectors choose the closest liked titles', () => {
  const dims = 2;
  const textVectors = new Float32Array(catalog.length * dims);
  const set = (id: string, x: number, y: number) => textVectors.set([x, y], indexOf.get(id)! * dims);
  for (const c of catalog) set(c.id, 0, 1);
  set('lion', 1, 0);
  set('up', 1, 0);
  const text = composeRationale(family, 'up', { ...context, textVectors, textDims: dims });
  assert.match(text, /It sits close to “The Lion King” \(4\.5★\)/);
});

test('empty and negative-only histories say so; unknown targets are an error', () => {
  assert.equal(composePreference([], context), 'No preferences known yet.');
  assert.match(composePreference([rate('saw', 1, 1)], context), /Nothing liked yet; steers away from Horror/);
  assert.throws(() => composeRationale(family, 'nope', context), /unknown item id "nope"/);
});

test('titles are quoted safely', () => {
  assert.equal(quoteTitle('A "quoted"\ntitle'), '“A quoted title”');
  assert.equal(quoteTitle('x'.repeat(80)).length, 50);
});

test('the issue’s war films: War named, no invented era, no rating habit from Likes', () => {
  const films: CatalogItem[] = [
    item('kwai', 'The Bridge on the River Kwai', ['Adventure', 'Drama', 'War'], 1957),
    item('ryan', 'Saving Private Ryan', ['Action', 'Drama', 'War'], 1998),
    item('apoc', 'Apocalypse Now', ['Action', 'Drama', 'War'], 1979),
    item('fmj', 'Full Metal Jacket', ['Drama', 'War'], 1987),
    item('platoon', 'Platoon', ['Drama', 'War'], 1986),
  ];
  const ctx = { catalog: films, indexOf: new Map(films.map((c, i) => [c.id, i] as const)) };
  const text = composePreference(films.map((f, i) => rate(f.id, 5, i)), ctx);
  assert.match(text, /^Leans towards (Drama, War|War, Drama) and Action\./, text);
  assert.doesNotMatch(text, /\d{4}s/, text);
  assert.doesNotMatch(text, /Rates|Averages/, text);
});

test('the issue’s shopper pressed Like five times: no stars, no rating habit, War named', () => {
  const films: CatalogItem[] = [
    item('kwai', 'The Bridge on the River Kwai', ['Adventure', 'Drama', 'War'], 1957),
    item('ryan', 'Saving Private Ryan', ['Action', 'Drama', 'War'], 1998),
    item('apoc', 'Apocalypse Now', ['Action', 'Drama', 'War'], 1979),
    item('fmj', 'Full Metal Jacket', ['Drama', 'War'], 1987),
    item('platoon', 'Platoon', ['Drama', 'War'], 1986),
  ];
  const ctx = { catalog: films, indexOf: new Map(films.map((c, i) => [c.id, i] as const)) };
  const text = composePreference(films.map((f, i) => ({ type: 'like' as const, itemId: f.id, ts: i })), ctx);
  assert.match(text, /^Leans towards (Drama, War|War, Drama) and Action\./, text);
  assert.match(text, /Favourites include “Platoon”/, text);
  assert.doesNotMatch(text, /★|Rates|Averages/, text);
});

test('purchases and carts are named as what they are', () => {
  const text = composePreference([{ type: 'cart', itemId: 'heat', ts: 1 }, { type: 'purchase', itemId: 'toy', ts: 2 }], context);
  assert.match(text, /Favourites include “Toy Story” \(bought\) and “Heat” \(added to cart\)\./, text);
});

test('the fallback is always true: the claim checker passes it on 2,000 random histories', () => {
  const random = seededRandom(7);
  const kinds: EventType[] = ['view', 'click', 'cart', 'purchase', 'like', 'dislike', 'rating', 'rating', 'rating', 'dismiss'];
  const genres = ['Action', 'Drama', 'War', 'Comedy', 'Horror', 'Sci-Fi', 'Romance'];
  const big: CatalogItem[] = Array.from({ length: 60 }, (_, i) =>
    item(`i${i}`, `Title ${i}${i % 7 === 0 ? ', The' : ''}`, genres.filter(() => random() < 0.35), random() < 0.1 ? null : 1950 + Math.floor(random() * 70)),
  );
  const ctx = { catalog: big, indexOf: new Map(big.map((c, i) => [c.id, i] as const)) };
  const lookup = (id: string) => big[ctx.indexOf.get(id)!];
  for (let n = 0; n < 2000; n++) {
    const history: PulseEvent[] = Array.from({ length: 1 + Math.floor(random() * 12) }, (_, ts) => {
      const type = kinds[Math.floor(random() * kinds.length)]!;
      const itemId = `i${Math.floor(random() * big.length)}`;
      return type === 'rating' ? { type, itemId, ts, value: 1 + Math.floor(random() * 9) / 2 } : { type, itemId, ts };
    });
    const text = composePreference(history, ctx);
    assert.equal(ungroundedReason(text, groundingFacts(history, lookup, genres)), null, `${text}\n${JSON.stringify(history)}`);
  }
});
