/**
 * The shopper's history in this browser's IndexedDB (schema, versions, retention, export,
 * forget, change notifications). Documented in docs/history.md.
 *
 * Runs unchanged in a page and in a Web Worker: it touches only IndexedDB,
 * BroadcastChannel and idb — no DOM, no Node.
 */
import { wrap } from 'idb';
import type { DBSchema, IDBPDatabase, IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import { isStoredEvent, validateEvents } from '../core/event.ts';
import type { EventInput, PulseEvent } from '../core/types.ts';
import { OPEN_TIMEOUT_MS, STORAGE_TIMEOUT_MS, withDeadline } from './deadline.ts';

const DAY_MS = 86_400_000;
const DEFAULT_DB_NAME = 'pulse';
const DEFAULT_MAX_EVENTS = 1000;
const DEFAULT_MAX_AGE_DAYS = 365;

export const HISTORY_EXPORT_FORMAT = 'pulse-history';
/** Version of the export document, independent of the database version. */
export const HISTORY_EXPORT_VERSION = 1;

/** A key-value row of the `meta` store (cache entries and similar bookkeeping). */
export interface MetaEntry {
  key: string;
  value: unknown;
}

interface HistorySchema extends DBSchema {
  /** Out-of-line autoIncrement keys, so a stored value is exactly a PulseEvent. */
  events: { key: number; value: PulseEvent; indexes: { ts: number } };
  meta: { key: string; value: MetaEntry };
}

/** Upgrades a database from version v to v + 1 inside the versionchange transaction. */
export type Migration = (db: IDBDatabase, transaction: IDBTransaction) => void;

/**
 * `migrations[v]` upgrades version v to v + 1; the database version is the list's length.
 * Never edit a shipped step: browsers hold databases at every earlier version.
 */
export const migrations: readonly Migration[] = [
  (db) => {
    db.createObjectStore('events', { autoIncrement: true }).createIndex('ts', 'ts');
  },
  (db) => {
    db.createObjectStore('meta', { keyPath: 'key' });
  },
];

export const HISTORY_DB_VERSION = migrations.length;

export type HistoryErrorCode = 'quota' | 'blocked' | 'version' | 'closed' | 'unavailable' | 'timeout' | 'failed';

/** A storage failure, with a message meant to be shown to a person. `cause` keeps the original. */
export class HistoryError extends Error {
  override name = 'HistoryError';
  constructor(
    readonly code: HistoryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';
}

function errorText(error: unknown): string {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return `${String(name ?? 'Error')}: ${String(message ?? '')}`;
  }
  return String(error);
}

/** Maps what IndexedDB throws to a HistoryError; `action` completes "could not …". */
export function toHistoryError(error: unknown, action: string): HistoryError {
  if (error instanceof HistoryError) return error;
  switch (errorName(error)) {
    case 'QuotaExceededError':
      return new HistoryError(
        'quota',
        `browser storage is full, so Pulse could not ${action}; nothing was saved. ` +
          'Free some disk space or clear site data for this shop, then try again.',
        { cause: error },
      );
    case 'VersionError':
      return new HistoryError(
        'version',
        `this browser holds Pulse history from a newer version than this page supports ` +
          `(it supports database version ${HISTORY_DB_VERSION}); reload the page to get the current version`,
        { cause: error },
      );
    default:
      return new HistoryError('failed', `could not ${action}: ${errorText(error)}`, { cause: error });
  }
}

/** The transaction's own error says more than the AbortError its requests report (quota shows up there). */
function rootCause(transaction: { error: DOMException | null }, error: unknown): unknown {
  if (errorName(error) !== 'AbortError') return error;
  try {
    return transaction.error ?? error;
  } catch {
    return error;
  }
}

export interface HistoryOptions {
  /** IndexedDB database name; default "pulse". */
  dbName?: string;
  /** Oldest events beyond this count are dropped on write. Default 1000. */
  maxEvents?: number;
  /** Events older than this are dropped on write and ignored on read. Default 365. */
  maxAgeDays?: number;
  /** Default: the global `indexedDB` of the page or worker. */
  idbFactory?: IDBFactory;
  /** Clock in milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /**
   * The bound on every storage wait (opening, each transaction) before it rejects with code
   * "timeout" (or "blocked"); default OPEN_TIMEOUT_MS to open, STORAGE_TIMEOUT_MS per transaction.
   */
  timeoutMs?: number;
  /**
   * Called when an open that was given up on (blocked by another tab, or past its bound)
   * completes after all: the database is usable again, so a caller can retry now.
   */
  onLateOpen?: () => void;
}

/**
 * What changed. `source` is `self` when this HistoryStore made the change, `other` when
 * another store on the same database did (another tab, a worker, or a second store here).
 */
export interface HistoryChange {
  kind: 'add' | 'forget';
  source: 'self' | 'other';
}

/** The export document: self-describing so an import (or a person) can tell what it holds. */
export interface HistoryExport {
  format: typeof HISTORY_EXPORT_FORMAT;
  version: typeof HISTORY_EXPORT_VERSION;
  /** ISO 8601. */
  exportedAt: string;
  /** Oldest first, as `list()` returns them. */
  events: PulseEvent[];
}

export interface HistoryStore {
  readonly dbName: string;
  /**
   * Validates every event first (an EventError names the bad one; nothing is written),
   * then writes the batch and applies retention in one transaction. Returns the stored
   * form of the events (trimmed ids, `ts` filled in).
   */
  add(events: EventInput | EventInput[]): Promise<PulseEvent[]>;
  /** Events within maxAgeDays, oldest first (by ts, then by order of writing). */
  list(): Promise<PulseEvent[]>;
  /** How many events `list()` would return. */
  count(): Promise<number>;
  /** A pretty-printed HistoryExport. */
  exportJson(): Promise<string>;
  /** Clears every object store of the database in one transaction. */
  forget(): Promise<void>;
  /**
   * When this history began (ms since the epoch): recorded in the `meta` store the first
   * time it is asked, so `fresh` is true when this call started it (a new or cleared database).
   */
  since(): Promise<{ since: number; fresh: boolean }>;
  /** Called after every successful add or forget, here or elsewhere; returns an unsubscribe. */
  onChange(listener: (change: HistoryChange) => void): () => void;
  /** Closes the connection and the change channel; later calls reject with code "closed". */
  close(): void;
}

interface Limits {
  maxEvents: number;
  maxAgeDays: number;
}

function readLimits(options: HistoryOptions): Limits {
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const maxAgeDays = options.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  if (!Number.isInteger(maxEvents) || maxEvents < 1) {
    throw new RangeError(`maxEvents must be a positive integer; got ${maxEvents}`);
  }
  if (!Number.isFinite(maxAgeDays) || maxAgeDays <= 0) {
    throw new RangeError(`maxAgeDays must be a positive number; got ${maxAgeDays}`);
  }
  return { maxEvents, maxAgeDays };
}

function upgrade(db: IDBDatabase, transaction: IDBTransaction, oldVersion: number): void {
  for (let version = oldVersion; version < HISTORY_DB_VERSION; version++) {
    const migrate = migrations[version];
    if (migrate === undefined) throw new Error(`no migration from history database version ${version}`);
    migrate(db, transaction);
  }
}

/**
 * How long an upgrade waits for another tab to let go after `blocked` fires: tabs running
 * this code close at once, but a browser may report `blocked` before their close lands.
 */
const BLOCKED_GRACE_MS = 1000;

/**
 * Opens (and upgrades) the database. An open that another tab keeps blocking is rejected
 * after a short grace period rather than left pending forever: the shopper gets a message
 * they can act on. Should the other tab let go later, the late connection is closed again
 * so it blocks nobody.
 */
function openDatabase(factory: IDBFactory, name: string, timeoutMs: number, onLateOpen?: () => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let upgradeError: unknown = null;
    let blockedTimer: ReturnType<typeof setTimeout> | undefined;
    const fail = (error: HistoryError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(blockedTimer);
      clearTimeout(deadline);
      reject(error);
    };
    // An open queued behind another tab's blocked upgrade gets no "blocked" event of its own
    // and would wait as long as that tab lives.
    const deadline = setTimeout(
      () =>
        fail(
          new HistoryError(
            'timeout',
            `Pulse's history did not open within ${timeoutMs} ms (another tab of this shop may be holding or upgrading it); ` +
              "this page's events are kept in memory meanwhile",
          ),
        ),
      timeoutMs,
    );

    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, HISTORY_DB_VERSION);
    } catch (error) {
      fail(unavailable(error));
      return;
    }

    request.onupgradeneeded = (event) => {
      const transaction = request.transaction;
      if (transaction === null) return;
      try {
        upgrade(request.result, transaction, event.oldVersion);
      } catch (error) {
        upgradeError = error;
        transaction.abort();
      }
    };
    request.onblocked = (event) => {
      const error = new HistoryError(
        'blocked',
        `Pulse's history needs an upgrade (database version ${event.oldVersion} → ${HISTORY_DB_VERSION}) ` +
          'but another tab still has the old version open; close or reload the other tabs of this shop, then try again',
      );
      blockedTimer ??= setTimeout(() => fail(error), BLOCKED_GRACE_MS);
    };
    request.onsuccess = () => {
      if (settled) {
        request.result.close();
        onLateOpen?.();
        return;
      }
      settled = true;
      clearTimeout(blockedTimer);
      clearTimeout(deadline);
      resolve(request.result);
    };
    request.onerror = (event) => {
      // Handled here; without this some browsers also report it as an uncaught error.
      event.preventDefault();
      const error = upgradeError ?? request.error;
      if (upgradeError !== null) {
        fail(toHistoryError(error, `upgrade the history database to version ${HISTORY_DB_VERSION}`));
      } else if (errorName(error) === 'VersionError' || errorName(error) === 'QuotaExceededError') {
        fail(toHistoryError(error, 'open the history'));
      } else {
        fail(unavailable(error));
      }
    };
  });
}

function unavailable(cause: unknown): HistoryError {
  return new HistoryError(
    'unavailable',
    `IndexedDB is not available here (${cause === undefined ? 'no indexedDB' : errorText(cause)}), ` +
      'so Pulse cannot keep a history in this browser (private browsing or blocked site data?)',
    { cause },
  );
}

type Db = IDBPDatabase<HistorySchema>;
type EventsStore = IDBPObjectStore<HistorySchema, ['events'], 'events', 'readwrite'>;

/**
 * Runs `work` in one transaction and waits for the commit, so success means durable.
 * Any failure aborts the whole transaction: a batch is written entirely or not at all.
 */
async function transact<Names extends StoreNames<HistorySchema>[], Mode extends IDBTransactionMode, T>(
  db: Db,
  names: Names,
  mode: Mode,
  action: string,
  timeoutMs: number,
  work: (transaction: IDBPTransaction<HistorySchema, Names, Mode>) => Promise<T>,
): Promise<T> {
  let transaction: IDBPTransaction<HistorySchema, Names, Mode>;
  try {
    transaction = db.transaction(names, mode);
  } catch (error) {
    throw toHistoryError(error, action);
  }
  try {
    // A transaction waits for every earlier one on its stores, in any tab: bounded here, and
    // aborted when given up on so it cannot commit after its caller was told it failed.
    const [result] = await withDeadline(Promise.all([work(transaction), transaction.done]), timeoutMs, () => {
      return new HistoryError(
        'timeout',
        `could not ${action} within ${timeoutMs} ms (the database is busy, perhaps in another tab); nothing was changed`,
      );
    });
    return result;
  } catch (error) {
    try {
      transaction.abort();
    } catch {
      // Already committed or aborted.
    }
    throw toHistoryError(rootCause(transaction, error), action);
  }
}

/**
 * Issues every request before awaiting any, so they queue back to back. Should one
 * throw synchronously, the requests already issued reject when the transaction aborts, so
 * they get a handler here instead of surfacing as unhandled rejections.
 */
async function issueAll<T>(items: readonly T[], issue: (item: T) => Promise<unknown>): Promise<void> {
  const pending: Promise<unknown>[] = [];
  try {
    for (const item of items) pending.push(issue(item));
  } catch (error) {
    for (const request of pending) request.catch(() => undefined);
    throw error;
  }
  await Promise.all(pending);
}

/**
 * Walks events oldest first (the ts index) and deletes while an event is past maxAge or
 * the store holds more than maxEvents: both rules want the oldest gone, so one pass does.
 */
async function applyRetention(store: EventsStore, now: number, limits: Limits): Promise<void> {
  const cutoff = now - limits.maxAgeDays * DAY_MS;
  const indexed = await store.index('ts').count();
  // Rows that are not events (an older build wrote a sparse batch's holes as rows) have no ts,
  // so the index never sees them: they are removed here rather than counted against retention.
  if ((await store.count()) !== indexed) await removeMalformed(store);
  let excess = indexed - limits.maxEvents;
  let cursor = await store.index('ts').openCursor();
  while (cursor !== null && (excess > 0 || cursor.value.ts < cutoff)) {
    await cursor.delete();
    excess--;
    cursor = await cursor.continue();
  }
}

async function removeMalformed(store: EventsStore): Promise<void> {
  let cursor = await store.openCursor();
  while (cursor !== null) {
    if (!isStoredEvent(cursor.value)) await cursor.delete();
    cursor = await cursor.continue();
  }
}

const CHANNEL_PREFIX = 'pulse-history:';
/** The `meta` row holding when this history began; cleared with everything else by forget. */
const SINCE_KEY = 'history:since';

function isChangeKind(value: unknown): value is HistoryChange['kind'] {
  return value === 'add' || value === 'forget';
}

/** Opens the shopper's history; rejects with a HistoryError when storage is unusable. */
export async function openHistory(options: HistoryOptions = {}): Promise<HistoryStore> {
  const dbName = options.dbName ?? DEFAULT_DB_NAME;
  const limits = readLimits(options);
  const clock = options.now ?? Date.now;
  const factory = options.idbFactory ?? (globalThis.indexedDB as IDBFactory | undefined);
  if (factory === undefined) throw unavailable(undefined);

  const timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS;
  const raw = await openDatabase(factory, dbName, options.timeoutMs ?? OPEN_TIMEOUT_MS, options.onLateOpen);
  const db = wrap(raw) as unknown as Db;
  let closedBecause: HistoryError | null = null;

  // Closing at once is what lets another tab upgrade (or delete) the database instead
  // of being blocked by us; this store is then unusable and says so.
  raw.onversionchange = () => {
    raw.close();
    closedBecause ??= new HistoryError('closed', "Pulse's history was upgraded or deleted by another tab of this shop");
  };
  raw.onclose = () => {
    closedBecause ??= new HistoryError('closed', "the browser closed Pulse's history database (site data cleared or a storage failure)");
  };

  const listeners = new Set<(change: HistoryChange) => void>();
  const emit = (change: HistoryChange): void => {
    for (const listener of [...listeners]) {
      try {
        listener(change);
      } catch (error) {
        // One faulty listener must not silence the others; report it like an event handler would.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_PREFIX + dbName);
  if (channel !== null) {
    channel.onmessage = (message: MessageEvent<unknown>) => {
      const data = message.data;
      if (typeof data === 'object' && data !== null && 'kind' in data && isChangeKind(data.kind)) {
        emit({ kind: data.kind, source: 'other' });
      }
    };
  }

  const changed = (kind: HistoryChange['kind']): void => {
    try {
      channel?.postMessage({ kind });
    } catch {
      // The write succeeded; a failed notification must not turn it into an error.
    }
    emit({ kind, source: 'self' });
  };

  const database = (): Db => {
    if (closedBecause !== null) throw closedBecause;
    return db;
  };

  const list = async (): Promise<PulseEvent[]> => {
    const cutoff = clock() - limits.maxAgeDays * DAY_MS;
    const events = await transact(database(), ['events'], 'readonly', 'read the history', timeoutMs, (transaction) =>
      transaction.objectStore('events').index('ts').getAll(),
    );
    return events.filter((event) => isStoredEvent(event) && event.ts >= cutoff);
  };

  return {
    dbName,

    async add(input) {
      const now = clock();
      const events = validateEvents(input, now);
      if (events.length === 0) return [];
      await transact(database(), ['events'], 'readwrite', 'save events', timeoutMs, async (transaction) => {
        const store = transaction.objectStore('events');
        await issueAll(events, (event) => store.add(event));
        await applyRetention(store, now, limits);
      });
      changed('add');
      return events;
    },

    list,

    async count() {
      const cutoff = clock() - limits.maxAgeDays * DAY_MS;
      return transact(database(), ['events'], 'readonly', 'count the history', timeoutMs, async (transaction) => {
        const store = transaction.objectStore('events');
        // The ts index holds events only, never a malformed row (see applyRetention).
        let total = await store.index('ts').count();
        // Expired events sit at the start of the ts index, so only they are walked.
        let cursor = await store.index('ts').openKeyCursor();
        while (cursor !== null && cursor.key < cutoff) {
          total--;
          cursor = await cursor.continue();
        }
        return total;
      });
    },

    async exportJson() {
      const events = await list();
      const document: HistoryExport = {
        format: HISTORY_EXPORT_FORMAT,
        version: HISTORY_EXPORT_VERSION,
        exportedAt: new Date(clock()).toISOString(),
        events,
      };
      return JSON.stringify(document, null, 2);
    },

    async forget() {
      // Clearing, not deleteDatabase: a delete waits (possibly forever) for every other tab
      // to let go and leaves their connections dead, whereas clearing is one atomic
      // transaction that works while other tabs hold the database, and they stay usable.
      const current = database();
      const names = [...current.objectStoreNames];
      await transact(current, names, 'readwrite', 'forget the history', timeoutMs, async (transaction) => {
        await issueAll(names, (name) => transaction.objectStore(name).clear());
      });
      changed('forget');
    },

    async since() {
      return transact(database(), ['meta'], 'readwrite', 'read when the history began', timeoutMs, async (transaction) => {
        const meta = transaction.objectStore('meta');
        const entry = await meta.get(SINCE_KEY);
        if (entry !== undefined && typeof entry.value === 'number') return { since: entry.value, fresh: false };
        const since = clock();
        await meta.put({ key: SINCE_KEY, value: since });
        return { since, fresh: true };
      });
    },

    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    close() {
      closedBecause = new HistoryError('closed', 'the history store was closed');
      listeners.clear();
      channel?.close();
      raw.close();
    },
  };
}

/**
 * Clears every store of the database at whatever version it is — a newer schema this page
 * cannot use, or an older one another tab keeps from upgrading — without upgrading or
 * creating it: `forget()` must work whatever state the database is in. Bounded like every
 * other wait; a database that does not exist is left not existing.
 */
export async function eraseHistory(options: { dbName?: string; idbFactory?: IDBFactory; timeoutMs?: number } = {}): Promise<void> {
  const name = options.dbName ?? DEFAULT_DB_NAME;
  const factory = options.idbFactory ?? (globalThis.indexedDB as IDBFactory | undefined);
  if (factory === undefined) return;
  const timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS;
  const stuck = () =>
    new HistoryError('timeout', `could not erase Pulse's stored history within ${timeoutMs} ms (another tab of this shop holds it)`);
  const opened = new Promise<IDBDatabase | null>((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name);
    } catch (error) {
      reject(unavailable(error));
      return;
    }
    let created = false;
    // No version asked: an upgrade only happens when there was no database, and aborting it
    // rolls the creation back.
    request.onupgradeneeded = () => {
      created = true;
      request.transaction?.abort();
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = (event) => {
      event.preventDefault();
      if (created) resolve(null);
      else reject(toHistoryError(request.error, 'erase the history'));
    };
  });
  const raw = await withDeadline(opened, timeoutMs, stuck, (late) => late?.close());
  if (raw === null) return;
  try {
    const names = [...raw.objectStoreNames];
    if (names.length === 0) return;
    const transaction = raw.transaction(names, 'readwrite');
    const done = new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onabort = () => reject(toHistoryError(transaction.error, 'erase the history'));
    });
    for (const store of names) transaction.objectStore(store).clear();
    await withDeadline(done, timeoutMs, () => {
      try {
        transaction.abort();
      } catch {
        // Already finished.
      }
      return stuck();
    });
  } finally {
    raw.close();
  }
}
