/**
 * The on-device pipeline in real Chromium: page → module worker → WebGPU (SwiftShader),
 * history in real IndexedDB, ranking of the real demo catalog.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PulseStatus } from '../src/client/api.ts';
import type { CatalogItem, RecommendResult } from '../src/core/types.ts';
import { ENGINE_TERMS, shopperText } from './engine-terms.ts';
import { clearModelCache, foreignRequests, openBrowser, openDemo, serveBuild, type Served, type Session } from './harness.ts';

/** Toy Story, Aladdin, The Lion King, Finding Nemo, Shrek. */
const FAMILY_FILMS = ['1', '588', '364', '6377', '4306'];

let server: Served;
let session: Session;
let catalog: Map<string, CatalogItem>;

before(async () => {
  server = await serveBuild();
  session = await openBrowser();
  const items = (await (await fetch(`${server.url}/catalog/movielens.json`)).json()) as CatalogItem[];
  catalog = new Map(items.map((item) => [item.id, item]));
});

after(async () => {
  await session?.close();
  await server?.close();
});

const status = (page: Page) => page.evaluate(() => window.pulse.status());
const recommend = (page: Page, k = 10) => page.evaluate((n) => window.pulse.recommend({ k: n }), k);
/** Presses Like on each: `like` events, as the demo's Like button sends them. */
const likeAll = (page: Page, ids: string[]) => page.evaluate((list) => window.pulse.track(list.map((itemId) => ({ type: 'like' as const, itemId }))), ids);

test('on a software WebGPU adapter ranking picks wasm and says why; WebGPU when asked for by name', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url);
  const s: PulseStatus = await status(page);
  assert.equal(s.state, 'ready', s.error ?? '');
  // Headless WebGPU here is SwiftShader: ~100× slower than wasm for ranking (issue 14).
  assert.ok(s.adapter?.isFallbackAdapter, 'the adapter is reported even though it is passed over');
  assert.equal(s.backend, 'wasm', s.fallbackReasons.join('; '));
  assert.equal(s.fallback, true);
  assert.match(s.fallbackReasons[0] ?? '', /^webgpu: the WebGPU adapter \(.+\) is a software fallback/);
  assert.match(s.degraded.find((d) => d.component === 'backend')?.reason ?? '', /ranking on wasm: webgpu: .*software fallback/);
  assert.equal(s.catalog?.items, catalog.size);
  // The Thought Space covers the demo catalog: the text vectors are not fetched (issue 10).
  assert.equal(s.ranker, 'thought-space');
  assert.equal(s.catalog?.textVectors, 'deferred');
  await page.close();

  const gpu = await session.newPage();
  await openDemo(gpu, server.url, '?backend=webgpu&thoughtSpace=off');
  const g: PulseStatus = await status(gpu);
  assert.equal(g.backend, 'webgpu', g.fallbackReasons.join('; '));
  assert.equal(g.fallback, false);
  assert.ok(g.adapter && g.adapter.vendor.length > 0, 'adapter info reported');
  assert.equal(g.catalog?.textVectors, 'loaded');
  assert.equal(g.catalog?.vectorsFromFile, catalog.size);
  assert.equal(g.catalog?.embeddedOnDevice, 0);
  await gpu.close();
});

test('an empty history gets the popularity fallback, labelled', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.forget());
  const result: RecommendResult = await recommend(page);
  assert.equal(result.strategy, 'popular');
  assert.equal(result.items.length, 10);
  assert.ok(result.items.every((item) => item.why.kind === 'popular'));
  await page.close();
});

const isFamily = (id: string) => catalog.get(id)!.categories.some((c) => c === 'Animation' || c === 'Children');

test('text similarity: after liking 5 animated family films, at least 7 of the top 10 are Animation or Children', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url, '?thoughtSpace=off');
  await page.evaluate(() => window.pulse.forget());
  await likeAll(page, FAMILY_FILMS);
  const result: RecommendResult = await recommend(page);
  assert.equal(result.strategy, 'personal');
  assert.equal(result.ranker, 'text-similarity');
  assert.equal(result.backend, 'wasm');
  const ids = result.items.map((item) => item.id);
  assert.equal(ids.length, 10);
  assert.ok(ids.every((id) => !FAMILY_FILMS.includes(id)), 'liked items are not recommended again');
  const family = ids.filter(isFamily);
  assert.ok(family.length >= 7, `only ${family.length}/10 family films: ${ids.map((id) => catalog.get(id)!.title).join(', ')}`);
  for (const item of result.items) {
    assert.equal(item.why.kind, 'similar');
    if (item.why.kind === 'similar') assert.ok(FAMILY_FILMS.includes(item.why.itemId), 'evidence is a liked film');
  }
  await page.close();
});

test('Thought Space: liking 5 family films moves the list towards family films, each explained', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.forget());
  const popular: RecommendResult = await recommend(page);
  await likeAll(page, FAMILY_FILMS);
  const result: RecommendResult = await recommend(page);
  assert.equal(result.strategy, 'personal');
  assert.equal(result.ranker, 'thought-space');
  const ids = result.items.map((item) => item.id);
  assert.ok(ids.every((id) => !FAMILY_FILMS.includes(id)), 'liked items are not recommended again');
  // The trained space mixes what co-watchers chose next (it is behavioural, not a text match),
  // so the bar is relative: clearly more family films than the same list without the history.
  const family = ids.filter(isFamily).length;
  const before = popular.items.map((item) => item.id).filter(isFamily).length;
  assert.ok(family >= before + 3, `${family}/10 family films vs ${before}/10 without history: ${ids.map((id) => catalog.get(id)!.title).join(', ')}`);
  assert.ok(result.items.every((item) => item.why.kind === 'similar' && FAMILY_FILMS.includes(item.why.itemId)), 'evidence is a liked film');

  // What the shopper reads (the page without the developer's engine panel) names no engine part
  // or option: the rail once personal, and an item's why in the detail panel (issue 12).
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#recs')?.dataset.strategy === 'personal' && document.querySelector<HTMLElement>('#recs')?.dataset.state === 'ready');
  await page.click('#recs-list [data-rec-action="view"]');
  await page.waitForFunction(() => document.querySelector('#detail-why:not(.why--loading)') !== null);
  const shown = await shopperText(page);
  assert.match(shown, /Because you liked “/);
  for (const term of ENGINE_TERMS) assert.doesNotMatch(shown, term, `shopper-visible text shows ${term}`);
  await page.close();
});

test('history survives a reload and forget empties it', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.forget());
  await page.evaluate(() => window.pulse.track([{ type: 'view', itemId: '1' }, { type: 'rating', itemId: '2', value: 4 }]));
  await page.reload();
  await openDemo(page, server.url);
  const events = await page.evaluate(() => window.pulse.history());
  assert.deepEqual(events.map((e) => [e.type, e.itemId]), [['view', '1'], ['rating', '2']]);
  await page.evaluate(() => window.pulse.forget());
  await page.reload();
  await openDemo(page, server.url);
  assert.deepEqual(await page.evaluate(() => window.pulse.history()), []);
  await page.close();
});

test('an invalid event is rejected with a clear error and nothing is written', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.forget());
  const message = await page.evaluate(() =>
    window.pulse
      .track([{ type: 'view', itemId: '1' }, { type: 'wishlist' as never, itemId: '2' }])
      .then(() => 'accepted', (error: Error) => `${error.name}: ${error.message}`),
  );
  assert.match(message, /EventError: event 1: field "type"/);
  assert.deepEqual(await page.evaluate(() => window.pulse.history()), []);
  await page.close();
});

test('the same history gives the same top-10 on webgpu and wasm', async () => {
  const gpu = await session.newPage();
  await openDemo(gpu, server.url, '?backend=webgpu');
  await gpu.evaluate(() => window.pulse.forget());
  await likeAll(gpu, ['2571', '1196', '260']); // The Matrix, Star Wars V, Star Wars IV
  await gpu.evaluate(() => window.pulse.track({ type: 'rating', itemId: '1', value: 1 }));
  // Unsteered on both: a software WebGPU adapter does not steer by the why (no USE-lite
  // there), wasm does; this test is about the backends' scoring, not the steering.
  const unsteered = (page: Page) => page.evaluate(() => window.pulse.recommend({ k: 10, rationale: false }));
  const a: RecommendResult = await unsteered(gpu);
  const wasm = await session.newPage(); // same origin, same IndexedDB
  await openDemo(wasm, server.url, '?backend=wasm');
  assert.equal((await status(wasm)).backend, 'wasm');
  const b: RecommendResult = await unsteered(wasm);
  assert.equal(a.steered, false);
  assert.equal(b.steered, false);
  assert.equal(a.backend, 'webgpu');
  assert.equal(b.backend, 'wasm');
  assert.deepEqual(b.items.map((i) => i.id), a.items.map((i) => i.id));
  a.items.forEach((item, i) => assert.ok(Math.abs(item.score - b.items[i]!.score) < 1e-4, `score ${i} differs`));
  await gpu.close();
  await wasm.close();
});

test('items missing from the vector file are embedded on the device', async () => {
  const page = await session.newPage();
  const extra: CatalogItem = {
    id: 'pulse-test-1',
    title: 'Pixel the Little Robot',
    text: 'Pixel the Little Robot (2026). Genres: Animation, Children, Comedy.',
    categories: ['Animation', 'Children', 'Comedy'],
    year: 2026,
    popularity: 0,
  };
  await page.route('**/catalog/movielens.json', async (route) => {
    const response = await route.fetch();
    const items = (await response.json()) as CatalogItem[];
    await route.fulfill({ response, json: [...items, extra] });
  });
  await openDemo(page, server.url, '?backend=wasm');
  assert.equal((await status(page)).state, 'ready');
  await page.evaluate(() => window.pulse.forget());
  // The Thought Space has no vector for the new item: explaining it loads text similarity.
  const why = await page.evaluate((id) => window.pulse.explain(id), extra.id);
  assert.equal(why.kind, 'popular', 'no history yet, so no evidence');
  const s: PulseStatus = await status(page);
  assert.equal(s.catalog?.textVectors, 'loaded');
  assert.equal(s.catalog?.embeddedOnDevice, 1);
  assert.equal(s.catalog?.vectorsFromFile, catalog.size);
  assert.match(s.degraded.find((d) => d.component === 'catalog-vectors')?.reason ?? '', /lacks 1 of the catalog's \d+ items/);
  await likeAll(page, FAMILY_FILMS);
  const near = await page.evaluate((id) => window.pulse.explain(id), extra.id);
  assert.equal(near.kind, 'similar');
  await page.close();
});

test('a malformed catalog fails with an error naming the row and field', async () => {
  const page = await session.newPage();
  await page.route('**/catalog/movielens.json', (route) =>
    route.fulfill({ json: [{ id: 'a', title: 'A', text: 'A.', categories: [], year: 2000 }, { id: 'b', title: '', text: 'B', categories: [], year: 2000 }] }),
  );
  await openDemo(page, server.url);
  const s: PulseStatus = await status(page);
  assert.equal(s.state, 'error');
  assert.match(s.error ?? '', /catalog row 1 \(id "b"\): field "title"/);
  // History still works without models.
  await page.evaluate(() => window.pulse.track({ type: 'view', itemId: 'a' }));
  assert.equal((await page.evaluate(() => window.pulse.history())).length >= 1, true);
  await page.evaluate(() => window.pulse.forget());
  await page.close();
});

test('the demo: liking a card re-ranks the rail, with a why for each item; Dislike records a dislike and nothing shown speaks of stars', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.forget());
  await page.waitForSelector('#recs[data-strategy="popular"]');
  await page.click('#catalog [data-item-id="1"] [data-action="like"]');
  await page.waitForSelector('#recs[data-strategy="personal"]', { timeout: 60_000 });
  const whys = await page.$$eval('#recs li.rec .rec__why', (nodes) => nodes.map((n) => n.textContent ?? ''));
  assert.ok(whys.length > 0);
  assert.ok(whys.every((text) => text.includes('Toy Story')), whys.join(' | '));
  // The Like button records a like, not a 5★ rating, and the reasons say so.
  const stored = (await page.evaluate(() => window.pulse.history())).map((e) => `${e.type}:${e.itemId}`);
  assert.ok(stored.includes('like:1') && !stored.some((key) => key.startsWith('rating:')), stored.join(', '));
  assert.ok(whys.every((text) => text.startsWith('Because you liked “Toy Story”')), whys.join(' | '));
  await page.screenshot({ path: 'test-results/demo-personal.png' });

  // The Dislike button records a dislike, not a 1★ rating: the card says so, no reason cites it,
  // and a shopper who only pressed Like and Dislike reads no stars anywhere (issue 12).
  const renders = await page.$eval('#recs', (node) => Number((node as HTMLElement).dataset.refresh));
  await page.click('#catalog [data-item-id="593"] [data-action="dislike"]'); // The Silence of the Lambs
  await page.waitForSelector('#catalog [data-item-id="593"][data-state="disliked"]');
  await page.waitForFunction((before) => {
    const recs = document.querySelector<HTMLElement>('#recs')!;
    return Number(recs.dataset.refresh) > before && recs.dataset.state === 'ready';
  }, renders, { timeout: 60_000 });
  const events = (await page.evaluate(() => window.pulse.history())).map((e) => `${e.type}:${e.itemId}`);
  assert.deepEqual(events, ['like:1', 'dislike:593']);
  assert.equal(await page.$eval('#catalog [data-item-id="593"] [data-action="dislike"]', (b) => b.getAttribute('aria-pressed')), 'true');
  const after = await page.$$eval('#recs li.rec .rec__why', (nodes) => nodes.map((n) => n.textContent ?? ''));
  assert.ok(after.length > 0);
  for (const text of after) assert.ok(text.startsWith('Because you liked “Toy Story”') || text === 'Picked for your history as a whole', text);
  const shown = await shopperText(page);
  assert.doesNotMatch(shown, /★/, 'no stars for a shopper who never rated');
  assert.doesNotMatch(shown, /Rates |per rating|because you disliked/i);
  await page.evaluate(() => window.pulse.forget());
  await page.close();
});

test('a visit requests each file once, from load through the idle-time loads of the language model, even with no model cache', async () => {
  const page = await session.newPage();
  await clearModelCache(page, `${server.url}/models/files.json`);
  // Without the file list the model cache is off (as on a host that serves no files.json), so
  // Cache Storage cannot hide a second read of the same file: every read is a request here.
  const noList = '**/models/files.json';
  await session.context.route(noList, (route) => route.fulfill({ status: 404, body: '' }));
  const from = session.requests.length;
  await openDemo(page, server.url);
  await page.evaluate(() => window.pulse.forget());
  await likeAll(page, FAMILY_FILMS);
  assert.equal((await recommend(page)).strategy, 'personal');
  // The language model and its runtime load when the page is idle; wait until that settles.
  // (waitForFunction would take the status promise itself as truthy, so poll from here.)
  for (const end = Date.now() + 240_000; (await status(page)).slm.state === 'loading' && Date.now() < end; ) await page.waitForTimeout(250);
  const counts = new Map<string, number>();
  for (const url of session.requests.slice(from)) counts.set(url, (counts.get(url) ?? 0) + 1);
  const twice = [...counts].filter(([url, n]) => n > 1 && !url.startsWith('data:') && !url.startsWith('blob:'));
  assert.deepEqual(twice, [], 'no same-origin file is fetched twice in one visit');
  assert.ok(counts.has(`${server.url}/models/pulse-movielens/thought-space.json`), 'the Thought Space manifest was read');
  const after = await status(page);
  assert.equal(after.loading.cache, 'off', 'the model cache was off, as intended');
  assert.ok(after.slm.state === 'ready' || after.slm.state === 'generating', `the language model loaded in this visit (${after.slm.state}: ${after.slm.reason ?? ''})`);
  await session.context.unroute(noList);
  await page.evaluate(() => window.pulse.forget());
  await page.close();
});

test('no request left 127.0.0.1 and no console errors', () => {
  assert.ok(session.requests.length > 0, 'requests were recorded');
  assert.deepEqual(foreignRequests(session.requests), []);
  // The malformed-catalog test provokes one error on purpose; anything else is a bug.
  // So does the visit without a model file list (its 404 is the point of that test).
  assert.deepEqual(session.errors.filter((e) => !e.includes('catalog row 1') && !e.includes('/models/files.json')), []);
});
