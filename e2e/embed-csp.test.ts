/**
 * The example shop served with the strict Content-Security-Policy of docs/embed.md on every
 * response (pages, pulse.js, the worker): Pulse works without a single violation. Where the
 * policy leaves out 'wasm-unsafe-eval' and the browser has no WebGPU, it still recommends,
 * on plain JavaScript, and says why in its status. The language model (onnxruntime-web in
 * the worker) loads and writes under the same policy, on wasm and on WebGPU; without
 * 'wasm-unsafe-eval' it cannot run on either, and its status says which directive to add.
 * Violations are collected from report-only copies of the policy, so the worker's count too.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PulseClient, PulseStatus, Rationale } from '../src/client/api.ts';
import type { RecommendResult } from '../src/core/types.ts';
import { CSP_WASM_HINT } from '../src/slm/load-failure.ts';
import { openBrowser, type Session } from './harness.ts';
import { eventually, recordPulseEvents, shownCards, widgetSettled, type ShopWindow } from './embed-shop.ts';
import { pagesUseTheStub, serveShop, strictPolicy, type ShopServer } from './shop-server.ts';

const opened: { close(): Promise<void> }[] = [];
after(async () => {
  for (const thing of opened.reverse()) await thing.close();
});

async function shopWith(csp: string, webgpu: boolean): Promise<{ shop: ShopServer; session: Session }> {
  const shop = await serveShop({ csp, reportViolations: true });
  const session = await openBrowser({ webgpu });
  opened.push(shop, session);
  // tsx names functions with an `__name` helper that page.evaluate's copies cannot see.
  await session.context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  return { shop, session };
}

test('the shop pages inline exactly the documented queue stub (its CSP hash depends on it)', () => {
  assert.deepEqual(pagesUseTheStub(), []);
});

test('under the strict policy: widgets render and nothing is blocked', async () => {
  const { shop, session } = await shopWith(strictPolicy(), true);
  const page = await session.newPage();
  await recordPulseEvents(page);
  await page.goto(`${shop.url}/`);
  assert.equal(await widgetSettled(page, '#for-you'), 'ready');
  assert.equal(await widgetSettled(page, '#shop-cards'), 'ready');
  assert.equal((await shownCards(page, '#for-you')).length, 6);
  const status = (await page.evaluate(() => (window as unknown as ShopWindow).pulse('status'))) as PulseStatus;
  // WebGPU is up (a software adapter here), and passed over for the faster wasm.
  assert.ok(status.adapter?.isFallbackAdapter, status.fallbackReasons.join('; '));
  assert.equal(status.backend, 'wasm', status.fallbackReasons.join('; '));
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
  // The language model cannot run either, and the whys do not depend on it.
  const outcome = await slmOutcomeViaEmbed(page);
  assert.equal(outcome.status.slm.state, 'unavailable');
  assert.ok(outcome.status.slm.reason?.startsWith(`${CSP_WASM_HINT}. Details: wasm: `), outcome.status.slm.reason ?? '');
  assert.equal(outcome.rationale?.fallback, 'unavailable');
  assert.equal(outcome.whys.length, 3);
  await page.close();
});

/** Films of the shop's catalog (e2e/shop/catalog.json): a history the model can describe. */
const HISTORY = [
  { type: 'rating', itemId: '1', value: 5 },
  { type: 'view', itemId: '588' },
  { type: 'rating', itemId: '364', value: 4 },
] as const;

/** The SLM's part of a request: its status once it stopped loading, and a rationale for HISTORY. */
interface SlmOutcome {
  status: PulseStatus;
  rationale: Rationale | undefined;
  /** Pieces of text the model streamed before the rationale was cancelled (module API only). */
  pieces: number;
  whys: string[];
}

/**
 * Through the embed's `pulse()` command queue (the shop pages): the why a recommendation
 * carries, which never waits for the model, once the model stopped loading.
 */
async function slmOutcomeViaEmbed(page: Page): Promise<SlmOutcome> {
  const pulse = (command: string, ...args: unknown[]) => page.evaluate(([c, a]) => (window as unknown as ShopWindow).pulse(c, ...a), [command, args] as const);
  await pulse('track', HISTORY);
  await eventually(async () => ((await pulse('status')) as PulseStatus).slm.state !== 'loading', 'the SLM to stop loading', 300_000);
  const result = (await pulse('recommend', { k: 3 })) as RecommendResult;
  return { status: (await pulse('status')) as PulseStatus, rationale: result.rationale, pieces: 0, whys: result.items.map((item) => item.why.text) };
}

/**
 * Through createPulse on esm.html (where the SLM options can be given): the model is asked
 * to write and stopped at its first piece of text. That it wrote under the policy is the
 * point; a whole ToT-lite rationale (3 × 80 tokens) would only add minutes on a slow machine.
 */
async function slmOutcomeViaModule(page: Page): Promise<SlmOutcome> {
  await page.waitForFunction(() => document.querySelectorAll('#picks li').length === 5, null, { timeout: 300_000 });
  return page.evaluate(async (history) => {
    const client = (window as unknown as { shopPulse: PulseClient }).shopPulse;
    await client.track([...history]);
    const result = await client.recommend({ k: 3 });
    const abort = new AbortController();
    let pieces = 0;
    // rationale() waits for the model's load, then streams.
    const rationale = await client.rationale({
      fresh: true,
      signal: abort.signal,
      onToken: () => {
        pieces++;
        abort.abort();
      },
    });
    return { status: client.status(), rationale, pieces, whys: result.items.map((item) => item.why.text) };
  }, HISTORY);
}

/** The model ran under the policy: it streamed text before it was stopped. */
function assertGenerated(outcome: SlmOutcome): void {
  const { rationale } = outcome;
  assert.ok(rationale, 'a rationale');
  assert.ok(rationale.text.length > 0);
  assert.ok(outcome.pieces >= 1, `the model streamed nothing: ${rationale.fallback}: ${rationale.reason}`);
  assert.equal(rationale.fallback, 'cancelled', `${rationale.fallback}: ${rationale.reason}`);
  assert.equal(outcome.whys.length, 3);
}

test('under the strict policy the language model loads and writes on wasm and on WebGPU; nothing is blocked, in the worker either', async () => {
  const { shop, session } = await shopWith(strictPolicy(), true);
  // SwiftShader is a software adapter, so "auto" would pick wasm; each device is asked for here.
  const page = await session.newPage();
  await recordPulseEvents(page);
  await page.goto(`${shop.url}/esm.html?slm-device=wasm`);
  const onWasm = await slmOutcomeViaModule(page);
  assert.equal(onWasm.status.slm.state, 'ready', onWasm.status.slm.reason ?? '');
  assert.equal(onWasm.status.slm.device, 'wasm');
  assertGenerated(onWasm);
  assert.deepEqual(await page.evaluate(() => (window as unknown as ShopWindow).cspViolations), []);
  await page.close();

  // Asked for WebGPU: ORT's WebGPU build (the asyncify glue) under the same policy.
  const gpuPage = await session.newPage();
  await gpuPage.goto(`${shop.url}/esm.html?slm-device=webgpu`);
  const onGpu = await slmOutcomeViaModule(gpuPage);
  assert.equal(onGpu.status.slm.state, 'ready', onGpu.status.slm.reason ?? '');
  assert.equal(onGpu.status.slm.device, 'webgpu', onGpu.status.slm.notes.join('; '));
  assertGenerated(onGpu);
  await gpuPage.close();

  // Give the browser a moment to deliver any report before reading them.
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.deepEqual(shop.reports, []);
  assert.deepEqual(session.errors, []);
});

test("without 'wasm-unsafe-eval' the language model is blocked on WebGPU too; recommendations keep their whys and status names the directive", async () => {
  const { shop, session } = await shopWith(strictPolicy({ wasm: false }), true);
  const page = await session.newPage();
  await page.goto(`${shop.url}/esm.html?slm-device=webgpu`);
  const outcome = await slmOutcomeViaModule(page);
  // Ranking needs no WebAssembly (a software WebGPU adapter is passed over, wasm is blocked:
  // plain JS on cpu); ONNX Runtime does need it, whatever its device.
  assert.equal(outcome.status.backend, 'cpu');
  const { slm } = outcome.status;
  assert.equal(slm.state, 'unavailable');
  assert.ok(slm.reason?.startsWith(`${CSP_WASM_HINT}. Details: webgpu: `), slm.reason ?? '');
  assert.match(slm.notes.join('\n'), /^webgpu failed, trying the next device/m);
  assert.equal(outcome.rationale?.source, 'evidence');
  assert.equal(outcome.rationale?.fallback, 'unavailable');
  assert.equal(outcome.rationale?.reason, slm.reason);
  assert.match(outcome.rationale?.text ?? '', /“Toy Story”/);
  assert.equal(outcome.whys.length, 3);
  assert.ok(outcome.whys.every((why) => why.length > 0));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.ok(shop.reports.length > 0 && shop.reports.every((r) => r.startsWith('script-src blocked wasm-eval in ') && r.includes('/vendor/pulse/pulse/assets/worker-')), shop.reports.join('; '));
  await page.close();
});
