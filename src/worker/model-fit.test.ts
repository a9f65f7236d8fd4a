import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemTextHash } from '../core/hash.ts';
import type { CatalogItem } from '../core/types.ts';
import { slmMisfit, thoughtSpaceFit } from './model-fit.ts';

const item = (id: string, text: string): CatalogItem => ({ id, title: id, text, categories: [], year: null });
const movies = [item('1', 'Toy Story'), item('2', 'Jumanji')];
const kitchen = [item('1', 'Cast iron skillet'), item('2', 'Chef knife')];

/** A models folder served from a map of paths; everything else is a 404. Records what was asked. */
function serve(files: Record<string, unknown>): string[] {
  const asked: string[] = [];
  globalThis.fetch = (async (url: string | URL) => {
    const path = new URL(String(url)).pathname;
    asked.push(path);
    return path in files ? new Response(JSON.stringify(files[path])) : new Response('', { status: 404 });
  }) as typeof fetch;
  return asked;
}

const FOLDER = {
  '/models/pulse-movielens/thought-space.json': { itemVectors: 'items.vectors.json' },
  '/models/pulse-movielens/items.vectors.json': { ids: ['1', '2'], textHashes: ['Toy Story', 'Jumanji'].map(itemTextHash) },
  '/models/slm.json': { model: 'pulse-slm', models: { 'pulse-slm': { trainedOn: 'pulse-movielens' } } },
};

test('the Thought Space and the SLM fit the catalog they were trained on, from the manifests alone', async () => {
  const asked = serve(FOLDER);
  const fit = await thoughtSpaceFit('http://127.0.0.1/models', 'pulse-movielens', movies);
  assert.equal(fit?.use, true);
  assert.equal(await slmMisfit('http://127.0.0.1/models', {}, movies, { model: 'pulse-movielens', fit: fit! }), null);
  assert.ok(asked.every((path) => !path.endsWith('.bin') && !path.endsWith('.onnx')), 'no weights fetched');
});

test('on a catalog with the same ids and other products, neither is used, and the SLM says why', async () => {
  serve(FOLDER);
  const fit = await thoughtSpaceFit('http://127.0.0.1/models', 'pulse-movielens', kitchen);
  assert.equal(fit?.use, false);
  const reason = await slmMisfit('http://127.0.0.1/models', {}, kitchen, null);
  assert.match(reason ?? '', /^the language model "pulse-slm" was trained on the catalog of "pulse-movielens", not this one \(it knows 0 of this catalog's 2 items\), so it was not downloaded/);
});

test("a model the page names, a general model, or an unreadable manifest: the check stays out of the way", async () => {
  serve(FOLDER);
  assert.equal(await slmMisfit('http://127.0.0.1/models', { model: 'pulse-slm' }, kitchen, null), null, 'the shop chose it');
  assert.equal(await slmMisfit('http://127.0.0.1/models', { enabled: false }, kitchen, null), null);
  serve({ '/models/slm.json': { model: 'qwen', models: { qwen: {} } } });
  assert.equal(await slmMisfit('http://127.0.0.1/models', {}, kitchen, null), null, 'no recorded catalog');
  serve({});
  assert.equal(await thoughtSpaceFit('http://127.0.0.1/models', 'pulse-movielens', kitchen), null, 'the load reports a missing model');
  assert.equal(await slmMisfit('http://127.0.0.1/models', {}, kitchen, null), null);
});
