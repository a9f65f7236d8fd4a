/**
 * The history as consent allows: with consent, events go to IndexedDB (shared by the
 * shop's tabs and read by the worker); without it, they stay in this page's memory and are
 * gone when the page closes. Without consent IndexedDB is not even opened, so nothing at
 * all is written to the device. Documented in docs/embed.md ("Consent").
 */
import type { PulseEvent } from '../core/types.ts';
import { HistoryError, openHistory, type HistoryChange, type HistoryOptions, type HistoryStore } from './history.ts';
import { createMemoryHistory } from './memory-history.ts';

export interface ConsentHistoryOptions extends HistoryOptions {
  /** True: store on the device (IndexedDB). False: keep events in memory only. */
  consent: boolean;
  /**
   * Called once if IndexedDB turns out to be unusable here (private browsing, blocked site
   * data): the history then stays in memory instead of failing every write.
   */
  onUnavailable?: (error: HistoryError) => void;
}

export interface ConsentHistory extends HistoryStore {
  /** True while events are stored in IndexedDB; false while they live in memory only. */
  readonly persistent: boolean;
  /**
   * Granting moves this page's in-memory events into IndexedDB (nothing the shopper did
   * is lost); withdrawing switches to memory at once and stops reading the stored history
   * (it stays on the device until `forget`).
   */
  setConsent(granted: boolean): Promise<void>;
}

export function openConsentHistory(options: ConsentHistoryOptions): ConsentHistory {
  const dbName = options.dbName ?? 'pulse';
  const listeners = new Set<(change: HistoryChange) => void>();
  const emit = (change: HistoryChange): void => {
    for (const listener of [...listeners]) listener(change);
  };
  let persistent = options.consent;
  let memory = createMemoryHistory(options);
  memory.onChange(emit);
  const freshMemory = (): void => {
    memory.close();
    memory = createMemoryHistory(options);
    memory.onChange(emit);
  };

  let stored: Promise<HistoryStore> | null = null;
  const openStored = (): Promise<HistoryStore> => {
    stored ??= openHistory(options).then((store) => {
      // Other tabs' changes matter only while this page reads the stored history.
      store.onChange((change) => {
        if (persistent) emit(change);
      });
      return store;
    });
    // A failed open is retried on the next call instead of being remembered forever.
    stored.catch(() => {
      stored = null;
    });
    return stored;
  };
  if (persistent) openStored().catch(() => {});

  /** Whether a stored history exists, without creating one by asking. */
  const storedExists = async (): Promise<boolean> => {
    if (stored) return true;
    const factory = options.idbFactory ?? globalThis.indexedDB;
    if (!factory) return false;
    if (typeof factory.databases !== 'function') return true;
    return (await factory.databases()).some((db) => db.name === dbName);
  };

  const current = async (): Promise<HistoryStore> => {
    if (!persistent) return memory;
    try {
      return await openStored();
    } catch (error) {
      if (!(error instanceof HistoryError) || error.code !== 'unavailable') throw error;
      // Nothing can be stored on this device; the shopper still gets this page's events used.
      persistent = false;
      options.onUnavailable?.(error);
      return memory;
    }
  };

  return {
    dbName,
    get persistent() {
      return persistent;
    },
    async add(events) {
      return (await current()).add(events);
    },
    async list(): Promise<PulseEvent[]> {
      return (await current()).list();
    },
    async count() {
      return (await current()).count();
    },
    async exportJson() {
      return (await current()).exportJson();
    },
    async forget() {
      await memory.forget();
      if (await storedExists()) await (await openStored()).forget();
    },
    async setConsent(granted) {
      if (granted === persistent) return;
      if (granted) {
        const store = await openStored();
        const pending = await memory.list();
        if (pending.length > 0) await store.add(pending);
        persistent = true;
        freshMemory();
        emit({ kind: 'add', source: 'self' });
      } else {
        persistent = false;
        freshMemory();
        // What the page shows as history just became empty.
        emit({ kind: 'forget', source: 'self' });
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      listeners.clear();
      memory.close();
      void stored?.then((store) => store.close(), () => {});
    },
  };
}
