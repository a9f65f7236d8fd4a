/**
 * The ToT-lite result cache: the chosen rationale per history fingerprint, in the history
 * database's `meta` store (keys `rationale:<fingerprint>`). Living in the history database
 * means `forget()` — which clears every store — wipes it with the history, and it opens
 * through the same migration list, so there is one schema and one version.
 *
 * Failures here never cost a recommendation: the caller treats every error as a miss.
 */
import { fnv1a, hex32 } from '../core/hash.ts';
import type { PulseEvent } from '../core/types.ts';
import { STORAGE_TIMEOUT_MS, withDeadline } from './deadline.ts';
import { HISTORY_DB_VERSION, migrations, type MetaEntry } from './history.ts';

/** A cache that is slow to answer is a miss: the caller never waits longer than this. */
const stuck = () => new Error(`the rationale cache did not answer within ${STORAGE_TIMEOUT_MS} ms`);

const KEY_PREFIX = 'rationale:';
/** Older entries are pruned beyond this many: a history changes, its old rationales are dead. */
export const RATIONALE_CACHE_LIMIT = 16;

export interface CachedRationale {
  text: string;
  model: string;
  score: number;
  candidates: number;
  createdAt: number;
}

export interface RationaleCache {
  get(fingerprint: string): Promise<CachedRationale | null>;
  put(fingerprint: string, rationale: CachedRationale): Promise<void>;
  close(): void;
}

/**
 * Identifies a history for caching: every event in order (type, item, value, time) plus
 * `salt` — the model, dtype and generation settings, so switching models misses the cache.
 * 64 bits from two FNV-1a passes: collisions would need ~4 billion histories on one device.
 */
export function historyFingerprint(events: readonly PulseEvent[], salt: string): string {
  const text = `${salt}\u0002${events.map((e) => `${e.type}\u0000${e.itemId}\u0000${e.value ?? ''}\u0000${e.ts}`).join('\u0001')}`;
  return hex32(fnv1a(text)) + hex32(fnv1a(text, 0x01000193 ^ 0x5bd1e995));
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
    transaction.onerror = () => reject(transaction.error);
  });
}

function open(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory.open(name, HISTORY_DB_VERSION);
    req.onupgradeneeded = (event) => {
      // Normally the history store has already upgraded the database; if this opens
      // first, it runs the very same steps.
      const transaction = req.transaction!;
      for (let v = event.oldVersion; v < HISTORY_DB_VERSION; v++) migrations[v]!(req.result, transaction);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = (event) => {
      event.preventDefault();
      reject(req.error);
    };
    req.onblocked = () => reject(new Error(`the rationale cache could not open "${name}": another tab blocks its upgrade`));
  });
}

export async function openRationaleCache(options: { dbName: string; idbFactory?: IDBFactory; now?: () => number }): Promise<RationaleCache> {
  const factory = options.idbFactory ?? globalThis.indexedDB;
  const now = options.now ?? Date.now;
  // An open queued behind another tab's blocked upgrade would wait as long as that tab lives.
  let db: IDBDatabase | null = await withDeadline(open(factory, options.dbName), STORAGE_TIMEOUT_MS, stuck, (late) => late.close());
  // Let another tab upgrade or delete the database; the cache then just misses.
  db.onversionchange = () => {
    db?.close();
    db = null;
  };
  const range = IDBKeyRange.bound(KEY_PREFIX, `${KEY_PREFIX}\uffff`);

  return {
    async get(fingerprint) {
      if (!db) return null;
      const transaction = db.transaction('meta', 'readonly');
      const entry = (await withDeadline(request(transaction.objectStore('meta').get(KEY_PREFIX + fingerprint)), STORAGE_TIMEOUT_MS, stuck)) as
        | MetaEntry
        | undefined;
      return (entry?.value as CachedRationale | undefined) ?? null;
    },
    async put(fingerprint, rationale) {
      if (!db) return;
      const transaction = db.transaction('meta', 'readwrite');
      const store = transaction.objectStore('meta');
      store.put({ key: KEY_PREFIX + fingerprint, value: { ...rationale, createdAt: rationale.createdAt || now() } } satisfies MetaEntry);
      const entries = (await withDeadline(request(store.getAll(range)), STORAGE_TIMEOUT_MS, stuck)) as MetaEntry[];
      if (entries.length > RATIONALE_CACHE_LIMIT) {
        const oldest = entries
          .sort((a, b) => (a.value as CachedRationale).createdAt - (b.value as CachedRationale).createdAt)
          .slice(0, entries.length - RATIONALE_CACHE_LIMIT);
        for (const entry of oldest) store.delete(entry.key);
      }
      await withDeadline(done(transaction), STORAGE_TIMEOUT_MS, () => {
        try {
          transaction.abort();
        } catch {
          // Already finished.
        }
        return stuck();
      });
    },
    close() {
      db?.close();
      db = null;
    },
  };
}
