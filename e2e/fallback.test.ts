/**
 * Degradation: a browser without WebGPU still recommends, on wasm, and says why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseStatus } from '../src/client/api.ts';
import type { RecommendResult } from '../src/core/types.ts';
import { foreignRequests, openBrowser, openDemo, serveBuild, type Served, type Session } from './harness.ts';

let server: Served;
let session: Session;

before(async () => {
  server = await serveBuild();
  session = await openBrowser({ webgpu: false });
});
after(async () => {
  await session?.close();
  await server?.close();
});

test('without WebGPU the worker falls back to wasm and reports why', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url);
  const s: PulseStatus = await page.evaluate(() => window.pulse.status());
  assert.equal(s.state, 'ready', s.error ?? '');
  assert.equal(s.backend, 'wasm');
  assert.equal(s.requestedBackend, 'webgpu');
  assert.equal(s.fallback, true);
  assert.match(s.fallbackReasons[0] ?? '', /^webgpu: /);
  // One place lists what runs below its best: here only the backend.
  assert.deepEqual(s.degraded.map((d) => d.component), ['backend']);
  assert.match(s.degraded[0]!.reason, /^ranking on wasm: webgpu: /);
  assert.equal(s.ranker, 'thought-space');
  await page.evaluate(() => window.pulse.track({ type: 'rating', itemId: '1', value: 5 }));
  const result: RecommendResult = await page.evaluate(() => window.pulse.recommend({ k: 5 }));
  assert.equal(result.backend, 'wasm');
  assert.equal(result.strategy, 'personal');
  assert.equal(result.items.length, 5);
  assert.deepEqual(foreignRequests(session.requests), []);
  assert.deepEqual(session.errors, []);
  await page.close();
});

test('forcing cpu works too', async () => {
  const page = await session.newPage();
  await openDemo(page, server.url, '?backend=cpu');
  const s: PulseStatus = await page.evaluate(() => window.pulse.status());
  assert.equal(s.backend, 'cpu');
  assert.equal(s.fallback, false);
  await page.close();
});
