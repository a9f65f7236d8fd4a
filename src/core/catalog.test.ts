import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CatalogError, validateCatalog } from './catalog.ts';

const good = { id: '1', title: 'Toy Story', text: 'Toy Story (1995).', categories: ['Animation'], year: 1995 };

test('accepts a valid catalog and keeps only schema fields', () => {
  const [item] = validateCatalog([{ ...good, price: 9.5, secret: 'x' }]);
  assert.deepEqual(item, { ...good, price: 9.5 });
  assert.equal(validateCatalog({ items: [good] }).length, 1);
});

test('names the bad row and field', () => {
  const bad = [good, { ...good, id: '2', year: '1995' }];
  assert.throws(() => validateCatalog(bad), (e: unknown) => {
    assert.ok(e instanceof CatalogError);
    assert.equal(e.row, 1);
    assert.equal(e.field, 'year');
    assert.match(e.message, /row 1 \(id "2"\): field "year"/);
    return true;
  });
});

test('rejects duplicates, empties, wrong shapes', () => {
  assert.throws(() => validateCatalog([good, good]), /field "id" duplicates row 0/);
  assert.throws(() => validateCatalog([]), /empty/);
  assert.throws(() => validateCatalog('nope'), /JSON array/);
  assert.throws(() => validateCatalog([{ ...good, title: '  ' }]), /"title" must be a non-empty string/);
  assert.throws(() => validateCatalog([{ ...good, categories: 'Animation' }]), /"categories"/);
  assert.throws(() => validateCatalog([{ ...good, price: -1 }]), /"price"/);
  assert.throws(() => validateCatalog([null]), /row 0: must be an object/);
});

test('year is optional (absent reads as null); currency is an ISO 4217 code', () => {
  const { year: _year, ...noYear } = good;
  const [item] = validateCatalog([{ ...noYear, price: 12.5, currency: 'EUR' }]);
  assert.equal(item!.year, null);
  assert.equal(item!.currency, 'EUR');
  assert.throws(() => validateCatalog([{ ...good, currency: 'euro' }]), /row 0 \(id "1"\): field "currency" must be an ISO 4217 code/);
});
