/**
 * The trained Thought Space ranks in the browser exactly as it does in Node: the worker's
 * top-10 for a fixed history equals Node's ThoughtSpaceRanker over the same files, blend
 * included (blend.json + its EASE file; src/model/pulse-blend.ts) (same ids, same order, scores within
 * float tolerance), on WebGPU (SwiftShader) — one code path for training and inference —
 * and each item's reason equals the one Node's ThoughtSpaceRanker gives it (deletion in the
 * same towers: a history item, or the history as a whole when the largest contributor is one
 * the shopper pushed away, e.g. a dismissal).
 * With the shipped α > 0 the evidence-based preference statement (the headline why at hand)
 * steers the query, and the steered top-10 equals Node's for the same statement (on wasm:
 * USE-lite does not run on a software WebGPU adapter).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogItem, PulseEvent, RecommendResult, Why } from '../src/core/types.ts';
import { useNodeBackend } from '../src/model/node-backend.ts';
import { dirSource, loadTextBackboneFromDir } from '../src/model/node-model-files.ts';
import { loadBlend } from '../src/model/blend-file.ts';
import { loadThoughtSpace } from '../src/model/thought-space-loader.ts';
import { ThoughtSpaceRanker } from '../src/worker/thought-space-ranker.ts';
import { openBrowser, openDemo, serveBuild, type Served, type Session } from './harness.ts';

const MODEL_DIR = join(import.meta.dirname, '..', 'models', 'pulse-movielens');
/** The catalog the demo loads (src/demo/main.ts). */
const CATALOG = join(import.meta.dirname, '..', 'public', 'catalog', 'movielens.json');
const DAY = 86_400_000;
/** Within the history's retention (365 days), so nothing is pruned on the way in. */
const T0 = Date.now() - 10 * DAY;
/** A fixed history with every kind of signal: ratings high and low, implicit events, a dismissal. */
const HISTORY: PulseEvent[] = [
  { type: 'rating', itemId: '1', value: 5, ts: T0 },
  { type: 'rating', itemId: '2571', value: 4.5, ts: T0 + DAY },
  { type: 'view', itemId: '588', ts: T0 + 2 * DAY },
  { type: 'cart', itemId: '364', ts: T0 + 3 * DAY },
  { type: 'rating', itemId: '296', value: 1, ts: T0 + 4 * DAY },
  { type: 'dismiss', itemId: '780', ts: T0 + 5 * DAY },
  { type: 'purchase', itemId: '4306', ts: T0 + 6 * DAY },
];

/** A reason less its measured drop, which is compared within float tolerance instead. */
function withoutDrop(why: Why): Omit<Why, 'similarity'> {
  if (why.kind !== 'similar') return why;
  const { similarity: _drop, ...rest } = why;
  return rest;
}

let server: Served;
let session: Session;

before(async () => {
  server = await serveBuild();
  session = await openBrowser();
});

after(async () => {
  await session?.close();
  await server?.close();
});

test("the worker's Thought Space top-10 equals Node's for a fixed history", async () => {
  await useNodeBackend('wasm');
  const space = await loadThoughtSpace(dirSource(MODEL_DIR));
  // The worker's ranker, run in Node over the same model, blend and catalog: its list and its
  // reasons are what the worker must give.
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf8')) as CatalogItem[];
  const reasoned = (await ThoughtSpaceRanker.fromSpace(space, catalog, await loadBlend(dirSource(MODEL_DIR))).rank(HISTORY, 10, [], null)).items;
  const expected = reasoned;
  space.dispose();

  const page = await session.newPage();
  // WebGPU by name: the automatic choice ranks on wasm on this software adapter.
  await openDemo(page, server.url, '?backend=webgpu');
  const status = await page.evaluate(() => window.pulse.status());
  assert.equal(status.thoughtSpace.state, 'ready', status.thoughtSpace.reason ?? '');
  assert.equal(status.thoughtSpace.covered, status.catalog?.items);
  // Headless WebGPU here is SwiftShader; USE-lite runs beside it on wasm, so the why steers
  // (once USE-lite has loaded, after the first list).
  assert.equal(status.backend, 'webgpu');
  await page.waitForFunction(() => window.pulse.status().thoughtSpace.unsteered === null, null, { timeout: 300_000 });
  await page.evaluate(() => window.pulse.forget());
  await page.evaluate((events) => window.pulse.track(events), HISTORY);
  const result: RecommendResult = await page.evaluate(() => window.pulse.recommend({ k: 10, rationale: false }));
  assert.equal(result.ranker, 'thought-space');
  assert.equal(result.strategy, 'personal');
  assert.equal(result.backend, 'webgpu');
  assert.equal(result.steered, false, 'no rationale asked, nothing steers');
  assert.deepEqual(
    result.items.map((item) => item.id),
    expected.map((item) => item.id),
  );
  result.items.forEach((item, i) => assert.ok(Math.abs(item.score - expected[i]!.score) < 1e-3, `${item.id}: ${item.score} vs ${expected[i]!.score}`));
  // Each item's reason is Node's: the same history item (by deletion in the same towers) and
  // text, or the history as a whole where Node says so too.
  result.items.forEach((item, i) => {
    const [got, want] = [item.why, reasoned[i]!.why];
    assert.deepEqual(withoutDrop(got), withoutDrop(want), `${item.id}'s reason`);
    if (got.kind === 'similar' && want.kind === 'similar') assert.ok(Math.abs(got.similarity - want.similarity) < 1e-3, `${item.id}: drop ${got.similarity} vs ${want.similarity}`);
  });
  // Most name what in the history drove them (not a list of "your history as a whole").
  const named = result.items.flatMap((item) => (item.why.kind === 'similar' ? [item.why.itemId] : []));
  assert.ok(named.length >= result.items.length / 2, `${named.length} of ${result.items.length} reasons name a history item`);
  assert.ok(named.every((id) => HISTORY.some((e) => e.itemId === id)));
  await page.close();
});

for (const backend of ['wasm', 'webgpu'] as const) test(`the headline why steers the ranking query (α > 0), as in Node, on ${backend}`, async () => {
  await useNodeBackend('wasm');
  const space = await loadThoughtSpace(dirSource(MODEL_DIR));
  assert.ok(space.manifest.alpha > 0, `the shipped model steers: α = ${space.manifest.alpha}`);

  const page = await session.newPage();
  // SLM off: the why is the evidence-based preference statement, deterministic.
  // On WebGPU (a software adapter here) USE-lite reads the why on wasm beside it. It loads
  // after the first list is shown (the demo's rail), never on the way to it.
  await openDemo(page, server.url, `?backend=${backend}&slm=off`);
  await page.waitForFunction(() => window.pulse.status().thoughtSpace.unsteered === null, null, { timeout: 300_000 });
  const status = await page.evaluate(() => window.pulse.status());
  assert.equal(status.backend, backend);
  await page.evaluate(() => window.pulse.forget());
  await page.evaluate((events) => window.pulse.track(events), HISTORY);
  const result: RecommendResult = await page.evaluate(() => window.pulse.recommend({ k: 10 }));
  const after = await page.evaluate(() => window.pulse.status());
  await page.close();
  assert.equal(result.ranker, 'thought-space');
  assert.equal(result.backend, backend);
  assert.ok(result.rationale && result.rationale.text.length > 0, 'a headline why');
  assert.equal(result.steered, true);
  assert.equal(after.degraded.find((d) => d.component === 'steering'), undefined, 'nothing says it did not steer');

  const backbone = await loadTextBackboneFromDir(join(import.meta.dirname, '..', 'models', 'use-lite'));
  const why = await backbone.embed([result.rationale.text]);
  backbone.dispose();
  const catalog = JSON.parse(readFileSync(CATALOG, 'utf8')) as CatalogItem[];
  const ranker = ThoughtSpaceRanker.fromSpace(space, catalog, await loadBlend(dirSource(MODEL_DIR)));
  const steered = (await ranker.rank(HISTORY, 10, [], why)).items;
  const unsteered = (await ranker.rank(HISTORY, 10, [], null)).items;
  space.dispose();
  assert.deepEqual(
    result.items.map((item) => item.id),
    steered.map((item) => item.id),
  );
  result.items.forEach((item, i) => assert.ok(Math.abs(item.score - steered[i]!.score) < 1e-3, `${item.id}: ${item.score} vs ${steered[i]!.score}`));
  // The why moved the list: not the behaviour tower's list under another name.
  assert.notDeepEqual(
    steered.map((item) => item.id),
    unsteered.map((item) => item.id),
  );
});

test('thoughtSpace: false ranks by text similarity and says so', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url, '?thoughtSpace=off');
  const status = await page.evaluate(() => window.pulse.status());
  assert.equal(status.thoughtSpace.state, 'off');
  await page.evaluate(() => window.pulse.forget());
  await page.evaluate((events) => window.pulse.track(events), HISTORY);
  const result: RecommendResult = await page.evaluate(() => window.pulse.recommend({ k: 10, rationale: false }));
  assert.equal(result.ranker, 'text-similarity');
  await page.close();
});
