import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CatalogItem } from '../core/types.ts';
import { CatalogIndex, foldText, topN } from './catalog-query.ts';

const item = (id: string, title: string, categories: string[], year: number | null, popularity: number): CatalogItem => ({
  id,
  title,
  text: title,
  categories,
  year,
  popularity,
});

const items = [
  item('1', 'Amélie', ['Comedy', 'Romance'], 2001, 50),
  item('2', 'Léon: The Professional', ['Action', 'Crime'], 1994, 80),
  item('3', 'Heat', ['Action', 'Crime', 'Thriller'], 1995, 90),
  item('4', 'Toy Story', ['Animation', 'Comedy'], 1995, 100),
  item('5', 'Tom & Viv', ['Drama'], null, 5),
];
const base = { text: '', genres: new Set<string>(), sort: 'popular' as const, page: 1, pageSize: 2 };

test('folds case and accents', () => {
  assert.equal(foldText('AMÉLIE Léon'), 'amelie leon');
});

test('default order is by popularity, paginated', () => {
  const index = new CatalogIndex(items);
  const first = index.query(base);
  assert.deepEqual(first.items.map((i) => i.id), ['4', '3']);
  assert.equal(first.total, 5);
  assert.equal(first.pages, 3);
  const last = index.query({ ...base, page: 3 });
  assert.deepEqual(last.items.map((i) => i.id), ['5']);
  assert.equal(last.offset, 4);
});

test('out-of-range pages are clamped', () => {
  const index = new CatalogIndex(items);
  assert.equal(index.query({ ...base, page: 99 }).page, 3);
  assert.equal(index.query({ ...base, page: 0 }).page, 1);
});

test('search is a case- and accent-insensitive title substring', () => {
  const index = new CatalogIndex(items);
  assert.deepEqual(index.query({ ...base, text: 'amelie' }).items.map((i) => i.id), ['1']);
  assert.deepEqual(index.query({ ...base, text: ' LEON ' }).items.map((i) => i.id), ['2']);
  assert.deepEqual(index.query({ ...base, text: '&' }).items.map((i) => i.id), ['5']);
  const none = index.query({ ...base, text: 'zzz' });
  assert.equal(none.total, 0);
  assert.equal(none.pages, 1);
});

test('genres narrow: an item needs every selected genre', () => {
  const index = new CatalogIndex(items);
  const r = index.query({ ...base, pageSize: 10, genres: new Set(['Action', 'Crime']) });
  assert.deepEqual(r.items.map((i) => i.id), ['3', '2']);
  assert.equal(index.query({ ...base, genres: new Set(['Thriller', 'Comedy']) }).total, 0);
  assert.deepEqual(index.genres().slice(0, 3), ['Action', 'Comedy', 'Crime']);
});

test('other orders: newest, oldest (unknown years last), title', () => {
  const index = new CatalogIndex(items);
  const ids = (sort: 'newest' | 'oldest' | 'title') => index.query({ ...base, pageSize: 10, sort }).items.map((i) => i.id);
  assert.deepEqual(ids('newest'), ['1', '4', '3', '2', '5']);
  assert.deepEqual(ids('oldest'), ['2', '4', '3', '1', '5']);
  assert.deepEqual(ids('title'), ['1', '3', '2', '5', '4']);
});

test('topN keeps the first n of a stable sort, ties included', () => {
  const values = Array.from({ length: 500 }, (_, i) => ({ i, v: (i * 7919) % 13 }));
  const compare = (a: { v: number }, b: { v: number }) => b.v - a.v;
  for (const n of [0, 1, 5, 24, 100, 500, 600]) {
    assert.deepEqual(topN(values, compare, n), [...values].sort(compare).slice(0, n));
  }
});

test('pages are the same before and after prepare (selection first, sorted orders later)', async () => {
  const many = Array.from({ length: 300 }, (_, i) => item(String(i), `Film ${(i * 37) % 101}`, i % 3 ? ['Drama'] : ['Comedy', 'Drama'], 1950 + (i % 60), (i * 13) % 17));
  const fresh = new CatalogIndex(many);
  const prepared = new CatalogIndex(many);
  let pauses = 0;
  await prepared.prepare(async () => {
    pauses++;
  }, 50);
  assert.ok(pauses >= 6, `prepare paused between slices (${pauses})`);
  for (const sort of ['popular', 'newest', 'oldest', 'title'] as const) {
    for (const page of [1, 2, 4, 13]) {
      const query = { ...base, sort, page, pageSize: 24 };
      assert.deepEqual(fresh.query(query), prepared.query(query), `${sort} page ${page}`);
      assert.deepEqual(new CatalogIndex(many).query({ ...query, text: 'film 1' }), prepared.query({ ...query, text: 'film 1' }));
    }
  }
  assert.deepEqual(fresh.genres(), prepared.genres());
});
