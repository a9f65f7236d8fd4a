/**
 * Any shop: `pulse build` turns the committed kitchen feed (a Merchant Center TSV of 42
 * non-movie products) into a folder; in real Chromium (wasm, no WebGPU, for speed) the demo
 * runs on it through `?catalog=`, and a plain page with only the script tag and <pulse-recs>
 * runs from its pulse.config.json. Personal recommendations come with reasons, no MovieLens
 * model or language model is downloaded, nothing leaves the machine, no console errors.
 * Needs `vite build` first (the folder copies the runtime from dist/).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { PulseStatus } from '../src/client/api.ts';
import type { RecommendResult } from '../src/core/types.ts';
import { buildShop, type BuildResult } from '../src/build/build.ts';
import { describeResult } from '../src/build/cli.ts';
import { foreignRequests, openBrowser, openDemo, serveBuild, type Served, type Session } from './harness.ts';
import { shownCards, widgetSettled } from './embed-shop.ts';

const DIST = resolve(import.meta.dirname, '..', 'dist');
const FOLDER = 'e2e-kitchen-shop';
const OUT = join(DIST, FOLDER);
const FEED = resolve(import.meta.dirname, 'fixtures', 'kitchen-feed.tsv');

/** Nothing of a model trained on MovieLens may be fetched for this shop. */
const movieModelRequests = (requests: readonly string[]) => requests.filter((url) => /pulse-movielens|pulse-slm|\.onnx|slm\.json|ort-wasm/.test(url));

let server: Served;
let session: Session;
let built: BuildResult;

before(async () => {
  built = await buildShop({ feed: FEED, out: OUT, dist: DIST });
  // The shop's own page: the two lines the build prints, nothing else.
  writeFileSync(
    join(OUT, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Kitchen</title>
<script async src="/${FOLDER}/pulse.js"></script></head>
<body><h1>Kitchen shop</h1><pulse-recs id="recs" k="4"></pulse-recs></body></html>\n`,
  );
  // A shop that skips pulse build: its catalog named on the tag, the shipped models folder.
  writeFileSync(
    join(OUT, 'defaults.html'),
    `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Kitchen</title>
<script async src="/${FOLDER}/pulse.js" data-catalog="/${FOLDER}/catalog.json" data-models="/models"></script></head>
<body><pulse-recs id="recs" k="4"></pulse-recs></body></html>\n`,
  );
  server = await serveBuild();
  session = await openBrowser({ webgpu: false });
});
after(async () => {
  await session?.close();
  await server?.close();
  rmSync(OUT, { recursive: true, force: true });
});

test('the demo on a pulse build folder (?catalog=): personal recommendations with reasons, no MovieLens model, no language model', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url, `?catalog=/${FOLDER}/`);
  const status: PulseStatus = await page.evaluate(() => window.pulse.status());
  assert.equal(status.state, 'ready', status.error ?? '');
  assert.deepEqual(status.catalog, { items: 40, vectorsFromFile: 40, embeddedOnDevice: 0, textVectors: 'loaded' });
  assert.equal(status.thoughtSpace.state, 'off');
  assert.equal(status.slm.state, 'off');
  const items = await page.evaluate(() => window.pulse.catalog());
  assert.ok(!items.some((item) => item.id === 'k06' || item.id === 'k22'), 'out-of-stock products are not in the catalog');

  // A shopper who looked at two knives.
  await page.evaluate(async () => {
    await window.pulse.forget();
    await window.pulse.track([
      { type: 'view', itemId: 'k08' },
      { type: 'view', itemId: 'k09' },
    ]);
  });
  const result: RecommendResult = await page.evaluate(() => window.pulse.recommend({ k: 5 }));
  assert.equal(result.strategy, 'personal');
  assert.equal(result.ranker, 'text-similarity');
  assert.equal(result.items.length, 5);
  const knives = new Set(items.filter((item) => item.categories.includes('Kitchen Knives')).map((item) => item.id));
  const top3 = result.items.slice(0, 3).map((r) => r.id);
  assert.ok(top3.filter((id) => knives.has(id)).length >= 2, `two knives viewed → mostly knives first; got ${top3.join(', ')}`);
  for (const rec of result.items) assert.match(rec.why.text, /^Because you viewed “(Chef's Knife 20 cm|Japanese Santoku Knife 17 cm)”/);
  assert.ok(result.rationale && result.rationale.text.length > 0, 'a headline why, written from the history');

  assert.deepEqual(movieModelRequests(session.requests), []);
  assert.deepEqual(foreignRequests(session.requests), []);
  assert.deepEqual(session.errors, []);
  // Same origin as the next test's page: leave it a new shopper.
  await page.evaluate(() => window.pulse.forget());
  await page.close();
});

test("the shop's page: one script tag and <pulse-recs>, configured by pulse.config.json; prices in euros", async () => {
  const page = await session.newPage();
  await page.goto(`${server.url}/${FOLDER}/`);
  assert.equal(await widgetSettled(page, '#recs'), 'ready');
  const cold = await shownCards(page, '#recs');
  assert.equal(cold.length, 4);
  for (const card of cold) assert.equal(card.why, 'Popular in this shop');
  await page.evaluate(() => (window as unknown as { pulse: (c: string, e: unknown) => Promise<void> }).pulse('track', { type: 'view', itemId: 'k15' }));
  await page.waitForFunction(() => document.querySelector('#recs')!.shadowRoot!.querySelector('[part~="why"]')?.textContent?.startsWith('Because you viewed'), null, { timeout: 120_000 });
  const personal = await shownCards(page, '#recs');
  assert.ok(personal.every((card) => card.why.startsWith('Because you viewed “Pour-Over Coffee Dripper”')), JSON.stringify(personal));
  // What this shopper's browser fetched from the folder (README quotes it; a figure, not a check).
  const fetched = [...new Set(session.requests.filter((url) => url.includes(`/${FOLDER}/`)).map((url) => new URL(url).pathname.slice(FOLDER.length + 2)))].filter((path) => path !== '');
  const bytes = fetched.reduce((sum, path) => sum + (existsSync(join(OUT, path)) ? statSync(join(OUT, path)).size : 0), 0);
  console.log(`the shop page fetched ${fetched.length} files, ${(bytes / 1024 / 1024).toFixed(2)} MB: ${fetched.sort().join(', ')}`);
  const meta = await page.evaluate(() => document.querySelector('#recs')!.shadowRoot!.querySelector('[part~="meta"]')!.textContent);
  assert.match(meta ?? '', /€/);
  assert.deepEqual(movieModelRequests(session.requests), []);
  assert.deepEqual(foreignRequests(session.requests), []);
  assert.deepEqual(session.errors, []);
  await page.close();
});

test('with the shipped models folder, the MovieLens Thought Space and language model are not downloaded for a kitchen catalog, and status says why', async () => {
  const page = await session.newPage();
  const from = session.requests.length;
  await page.goto(`${server.url}/${FOLDER}/defaults.html`);
  assert.equal(await widgetSettled(page, '#recs'), 'ready');
  const status = (await page.evaluate(() => (window as unknown as { pulse: (c: string) => Promise<unknown> }).pulse('ready'))) as PulseStatus;
  assert.equal(status.thoughtSpace.state, 'unavailable');
  assert.match(status.thoughtSpace.reason ?? '', /^the Thought Space "pulse-movielens" was trained on another catalog: it knows 0 of this catalog's 40 items, so it was not downloaded; ranking by text similarity instead$/);
  assert.equal(status.slm.state, 'off');
  assert.match(status.slm.reason ?? '', /^the language model "pulse-slm" was trained on the catalog of "pulse-movielens", not this one .*so it was not downloaded/);
  const fetched = session.requests.slice(from).filter((url) => url.includes('/models/')).map((url) => new URL(url).pathname).sort();
  // Only the small manifests that decide it (and the model cache's list of file hashes); no
  // weights, no language model runtime.
  assert.deepEqual(fetched, ['/models/files.json', '/models/pulse-movielens/items.vectors.json', '/models/pulse-movielens/thought-space.json', '/models/slm.json']);
  assert.deepEqual(session.requests.slice(from).filter((url) => /\.onnx|ort-wasm|thought-space\.bin/.test(url)), []);
  assert.deepEqual(session.errors, []);
  await page.close();
});

test("README's 'What a shop hosts' block is what pulse build reports for this feed", async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
  const rows = describeResult(built).filter((line) => /^ {2}\S+\s+[\d.]+ (KB|MB)$/.test(line));
  assert.ok(rows.length >= 6);
  const stale = rows.filter((row) => !readme.includes(`${row}\n`));
  assert.deepEqual(stale, [], `README.md "What a shop hosts" is out of date; the block is now:\n${rows.join('\n')}`);
});
