/**
 * `<pulse-recs>` on the example shop keeps showing items while any ranker works (issue 14):
 * with the Thought Space's weights poisoned (NaN, hash recomputed) it ranks by text
 * similarity; with every model file failing it shows the popular items — never an error
 * state — and `pulse('status')` names what is degraded.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { PulseStatus } from '../src/client/api.ts';
import type { ThoughtSpaceManifest } from '../src/model/thought-space-file.ts';
import { bytesHash } from '../src/model/weights-file.ts';
import { openBrowser, type Session } from './harness.ts';
import { recordPulseEvents, shownCards, widgetSettled, type ShopWindow } from './embed-shop.ts';
import { serveShop, type ShopServer } from './shop-server.ts';

const MODEL_DIR = join(import.meta.dirname, '..', 'models', 'pulse-movielens');

let shop: ShopServer;
let session: Session;

before(async () => {
  shop = await serveShop();
  session = await openBrowser();
});
after(async () => {
  await session?.close();
  await shop?.close();
});

const fail500 = (page: Page, pattern: string) => page.route(pattern, (route) => route.fulfill({ status: 500, body: 'Internal Server Error' }));

async function openShop(page: Page): Promise<PulseStatus> {
  await recordPulseEvents(page);
  await page.goto(`${shop.url}/`);
  assert.equal(await widgetSettled(page, '#for-you'), 'ready');
  assert.ok((await shownCards(page, '#for-you')).length > 0, 'the widget shows items');
  const errors = await page.evaluate(() => (window as unknown as ShopWindow).pulseEvents.filter((e) => e.type === 'pulse:error'));
  assert.deepEqual(errors, []);
  return (await page.evaluate(() => (window as unknown as ShopWindow).pulse('status'))) as PulseStatus;
}

test('NaN Thought Space weights (hash recomputed): the widget shows items, status says why', async () => {
  const manifest = JSON.parse(readFileSync(join(MODEL_DIR, 'thought-space.json'), 'utf8')) as ThoughtSpaceManifest;
  const bin = Buffer.from(readFileSync(join(MODEL_DIR, manifest.bin)));
  for (const entry of manifest.weights.filter((w) => w.dtype === 'float32')) {
    const n = entry.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) bin.writeFloatLE(Number.NaN, entry.offset + 4 * i);
  }
  manifest.binHash = bytesHash(new Uint8Array(bin));
  const page = await session.newPage();
  await page.route('**/pulse-movielens/thought-space.json', (route) => route.fulfill({ json: manifest }));
  await page.route('**/pulse-movielens/thought-space.bin', (route) => route.fulfill({ body: bin }));
  const status = await openShop(page);
  assert.equal(status.thoughtSpace.state, 'unavailable');
  assert.match(status.degraded.find((d) => d.component === 'thought-space')?.reason ?? '', /is NaN/);
  assert.equal(status.ranker, 'text-similarity');
  await page.close();
});

test('every model file failing: the widget shows the popular items, status lists each failure', async () => {
  const page = await session.newPage();
  await fail500(page, '**/pulse-movielens/**');
  await fail500(page, '**/catalog.vectors.json');
  await fail500(page, '**/use-lite/**');
  const status = await openShop(page);
  assert.equal(status.state, 'ready');
  assert.equal(status.ranker, 'popularity');
  const failed = status.degraded.map((d) => d.component);
  for (const component of ['thought-space', 'catalog-vectors', 'text-similarity']) assert.ok(failed.includes(component as never), `${component} in ${failed.join(', ')}`);
  await page.close();
});

test('no uncaught error', () => {
  assert.deepEqual(session.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});
