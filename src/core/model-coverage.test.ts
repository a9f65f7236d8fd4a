import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { itemTextHash } from './hash.ts';
import { catalogCoverage, slmTrainedOn } from './model-coverage.ts';
import { validateCatalog } from './catalog.ts';

const movies = validateCatalog(JSON.parse(readFileSync(new URL('../../public/catalog/movielens.json', import.meta.url), 'utf8')));
const shipped = JSON.parse(readFileSync(new URL('../../models/pulse-movielens/items.vectors.json', import.meta.url), 'utf8')) as { ids: string[]; textHashes: string[] };

test('the shipped Thought Space covers the MovieLens catalog it was trained on', () => {
  const decision = catalogCoverage(movies, shipped, 'the Thought Space "pulse-movielens"');
  assert.equal(decision.use, true);
  assert.equal(decision.reason, null);
  assert.ok(decision.covered >= 0.9 * movies.length);
});

test('a shop whose ids collide with MovieLens ids ("1", "2" …) is still another catalog', () => {
  const kitchen = shipped.ids.slice(0, 40).map((id, i) => ({ id, text: `Kitchen product ${i}` }));
  const decision = catalogCoverage(kitchen, shipped, 'the Thought Space "pulse-movielens"');
  assert.equal(decision.covered, 40, 'every id is known');
  assert.equal(decision.use, false);
  assert.match(decision.reason!, /trained on another catalog: 40 of this catalog's 40 ids match, but only 0 of those items have the text it was trained on/);
});

test('a catalog of other ids is not covered; a few edited texts still are', () => {
  const other = [{ id: 'k01', text: 'Cast iron skillet' }];
  assert.match(catalogCoverage(other, shipped, 'X').reason!, /^X was trained on another catalog: it knows 0 of this catalog's 1 items, so it was not downloaded$/);
  const model = { ids: ['a', 'b', 'c', 'd'], textHashes: ['a', 'b', 'c', 'd'].map((t) => itemTextHash(t)) };
  const edited = [{ id: 'a', text: 'a' }, { id: 'b', text: 'b' }, { id: 'c', text: 'c' }, { id: 'd', text: 'd, now with a longer description' }];
  assert.equal(catalogCoverage(edited, model, 'X').use, true);
});

test("slm.json records the shipped model's catalog; a general model has none", () => {
  const manifest = JSON.parse(readFileSync(new URL('../../models/slm.json', import.meta.url), 'utf8'));
  assert.equal(slmTrainedOn(manifest, 'pulse-slm'), 'pulse-movielens');
  assert.equal(slmTrainedOn({ model: 'qwen', models: { qwen: { dtypes: ['q4'] } } }, 'qwen'), null);
  assert.equal(slmTrainedOn(null, 'x'), null);
});
