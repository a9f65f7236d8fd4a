/**
 * On-device embedding on every backend (issue 14): items the vector file lacks (a new item,
 * an item whose text changed since `npm run embed`) and a catalog with no vector file at all
 * are embedded by USE-lite on the device, on webgpu (forced: SwiftShader here), wasm and cpu.
 * A small catalog (the demo's first 40 films) keeps each page to a few seconds. The cpu backend
 * embeds about one film per 2–3 s on this 2-core machine, so its whole-catalog case embeds 10:
 * the property (every item embedded, none from a file) does not depend on how many there are.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PulseStatus } from '../src/client/api.ts';
import type { BackendName, CatalogItem, RecommendResult } from '../src/core/types.ts';
import { foreignRequests, openBrowser, openDemo, serveBuild, type Served, type Session } from './harness.ts';

const SIZE = 40;
/** Films the "no vector file" case embeds, per backend: the tfjs cpu kernels are the slow path. */
const WHOLE_CATALOG_SIZE: Record<BackendName, number> = { webgpu: SIZE, wasm: SIZE, cpu: 10 };
const NEW_ITEM: CatalogItem = {
  id: 'pulse-test-robot',
  title: 'Pixel the Little Robot',
  text: 'Pixel the Little Robot (2026). Genres: Animation, Children, Comedy.',
  categories: ['Animation', 'Children', 'Comedy'],
  year: 2026,
  popularity: 0,
};

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

/** The first films of the demo catalog, edited by `edit`. */
async function smallCatalog(page: Page, edit: (items: CatalogItem[]) => CatalogItem[], size = SIZE): Promise<void> {
  await page.route('**/catalog/movielens.json', async (route) => {
    const response = await route.fetch();
    const items = ((await response.json()) as CatalogItem[]).slice(0, size);
    await route.fulfill({ response, json: edit(items) });
  });
}

async function open(page: Page, backend: BackendName): Promise<PulseStatus> {
  // Text similarity is what the embedded vectors are for; the SLM is not part of this.
  await openDemo(page, server.url, `?backend=${backend}&thoughtSpace=off&slm=off`);
  const status: PulseStatus = await page.evaluate(() => window.pulse.status());
  assert.equal(status.state, 'ready', status.error ?? '');
  assert.equal(status.backend, backend, status.fallbackReasons.join('; '));
  assert.equal(status.catalog?.textVectors, 'loaded', JSON.stringify(status.degraded));
  assert.deepEqual(status.degraded.filter((d) => d.component === 'on-device-embedding' || d.component === 'text-similarity'), []);
  return status;
}

/** Likes the first film and checks the new/changed item ranks by its embedded vector. */
async function recommendsWith(page: Page, id: string, size = SIZE): Promise<RecommendResult> {
  await page.evaluate(() => window.pulse.forget());
  await page.evaluate(() => window.pulse.track({ type: 'rating', itemId: '1', value: 5 }));
  const result: RecommendResult = await page.evaluate((k) => window.pulse.recommend({ k, rationale: false }), size + 1);
  assert.equal(result.ranker, 'text-similarity');
  assert.ok(result.items.every((item) => Number.isFinite(item.score)));
  const embedded = result.items.find((item) => item.id === id);
  assert.ok(embedded, `${id} is ranked`);
  const why = await page.evaluate((itemId) => window.pulse.explain(itemId), id);
  assert.equal(why.kind, 'similar', 'its vector is real: it is near the liked film, not a zero row');
  return result;
}

for (const backend of ['webgpu', 'wasm', 'cpu'] as const) {
  test(`${backend}: a new item and a changed text are embedded on the device`, async () => {
    const page = await session.newPage();
    await smallCatalog(page, (items) => {
      const changed = items[1]!;
      items[1] = { ...changed, text: `${changed.text} Now with a director's cut.` };
      return [...items, NEW_ITEM];
    });
    const status = await open(page, backend);
    assert.equal(status.catalog?.embeddedOnDevice, 2);
    assert.equal(status.catalog?.vectorsFromFile, SIZE - 1);
    await recommendsWith(page, NEW_ITEM.id);
    await page.close();
  });

  test(`${backend}: with no vector file every item is embedded on the device`, async () => {
    const page = await session.newPage();
    const size = WHOLE_CATALOG_SIZE[backend];
    await smallCatalog(page, (items) => items, size);
    await page.route('**/catalog/movielens.vectors.json', (route) => route.fulfill({ status: 404, body: 'Not Found' }));
    const status = await open(page, backend);
    assert.equal(status.catalog?.embeddedOnDevice, size);
    assert.equal(status.catalog?.vectorsFromFile, 0);
    assert.match(status.degraded.find((d) => d.component === 'catalog-vectors')?.reason ?? '', /no vector file at .*HTTP 404/);
    await recommendsWith(page, '2', size);
    await page.close();
  });
}

test('no uncaught error and nothing off the machine', () => {
  assert.deepEqual(session.errors.filter((e) => !/Failed to load resource/.test(e)), []);
  assert.deepEqual(foreignRequests(session.requests), []);
});
