import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openConsentHistory } from './consent-history.ts';
import { createMemoryHistory } from './memory-history.ts';

const T0 = 1_700_000_000_000;

async function databaseNames(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map((db) => db.name ?? '');
}

test('without consent nothing is written to IndexedDB, not even an empty database', async () => {
  const idbFactory = new IDBFactory();
  const history = openConsentHistory({ consent: false, idbFactory, now: () => T0 });
  await history.add({ type: 'view', itemId: 'a' });
  assert.equal(history.persistent, false);
  assert.deepEqual((await history.list()).map((e) => e.itemId), ['a']);
  assert.deepEqual(await databaseNames(idbFactory), []);
  await history.forget();
  assert.deepEqual(await history.list(), []);
  assert.deepEqual(await databaseNames(idbFactory), [], 'forget does not create a database to clear');
  history.close();
});

test('granting consent moves the in-memory events into IndexedDB', async () => {
  const idbFactory = new IDBFactory();
  const history = openConsentHistory({ consent: false, idbFactory, now: () => T0 });
  const changes: string[] = [];
  history.onChange((change) => changes.push(change.kind));
  await history.add([{ type: 'view', itemId: 'a' }, { type: 'cart', itemId: 'b' }, { type: 'like', itemId: 'c' }, { type: 'dislike', itemId: 'd' }]);
  await history.setConsent(true);
  assert.equal(history.persistent, true);
  assert.deepEqual(await databaseNames(idbFactory), ['pulse']);
  const reopened = openConsentHistory({ consent: true, idbFactory, now: () => T0 });
  assert.deepEqual((await reopened.list()).map((e) => `${e.type}:${e.itemId}`), ['view:a', 'cart:b', 'like:c', 'dislike:d']);
  assert.deepEqual(changes, ['add', 'add']);
  reopened.close();
  history.close();
});

test('withdrawing consent stops reading the stored history; forget clears both', async () => {
  const idbFactory = new IDBFactory();
  const history = openConsentHistory({ consent: true, idbFactory, now: () => T0 });
  await history.add({ type: 'purchase', itemId: 'stored' });
  await history.setConsent(false);
  assert.deepEqual(await history.list(), []);
  await history.add({ type: 'view', itemId: 'memory' });
  assert.deepEqual((await history.list()).map((e) => e.itemId), ['memory']);
  await history.forget();
  assert.deepEqual(await history.list(), []);
  await history.setConsent(true);
  assert.deepEqual(await history.list(), [], 'the stored history was cleared too');
  history.close();
});

test('the memory history keeps the IndexedDB contract: validation, order, retention', async () => {
  let now = T0;
  const memory = createMemoryHistory({ maxEvents: 2, maxAgeDays: 1, now: () => now });
  await assert.rejects(memory.add([{ type: 'view', itemId: 'a' }, { type: 'wishlist' as never, itemId: 'b' }]), /event 1: field "type"/);
  assert.deepEqual(await memory.list(), [], 'a bad batch writes nothing');
  await memory.add([{ type: 'view', itemId: 'late', ts: T0 }, { type: 'view', itemId: 'early', ts: T0 - 10 }]);
  assert.deepEqual((await memory.list()).map((e) => e.itemId), ['early', 'late']);
  await memory.add({ type: 'click', itemId: 'newest', ts: T0 + 1 });
  assert.deepEqual((await memory.list()).map((e) => e.itemId), ['late', 'newest'], 'oldest dropped beyond maxEvents');
  now = T0 + 2 * 86_400_000;
  assert.deepEqual(await memory.list(), [], 'events past maxAgeDays are not read');
  memory.close();
});

test('where IndexedDB is unusable, events stay in memory instead of failing every write', async () => {
  const broken = { open: () => { throw new DOMException('blocked by the browser', 'SecurityError'); }, databases: async () => [] } as unknown as IDBFactory;
  const reasons: string[] = [];
  const history = openConsentHistory({ consent: true, idbFactory: broken, onUnavailable: (error) => reasons.push(error.code) });
  await history.add({ type: 'view', itemId: 'a' });
  await history.add({ type: 'view', itemId: 'b' });
  assert.equal(history.persistent, false);
  assert.deepEqual((await history.list()).map((e) => e.itemId), ['a', 'b']);
  assert.deepEqual(reasons, ['unavailable'], 'reported once');
  history.close();
});
