/**
 * The consent history under storage faults (fake-indexeddb): order as issued, bounded waits,
 * service from memory while the database is blocked, stuck, deleted or newer, recovery
 * without a reload, and the reset marker. No test measures time; short bounds only make the
 * faults show quickly.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventError } from '../core/event.ts';
import { openConsentHistory, type ConsentHistory, type ConsentHistoryOptions, type ResetMarker } from './consent-history.ts';
import { HISTORY_DB_VERSION, HistoryError, openHistory } from './history.ts';

const T0 = 1_700_000_000_000;

function openRaw(factory: IDBFactory, name: string, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name, version);
    req.onupgradeneeded = () => upgrade?.(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Resolves once `status()` satisfies `check` (it is checked at once and on each change). */
function statusWhere(history: ConsentHistory, check: (h: ConsentHistory) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check(history)) return resolve();
    const stop = history.onStatus(() => {
      if (check(history)) {
        stop();
        resolve();
      }
    });
  });
}

function memoryMarker(): ResetMarker & { value: string | null } {
  return {
    value: null,
    read() {
      return this.value;
    },
    write(value) {
      this.value = value;
    },
  };
}

function open(idbFactory: IDBFactory, extra: Partial<ConsentHistoryOptions> = {}): ConsentHistory {
  return openConsentHistory({ consent: true, idbFactory, now: () => T0, timeoutMs: 300, retryMs: 0, ...extra });
}

const ids = async (history: ConsentHistory) => (await history.list()).map((event) => event.itemId);

test('a forget erases a track issued before it, even while the database is still opening', async () => {
  const idbFactory = new IDBFactory();
  const first = open(idbFactory);
  await first.add({ type: 'view', itemId: 'earlier visit' });
  first.close();

  const history = open(idbFactory);
  // Issued at once, with the database not yet open: nothing may survive the forget.
  const tracked = history.add({ type: 'purchase', itemId: 'X' });
  const forgotten = history.forget();
  const after = history.add({ type: 'view', itemId: 'after' });
  await Promise.all([tracked, forgotten, after]);
  assert.deepEqual(await ids(history), ['after']);
  history.close();
  const reopened = open(idbFactory);
  assert.deepEqual(await ids(reopened), ['after'], 'what is on the device agrees');
  reopened.close();
});

test('a read sees every write issued before it', async () => {
  const history = open(new IDBFactory());
  const writes = ['a', 'b', 'c'].map((itemId) => history.add({ type: 'view', itemId }));
  const listed = history.list();
  await Promise.all(writes);
  assert.deepEqual((await listed).map((event) => event.itemId), ['a', 'b', 'c']);
  history.close();
});

test('a sparse batch is refused and the history is untouched', async () => {
  const history = open(new IDBFactory());
  await history.add([{ type: 'view', itemId: 'a' }, { type: 'view', itemId: 'b' }, { type: 'view', itemId: 'c' }]);
  await assert.rejects(history.add(new Array(1000) as never), EventError);
  await history.add({ type: 'view', itemId: 'd' });
  assert.deepEqual(await ids(history), ['a', 'b', 'c', 'd']);
  assert.equal(await history.count(), 4);
  history.close();
});

test('an old tab blocking the upgrade: memory service with the reason, then the database back with the events', async () => {
  const idbFactory = new IDBFactory();
  // An old page: version 1, no versionchange handler, so it never lets go by itself.
  const oldTab = await openRaw(idbFactory, 'pulse', 1, (db) => {
    db.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
  });
  const history = open(idbFactory);
  await history.add({ type: 'view', itemId: 'while blocked' });
  assert.equal(history.persistent, false);
  assert.equal(history.status().storage, 'memory');
  assert.ok(['blocked', 'timeout'].includes(history.status().degraded?.code ?? ''), JSON.stringify(history.status()));
  assert.deepEqual(await ids(history), ['while blocked']);

  oldTab.close();
  await statusWhere(history, (h) => h.status().storage === 'device');
  assert.equal(history.status().degraded, null);
  assert.deepEqual(await ids(history), ['while blocked'], 'the events kept in memory moved to the device');
  const db = await openRaw(idbFactory, 'pulse');
  assert.equal(db.version, HISTORY_DB_VERSION);
  assert.equal(await request(db.transaction('events').objectStore('events').count()), 1);
  db.close();
  history.close();
});

test('a transaction stuck behind another tab: a timeout, memory service, no hang', async () => {
  const idbFactory = new IDBFactory();
  const setup = await openHistory({ idbFactory });
  setup.close();
  const other = await openRaw(idbFactory, 'pulse');
  // Another tab keeps a read-write transaction on the events busy for as long as it likes.
  let busy = true;
  const transaction = other.transaction('events', 'readwrite');
  const spin = () => {
    if (!busy) return;
    transaction.objectStore('events').count().onsuccess = spin;
  };
  spin();

  const history = open(idbFactory);
  await history.add({ type: 'view', itemId: 'a' });
  assert.equal(history.status().degraded?.code, 'timeout');
  assert.deepEqual(await ids(history), ['a']);
  busy = false;
  other.close();
  await statusWhere(history, (h) => h.status().storage === 'device');
  assert.deepEqual(await ids(history), ['a']);
  history.close();
});

test('a database deleted by another tab is opened again at once, and the wipe is reported', async () => {
  const idbFactory = new IDBFactory();
  const marker = memoryMarker();
  const history = open(idbFactory, { marker });
  await history.add({ type: 'view', itemId: 'before' });
  assert.equal(history.status().resetDetected, false);
  assert.equal(history.status().since, T0);
  assert.equal(marker.value, String(T0));

  await new Promise<void>((resolve, reject) => {
    const req = idbFactory.deleteDatabase('pulse');
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
  await history.add({ type: 'view', itemId: 'after' });
  assert.equal(history.persistent, true, JSON.stringify(history.status()));
  assert.deepEqual(await ids(history), ['after']);
  history.close();

  // The next visit tells the shop why the history starts afresh only when it was not a forget.
  const clock = { now: T0 + 1000 };
  await new Promise<void>((resolve) => {
    const req = idbFactory.deleteDatabase('pulse');
    req.onsuccess = () => resolve();
  });
  const wiped = open(idbFactory, { marker, now: () => clock.now });
  await wiped.list();
  assert.equal(wiped.status().resetDetected, true);
  await wiped.forget();
  assert.equal(wiped.status().resetDetected, false, 'forget is a fresh start on purpose');
  wiped.close();
  const afterForget = open(idbFactory, { marker, now: () => clock.now });
  await afterForget.list();
  assert.equal(afterForget.status().resetDetected, false);
  afterForget.close();
});

test('a newer schema on the device: memory service, and forget still erases it', async () => {
  const idbFactory = new IDBFactory();
  const newer = await openRaw(idbFactory, 'pulse', HISTORY_DB_VERSION + 1, (db) => {
    db.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
    db.createObjectStore('meta', { keyPath: 'key' });
    db.createObjectStore('future');
  });
  const seed = newer.transaction(['events', 'future'], 'readwrite');
  seed.objectStore('events').add({ type: 'view', itemId: 'from the newer page', ts: T0 });
  seed.objectStore('future').add('something', 1);
  await new Promise((resolve) => (seed.oncomplete = resolve));
  newer.close();

  const history = open(idbFactory);
  await history.add({ type: 'cart', itemId: 'here' });
  assert.equal(history.status().degraded?.code, 'version');
  assert.deepEqual(await ids(history), ['here']);
  await history.forget();
  assert.deepEqual(await ids(history), []);
  const db = await openRaw(idbFactory, 'pulse');
  assert.equal(db.version, HISTORY_DB_VERSION + 1, 'not downgraded or deleted');
  for (const name of ['events', 'meta', 'future']) {
    assert.equal(await request(db.transaction(name).objectStore(name).count()), 0, `${name} erased`);
  }
  db.close();
  history.close();
});

test('persistence is asked once consent is given, and the answer shown', async () => {
  let asked = 0;
  const requestPersistence = async () => {
    asked++;
    return true;
  };
  const history = open(new IDBFactory(), { consent: false, requestPersistence });
  await history.add({ type: 'view', itemId: 'a' });
  assert.equal(asked, 0, 'not without consent');
  assert.equal(history.status().persisted, null);
  await history.setConsent(true);
  await statusWhere(history, (h) => h.status().persisted !== null);
  assert.equal(history.status().persisted, true);
  assert.equal(asked, 1);
  history.close();
});

test('without consent, the marker store is never written', async () => {
  const marker = memoryMarker();
  const history = open(new IDBFactory(), { consent: false, marker });
  await history.add({ type: 'view', itemId: 'a' });
  await history.forget();
  assert.equal(marker.value, null);
  assert.equal(history.status().since, null);
  history.close();
});

test('a forget that cannot reach a blocked database says so and erases it once it opens', async () => {
  const idbFactory = new IDBFactory();
  const seeded = open(idbFactory);
  await seeded.add({ type: 'view', itemId: 'stored' });
  seeded.close();
  // Hold the database open at an old version: reopen it raw at the current version and keep
  // an upgrade pending behind it, so nothing can reach it.
  const holder = await openRaw(idbFactory, 'pulse');
  const upgrade = openRaw(idbFactory, 'pulse', HISTORY_DB_VERSION + 1);
  upgrade.catch(() => undefined);
  const history = open(idbFactory);
  await history.add({ type: 'view', itemId: 'memory' });
  await assert.rejects(history.forget(), (error: unknown) => {
    assert.ok(error instanceof HistoryError);
    assert.match(error.message, /could not be reached.*erased as soon as the database opens again/);
    return true;
  });
  assert.deepEqual(await ids(history), [], "this page's events are gone at once");
  history.close();
  holder.close();
  (await upgrade).close();
});
