import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptedEncodings, cacheControl, chooseEncoding, notModified } from './precompressed-serving.ts';

test('brotli first, then gzip, only where the client takes it and a copy exists', () => {
  const both = { br: true, gzip: true };
  assert.equal(chooseEncoding('gzip, deflate, br, zstd', both), 'br');
  assert.equal(chooseEncoding('gzip, deflate', both), 'gzip');
  assert.equal(chooseEncoding('gzip, br', { br: false, gzip: true }), 'gzip', 'no .br copy');
  assert.equal(chooseEncoding('br', { br: false, gzip: true }), null, 'gzip not accepted');
  assert.equal(chooseEncoding(undefined, both), null, 'no header: identity');
  assert.equal(chooseEncoding('identity', both), null);
});

test('q=0 refuses an encoding; * accepts the ones not named', () => {
  assert.deepEqual([...acceptedEncodings('br;q=0, gzip;q=0.5')], ['gzip']);
  assert.deepEqual([...acceptedEncodings('*')].sort(), ['br', 'gzip']);
  assert.deepEqual([...acceptedEncodings('*, br;q=0')], ['gzip']);
  assert.deepEqual([...acceptedEncodings('BR')], ['br'], 'tokens are case-insensitive');
});

test('hashed assets are immutable, fixed names are revalidated', () => {
  assert.match(cacheControl('/pulse/assets/worker-BjYFrqz1.js'), /immutable/);
  assert.match(cacheControl('/vendor/pulse/pulse/assets/tfjs-backend-wasm-simd-BrM3BlWr.wasm'), /immutable/);
  assert.equal(cacheControl('/vendor/pulse/pulse.js'), 'no-cache');
  assert.equal(cacheControl('/pulse/runtime.js'), 'no-cache');
  // pulse.js imports the runtime by its content hash: that URL never changes content.
  assert.match(cacheControl('/vendor/pulse/pulse/runtime.js?v=0123456789ab'), /immutable/);
  assert.equal(cacheControl('/pulse/runtime.js?v=latest'), 'no-cache');
  assert.equal(cacheControl('/pulse.js?v=0123456789ab'), 'no-cache');
  assert.equal(cacheControl('/models/pulse-movielens/items.vectors.bin'), 'no-cache');
});

test('If-Modified-Since compares whole seconds', () => {
  const mtime = new Date('2026-12-02T15:00:00.750Z');
  assert.equal(notModified(mtime.toUTCString(), mtime), true);
  assert.equal(notModified(new Date('2026-12-02T14:59:59Z').toUTCString(), mtime), false);
  assert.equal(notModified(undefined, mtime), false);
  assert.equal(notModified('not a date', mtime), false);
});
