import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateCatalog } from './catalog.ts';
import { readCatalogCsv } from './catalog-csv.ts';

test('an Amazon-style items.csv: title → text, empty categories, no year', () => {
  const { items, skipped, columns } = readCatalogCsv('item,title,categories\ni100,"Eyeshadow Palette, 15 colours",\ni101,Brite Gel 1oz.,Skin|Gel\n');
  assert.deepEqual(columns, { id: 'item', title: 'title', categories: 'categories' });
  assert.deepEqual(items[0], { id: 'i100', title: 'Eyeshadow Palette, 15 colours', text: 'Eyeshadow Palette, 15 colours.', categories: [], year: null });
  assert.deepEqual(items[1]!.categories, ['Skin', 'Gel']);
  assert.equal(items[1]!.text, 'Brite Gel 1oz. Categories: Skin, Gel.');
  assert.deepEqual(skipped, []);
  validateCatalog(items);
});

test('MovieLens-style columns: genres and year are read; rows without a title are skipped and counted', () => {
  const { items, skipped } = readCatalogCsv('movieId,title,year,genres\n1,Toy Story,1995,Animation|Children\n2,,,(no genres listed)\n3,Heat,n/a,(no genres listed)\n');
  assert.equal(items.length, 2);
  assert.equal(items[0]!.text, 'Toy Story (1995). Categories: Animation, Children.');
  assert.equal(items[1]!.year, null);
  assert.deepEqual(items[1]!.categories, []);
  assert.deepEqual(skipped, [{ reason: 'empty title', count: 1, lines: [3] }]);
});

test('a repeated id or a missing title column is an error naming it', () => {
  assert.throws(() => readCatalogCsv('item,title\na,x\na,y\n'), /id "a" repeats line 2/);
  assert.throws(() => readCatalogCsv('item,label\na,x\n'), /lacks a title column/);
});
