import 'fake-indexeddb/auto';
import { IDBFactory as FakeIDBFactory } from 'fake-indexeddb';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseEvent } from '../core/types.ts';
import { openHistory } from './history.ts';
import { RATIONALE_CACHE_LIMIT, historyFingerprint, openRationaleCache } from './rationale-cache.ts';

const EVENTS: PulseEvent[] = [
  { type: 'rating', itemId: '1', value: 5, ts: 1000 },
  { type: 'view', itemId: '2', ts: 2000 },
];
const ENTRY = { text: 'You like animated films.', model: 'pulse-slm', score: 0.7, candidates: 3, createdAt: 1 };

test('the fingerprint changes with any event, its order, or the model settings', () => {
  const base = historyFingerprint(EVENTS, 'pulse-slm|q8');
  assert.equal(base, historyFingerprint([...EVENTS], 'pulse-slm|q8'));
  assert.match(base, /^[0-9a-f]{16}$/);
  assert.notEqual(base, historyFingerprint([...EVENTS].reverse(), 'pulse-slm|q8'));
  assert.notEqual(base, historyFingerprint([EVENTS[0]!, { ...EVENTS[1]!, type: 'click' }], 'pulse-slm|q8'));
  assert.notEqual(base, historyFingerprint(EVENTS, 'other-model|q8'));
  assert.notEqual(historyFingerprint([], 'a'), historyFingerprint([], 'b'));
});

test('a cached rationale is found by fingerprint, and forget() on the history clears it', async () => {
  const idbFactory = new FakeIDBFactory();
  const history = await openHistory({ dbName: 'cache-forget', idbFactory });
  const cache = await openRationaleCache({ dbName: 'cache-forget', idbFactory });
  assert.equal(await cache.get('abc'), null);
  await cache.put('abc', ENTRY);
  assert.deepEqual(await cache.get('abc'), ENTRY);
  await history.add({ type: 'view', itemId: '1' });
  await history.forget();
  assert.equal(await cache.get('abc'), null);
  assert.deepEqual(await history.list(), []);
  cache.close();
  history.close();
});

test('opening the cache first creates the same schema the history expects', async () => {
  const idbFactory = new FakeIDBFactory();
  const cache = await openRationaleCache({ dbName: 'cache-first', idbFactory });
  await cache.put('x', ENTRY);
  const history = await openHistory({ dbName: 'cache-first', idbFactory });
  await history.add({ type: 'view', itemId: '1' });
  assert.equal((await history.list()).length, 1);
  assert.deepEqual(await cache.get('x'), ENTRY);
  cache.close();
  history.close();
});

test('old entries are pruned beyond the limit, newest kept', async () => {
  const idbFactory = new FakeIDBFactory();
  const cache = await openRationaleCache({ dbName: 'cache-prune', idbFactory });
  for (let i = 0; i < RATIONALE_CACHE_LIMIT + 3; i++) await cache.put(`fp${i}`, { ...ENTRY, createdAt: 100 + i });
  assert.equal(await cache.get('fp0'), null);
  assert.equal(await cache.get('fp2'), null);
  assert.ok(await cache.get('fp3'));
  assert.ok(await cache.get(`fp${RATIONALE_CACHE_LIMIT + 2}`));
  cache.close();
});
