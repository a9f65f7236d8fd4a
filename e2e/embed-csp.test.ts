/**
 * The example shop served with the strict Content-Security-Policy of docs/embed.md on every
 * response (pages, pulse.js, the worker): Pulse works without a single violation. Where the
 * policy leaves out 'wasm-unsafe-eval' and the browser has no WebGPU, it still recommends,
 * on plain JavaScript, and says why in its status.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseStatus } from '../src/client/api.ts';
import { openBrowser, type Session } from './harness.ts';
import { recordPulseEvents, shownCards, widgetSettled, type ShopWindow } from './embed-shop.ts';
import { pagesUseTheStub, serveShop, strictPolicy, type ShopServer } from './shop-server.ts';

const opened: { close(): Promise<void> }[] = [];
after(async () => {
  for (const thing of opened.reverse()) await thing.close();
});

async function shopWith(csp: string, webgpu: boolean): Promise<{ shop: ShopServer; session: Session }> {
  const shop = await serveShop({ csp });
  const session = await openBrowser({ webgpu });
  opened.push(shop, session);
  return { shop, session };
}

test('the shop pages inline exactly the documented queue stub (its CSP hash depends on it)', () => {
  assert.deepEqual(pagesUseTheStub(), []);
});

test('under the strict policy: widgets render on WebGPU and nothing is blocked', async () => {
  const { shop, session } = await shopWith(strictPolicy(), true);
  const page = await session.newPage();
  await recordPulseEvents(page);
  await page.goto(`${shop.url}/`);
  assert.equal(await widgetSettled(page, '#for-you'), 'ready');
  assert.equal(await widgetSettled(page, '#shop-cards'), 'ready');
  assert.equal((await shownCards(page, '#for-you')).length, 6);
  const status = (await page.evaluate(() => (window as unknown as ShopWindow).pulse('status'))) as PulseStatus;
  assert.equal(status.backend, 'webgpu', status.fallbackReasons.join('; '));
  assert.deepEqual(await page.evaluate(() => (window as unknown as ShopWindow).cspViolations), []);
  assert.deepEqual(session.errors, []);
  await page.close();
});

test("without WebGPU and without 'wasm-unsafe-eval', Pulse recommends on cpu and says why", async () => {
  const { shop, session } = await shopWith(strictPolicy({ wasm: false }), false);
  const page = await session.newPage();
  await recordPulseEvents(page);
  await page.goto(`${shop.url}/`);
  assert.equal(await widgetSettled(page, '#for-you'), 'ready');
  assert.equal((await shownCards(page, '#for-you')).length, 6);
  const status = (await page.evaluate(() => (window as unknown as ShopWindow).pulse('status'))) as PulseStatus;
  assert.equal(status.backend, 'cpu');
  assert.equal(status.fallback, true);
  assert.match(status.fallbackReasons[0] ?? '', /^webgpu: /);
  assert.match(status.fallbackReasons[1] ?? '', /^wasm: WebAssembly is blocked, most likely by the page's Content-Security-Policy: add 'wasm-unsafe-eval'/);
  // The browser reports the blocked wasm compile; that is the policy working, not Pulse failing.
  const violations = await page.evaluate(() => (window as unknown as ShopWindow).cspViolations);
  assert.ok(violations.every((v) => v.startsWith('script-src')), violations.join('; '));
  await page.close();
});
