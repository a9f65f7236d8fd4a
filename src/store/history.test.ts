import 'fake-indexeddb/auto';
import { IDBFactory as FakeIDBFactory } from 'fake-indexeddb';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventError, validateEvent } from '../core/event.ts';
import type { EventInput } from '../core/types.ts';
import {
  HISTORY_DB_VERSION,
  HistoryError,
  openHistory,
  toHistoryError,
} from './history.ts';
import type { HistoryChange, HistoryExport, HistoryStore } from './history.ts';

const DAY = 86_400_000;
const T0 = 1_700_000_000_000;

let counter = 0;
function freshName(label: string): string {
  counter += 1;
  return `history-test-${label}-${counter}`;
}

/** Closes every store a test opened, even when it fails, so no channel keeps Node alive. */
async function withStores(run: (open: typeof openHistory) => Promise<void>): Promise<void> {
  const opened: HistoryStore[] = [];
  try {
    await run(async (options) => {
      const store = await openHistory(options);
      opened.push(store);
      return store;
    });
  } finally {
    for (const store of opened) store.close();
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openRaw(name: string, version?: number, upgrade?: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = () => upgrade?.(req.result);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function rawCount(name: string, storeName: string): Promise<number> {
  const db = await openRaw(name);
  try {
    return await request(db.transaction(storeName).objectStore(storeName).count());
  } finally {
    db.close();
  }
}

function nextChange(store: HistoryStore): Promise<HistoryChange> {
  return new Promise((resolve) => {
    const stop = store.onChange((change) => {
      stop();
      resolve(change);
    });
  });
}

test('add then list: round trip, oldest first, ties in write order', async () => {
  await withStores(async (open) => {
    const store = await open({ dbName: freshName('roundtrip'), now: () => T0 });
    const stored = await store.add([
      { type: 'view', itemId: ' b ', ts: T0 - 1000 },
      { type: 'rating', itemId: 'a', value: 4, ts: T0 - 5000 },
      { type: 'click', itemId: 'c' },
      { type: 'cart', itemId: 'd', ts: T0 - 1000 },
    ]);
    assert.deepEqual(stored[0], { type: 'view', itemId: 'b', ts: T0 - 1000 });
    assert.deepEqual(stored[2], { type: 'click', itemId: 'c', ts: T0 });
    await store.add({ type: 'purchase', itemId: 'e', ts: T0 - 2000 });

    assert.deepEqual(await store.list(), [
      { type: 'rating', itemId: 'a', value: 4, ts: T0 - 5000 },
      { type: 'purchase', itemId: 'e', ts: T0 - 2000 },
      { type: 'view', itemId: 'b', ts: T0 - 1000 },
      { type: 'cart', itemId: 'd', ts: T0 - 1000 },
      { type: 'click', itemId: 'c', ts: T0 },
    ]);
    assert.equal(await store.count(), 5);
  });
});

test('a batch with one bad event writes nothing and names the event', async () => {
  await withStores(async (open) => {
    const dbName = freshName('atomic');
    const store = await open({ dbName });
    await store.add([{ type: 'view', itemId: 'x' }, { type: 'view', itemId: 'y' }]);
    const batch = [
      { type: 'view', itemId: 'ok' },
      { type: 'wishlist', itemId: 'bad' },
      { type: 'view', itemId: 'ok too' },
    ] as unknown as EventInput[];
    await assert.rejects(store.add(batch), (error: unknown) => {
      assert.ok(error instanceof EventError);
      assert.equal(error.index, 1);
      assert.equal(error.field, 'type');
      assert.match(error.message, /^event 1: field "type" must be one of .*; got "wishlist"$/);
      return true;
    });
    assert.equal(await store.count(), 2);
    assert.equal(await rawCount(dbName, 'events'), 2);
  });
});

test('a storage failure inside the transaction rolls back the whole batch', async () => {
  await withStores(async (open) => {
    const dbName = freshName('quota');
    const store = await open({ dbName });
    await store.add({ type: 'view', itemId: 'kept' });
    const proto = IDBObjectStore.prototype;
    const original = proto.add;
    let calls = 0;
    // The second write of the batch fails the way a full disk does.
    proto.add = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['add']>) {
      calls += 1;
      if (calls === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return original.apply(this, args);
    };
    try {
      await assert.rejects(
        store.add([
          { type: 'view', itemId: 'a' },
          { type: 'view', itemId: 'b' },
        ]),
        (error: unknown) => {
          assert.ok(error instanceof HistoryError);
          assert.equal(error.code, 'quota');
          assert.match(error.message, /browser storage is full.*nothing was saved/);
          return true;
        },
      );
    } finally {
      proto.add = original;
    }
    assert.deepEqual(
      (await store.list()).map((event) => event.itemId),
      ['kept'],
    );
  });
});

test('toHistoryError maps quota and version errors and keeps the cause', () => {
  const quota = new DOMException('full', 'QuotaExceededError');
  const mapped = toHistoryError(quota, 'save events');
  assert.equal(mapped.code, 'quota');
  assert.equal(mapped.name, 'HistoryError');
  assert.equal(mapped.cause, quota);
  assert.match(mapped.message, /^browser storage is full, so Pulse could not save events; nothing was saved/);
  assert.equal(toHistoryError(new DOMException('newer', 'VersionError'), 'open').code, 'version');
  const other = toHistoryError(new DOMException('disk', 'UnknownError'), 'read the history');
  assert.equal(other.code, 'failed');
  assert.match(other.message, /could not read the history: UnknownError: disk/);
  assert.equal(toHistoryError(mapped, 'x'), mapped);
});

test('retention by count keeps the newest maxEvents', async () => {
  await withStores(async (open) => {
    const dbName = freshName('count');
    const store = await open({ dbName, maxEvents: 3, now: () => T0 });
    await store.add([1, 2, 3, 4, 5].map((n) => ({ type: 'view' as const, itemId: `i${n}`, ts: T0 - (10 - n) * 1000 })));
    assert.deepEqual(
      (await store.list()).map((event) => event.itemId),
      ['i3', 'i4', 'i5'],
    );
    // An event older than everything kept is itself the oldest, so it goes.
    await store.add({ type: 'view', itemId: 'ancient', ts: T0 - 100_000 });
    await store.add({ type: 'view', itemId: 'i6' });
    assert.deepEqual(
      (await store.list()).map((event) => event.itemId),
      ['i4', 'i5', 'i6'],
    );
    assert.equal(await rawCount(dbName, 'events'), 3);
  });
});

test('retention by age: ignored on read, deleted on the next write', async () => {
  await withStores(async (open) => {
    const dbName = freshName('age');
    let now = T0;
    const store = await open({ dbName, maxAgeDays: 10, now: () => now });
    await store.add([
      { type: 'view', itemId: 'old', ts: T0 - 5 * DAY },
      { type: 'view', itemId: 'new', ts: T0 },
    ]);
    assert.equal(await store.count(), 2);

    now = T0 + 6 * DAY;
    assert.deepEqual(
      (await store.list()).map((event) => event.itemId),
      ['new'],
    );
    assert.equal(await store.count(), 1);
    assert.equal(await rawCount(dbName, 'events'), 2, 'reads do not delete');

    await store.add({ type: 'click', itemId: 'later' });
    assert.equal(await rawCount(dbName, 'events'), 2, 'the expired event is gone, the new one stored');
    assert.deepEqual(
      (await store.list()).map((event) => event.itemId),
      ['new', 'later'],
    );
  });
});

test('exportJson is a self-describing document that parses back', async () => {
  await withStores(async (open) => {
    const store = await open({ dbName: freshName('export'), now: () => T0 });
    await store.add([
      { type: 'rating', itemId: 'm1', value: 5, ts: T0 - 1 },
      { type: 'dismiss', itemId: 'm2' },
    ]);
    const parsed = JSON.parse(await store.exportJson()) as HistoryExport;
    assert.equal(parsed.format, 'pulse-history');
    assert.equal(parsed.version, 1);
    assert.equal(parsed.exportedAt, new Date(T0).toISOString());
    assert.deepEqual(parsed.events, await store.list());
    assert.deepEqual(
      parsed.events.map((event) => validateEvent(event, T0)),
      parsed.events,
    );
  });
});

test('forget clears every store, and the history stays usable', async () => {
  await withStores(async (open) => {
    const dbName = freshName('forget');
    const store = await open({ dbName });
    await store.add([{ type: 'view', itemId: 'a' }, { type: 'cart', itemId: 'b' }]);
    const raw = await openRaw(dbName);
    await request(raw.transaction('meta', 'readwrite').objectStore('meta').put({ key: 'createdAt', value: T0 }));
    raw.close();

    await store.forget();
    assert.deepEqual(await store.list(), []);
    assert.equal(await rawCount(dbName, 'events'), 0);
    assert.equal(await rawCount(dbName, 'meta'), 0);

    await store.add({ type: 'view', itemId: 'c' });
    assert.equal(await store.count(), 1);
  });
});

test('the like and dislike events need no schema step: an older build’s database keeps every row as written and takes them', async () => {
  // The schema stores events as values; a new event type is a new value, not a new store or
  // index, so the version stays (an older tab keeps working) and no row is rewritten: a 5★ or
  // 1★ the old demo wrote for Like or Dislike stays a rating, since nothing in it tells a button
  // press from a rating (a migration that guessed would invent what the shopper meant).
  assert.equal(HISTORY_DB_VERSION, 2);
  for (const version of [1, 2]) {
    await withStores(async (open) => {
      const dbName = freshName(`like-from-v${version}`);
      const old = await openRaw(dbName, version, (db) => {
        db.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
        if (version === 2) db.createObjectStore('meta', { keyPath: 'key' });
      });
      const rows = [
        { type: 'view', itemId: 'kwai', ts: T0 - 3000 },
        { type: 'rating', itemId: 'kwai', value: 5, ts: T0 - 2000 },
        { type: 'rating', itemId: 'saw', value: 1, ts: T0 - 1500 },
        { type: 'cart', itemId: 'ryan', ts: T0 - 1000 },
      ];
      const tx = old.transaction('events', 'readwrite');
      for (const row of rows) tx.objectStore('events').add(row);
      await new Promise((resolve) => (tx.oncomplete = resolve));
      old.close();

      const store = await open({ dbName, now: () => T0 });
      assert.deepEqual(await store.list(), rows, `v${version}: every row as the old build wrote it`);
      const added = [
        { type: 'like', itemId: 'platoon', ts: T0 - 500 },
        { type: 'dislike', itemId: 'hall', ts: T0 - 400 },
      ] as const;
      await store.add([...added]);
      assert.deepEqual(await store.list(), [...rows, ...added]);
      const exported = JSON.parse(await store.exportJson()) as HistoryExport;
      assert.deepEqual(exported.events.map((e) => e.type), ['view', 'rating', 'rating', 'cart', 'like', 'dislike']);
      store.close();

      // A reload (a new connection at the same version) reads the same rows back.
      const again = await open({ dbName, now: () => T0 });
      assert.equal(await again.count(), 6);
      assert.deepEqual((await again.list()).slice(-2), [...added]);
      const raw = await openRaw(dbName);
      assert.equal(raw.version, HISTORY_DB_VERSION);
      raw.close();
    });
  }
});

test('a version-1 database is upgraded in place: events survive, meta appears', async () => {
  await withStores(async (open) => {
    const dbName = freshName('upgrade');
    const v1 = await openRaw(dbName, 1, (db) => {
      db.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
    });
    const tx = v1.transaction('events', 'readwrite');
    tx.objectStore('events').add({ type: 'view', itemId: 'first', ts: T0 - 2000 });
    tx.objectStore('events').add({ type: 'rating', itemId: 'second', value: 3, ts: T0 - 1000 });
    await new Promise((resolve) => (tx.oncomplete = resolve));
    v1.close();

    const store = await open({ dbName, now: () => T0 });
    assert.deepEqual(await store.list(), [
      { type: 'view', itemId: 'first', ts: T0 - 2000 },
      { type: 'rating', itemId: 'second', value: 3, ts: T0 - 1000 },
    ]);

    const raw = await openRaw(dbName);
    assert.equal(raw.version, HISTORY_DB_VERSION);
    assert.equal(HISTORY_DB_VERSION, 2);
    assert.deepEqual([...raw.objectStoreNames].sort(), ['events', 'meta']);
    assert.equal(raw.transaction('meta').objectStore('meta').keyPath, 'key');
    raw.close();
  });
});

test('an old tab that will not let go: a clear "blocked" error, not a hang', async () => {
  await withStores(async (open) => {
    const dbName = freshName('blocked');
    // An old page: version 1, and no versionchange handler, so it never closes.
    const oldTab = await openRaw(dbName, 1, (db) => {
      db.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
    });
    await assert.rejects(open({ dbName }), (error: unknown) => {
      assert.ok(error instanceof HistoryError);
      assert.equal(error.code, 'blocked');
      assert.match(error.message, /another tab still has the old version open/);
      return true;
    });
    oldTab.close();
    // The blocked open completes once the old tab lets go; the store closes that late connection.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const store = await open({ dbName });
    assert.equal(await store.count(), 0);
  });
});

test('an old tab that lets go shortly after "blocked": the upgrade goes through', async () => {
  await withStores(async (open) => {
    const dbName = freshName('blocked-briefly');
    const oldTab = await openRaw(dbName, 1, (db) => {
      db.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
    });
    oldTab.onversionchange = () => setTimeout(() => oldTab.close(), 100);
    const store = await open({ dbName });
    await store.add({ type: 'view', itemId: 'a' });
    assert.equal(await store.count(), 1);
  });
});

test('a newer version elsewhere: this store closes so it can upgrade, then says why', async () => {
  await withStores(async (open) => {
    const dbName = freshName('versionchange');
    const store = await open({ dbName });
    await store.add({ type: 'view', itemId: 'a' });

    const newer = await openRaw(dbName, HISTORY_DB_VERSION + 1);
    assert.equal(newer.version, HISTORY_DB_VERSION + 1);
    newer.close();

    await assert.rejects(store.list(), (error: unknown) => {
      assert.ok(error instanceof HistoryError);
      assert.equal(error.code, 'closed');
      assert.match(error.message, /upgraded or deleted by another tab/);
      return true;
    });
    await assert.rejects(open({ dbName }), (error: unknown) => {
      assert.ok(error instanceof HistoryError);
      assert.equal(error.code, 'version');
      return true;
    });
  });
});

test('onChange fires here (self) and in other stores on the same database (other)', async () => {
  await withStores(async (open) => {
    const dbName = freshName('change');
    const tabA = await open({ dbName });
    const tabB = await open({ dbName });
    const unrelated = await open({ dbName: freshName('change-other') });
    const heardByUnrelated: HistoryChange[] = [];
    unrelated.onChange((change) => heardByUnrelated.push(change));

    const selfChange = nextChange(tabA);
    const otherChange = nextChange(tabB);
    await tabA.add({ type: 'view', itemId: 'x' });
    assert.deepEqual(await selfChange, { kind: 'add', source: 'self' });
    assert.deepEqual(await otherChange, { kind: 'add', source: 'other' });

    const forgotten = nextChange(tabA);
    await tabB.forget();
    assert.deepEqual(await forgotten, { kind: 'forget', source: 'other' });

    const heard: HistoryChange[] = [];
    const stop = tabA.onChange((change) => heard.push(change));
    stop();
    await tabA.add({ type: 'view', itemId: 'y' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(heard, []);
    assert.deepEqual(heardByUnrelated, []);
  });
});

test('a failed validation does not notify', async () => {
  await withStores(async (open) => {
    const store = await open({ dbName: freshName('no-change') });
    const heard: HistoryChange[] = [];
    store.onChange((change) => heard.push(change));
    await assert.rejects(store.add({ type: 'view', itemId: '' }), EventError);
    assert.deepEqual(heard, []);
  });
});

test('an injected IDBFactory is used instead of the global one', async () => {
  const factory = new FakeIDBFactory();
  const dbName = freshName('factory');
  await withStores(async (open) => {
    const store = await open({ dbName, idbFactory: factory });
    await store.add({ type: 'view', itemId: 'z' });
    assert.equal(await store.count(), 1);
  });
  const globalNames = (await indexedDB.databases()).map((info) => info.name);
  assert.equal(globalNames.includes(dbName), false);
  const privateNames = (await factory.databases()).map((info) => info.name);
  assert.equal(privateNames.includes(dbName), true);
});

test('a closed store rejects with code "closed"; bad limits are a RangeError', async () => {
  const store = await openHistory({ dbName: freshName('closed') });
  store.close();
  await assert.rejects(store.add({ type: 'view', itemId: 'a' }), (error: unknown) => {
    assert.ok(error instanceof HistoryError);
    assert.equal(error.code, 'closed');
    return true;
  });
  await assert.rejects(openHistory({ maxEvents: 0 }), RangeError);
  await assert.rejects(openHistory({ maxAgeDays: Number.NaN }), RangeError);
});
