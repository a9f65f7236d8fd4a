/**
 * The history as consent and the device allow. With consent, events go to IndexedDB (shared
 * by the shop's tabs and read by the worker); without it, they stay in this page's memory and
 * are gone when the page closes. Without consent IndexedDB is not even opened, so nothing at
 * all is written to the device. Documented in docs/embed.md ("Consent") and docs/history.md.
 *
 * Three promises hold whatever the database does:
 * - **Order as issued.** Every operation runs in one queue, so a `forget()` erases everything
 *   tracked before it even while the database is still opening, and a read sees every
 *   earlier write.
 * - **No hangs.** Every wait on IndexedDB is bounded (history.ts); when the database is
 *   blocked by an old tab, stuck, deleted under us or from a newer schema, the page carries on
 *   with this page's events in memory, `status().degraded` says why, and the database is
 *   taken back (with those events) as soon as it opens again — no reload.
 * - **A wipe is told.** A marker in a second store (localStorage) remembers when the history
 *   began, so a history cleared by the browser rather than by `forget()` is reported.
 */
import type { PulseEvent } from '../core/types.ts';
import { STORAGE_TIMEOUT_MS, withDeadline } from './deadline.ts';
import {
  HistoryError,
  eraseHistory,
  openHistory,
  toHistoryError,
  type HistoryChange,
  type HistoryErrorCode,
  type HistoryOptions,
  type HistoryStore,
} from './history.ts';
import { createMemoryHistory } from './memory-history.ts';

/** What `status().history` says about where the shopper's history lives. */
export interface HistoryStatus {
  /** Whether the shopper allowed storing the history on this device. */
  consent: boolean;
  /** Where this page's events go now: IndexedDB ("device") or this page's memory ("memory"). */
  storage: 'device' | 'memory';
  /**
   * Why events stay in memory although consent was given (HistoryError code and message:
   * "blocked" by an old tab, "version" for a newer schema, "timeout", "closed", "unavailable");
   * Pulse keeps trying to get the database back. null otherwise.
   */
  degraded: { code: HistoryErrorCode; reason: string } | null;
  /**
   * The browser's answer to `navigator.storage.persist()`, asked once consent is given: true
   * means it will not evict the history under storage pressure. null: not asked or unsupported.
   */
  persisted: boolean | null;
  /**
   * True when the history on this device was wiped by something other than `forget()` (the
   * browser cleared site data or evicted it) since this shop last saw it: a fresh start to explain.
   */
  resetDetected: boolean;
  /** When the history on this device began (ms since the epoch); null without consent or before it opened. */
  since: number | null;
}

/** A small second store (localStorage on a page) that outlives an IndexedDB wipe, or is wiped separately. */
export interface ResetMarker {
  read(): string | null;
  write(value: string): void;
}

export interface ConsentHistoryOptions extends Omit<HistoryOptions, 'onLateOpen'> {
  /** True: store on the device (IndexedDB). False: keep events in memory only. */
  consent: boolean;
  /**
   * Called once if IndexedDB turns out to be unusable here (private browsing, blocked site
   * data): the history then stays in memory instead of failing every write.
   */
  onUnavailable?: (error: HistoryError) => void;
  /** Asks the browser to keep this origin's storage (`navigator.storage.persist`); asked once consent is given. */
  requestPersistence?: () => Promise<boolean>;
  /** Where "when the history began" is remembered outside IndexedDB; written only with consent. */
  marker?: ResetMarker;
  /** The least time between two attempts to get a degraded database back; default 2000 ms. */
  retryMs?: number;
}

export interface ConsentHistory extends Omit<HistoryStore, 'since'> {
  /** True while events are stored in IndexedDB; false while they live in memory only. */
  readonly persistent: boolean;
  /**
   * Granting moves this page's in-memory events into IndexedDB (nothing the shopper did
   * is lost); withdrawing switches to memory at once and stops reading the stored history
   * (it stays on the device until `forget`).
   */
  setConsent(granted: boolean): Promise<void>;
  status(): HistoryStatus;
  /** Called whenever `status()` changes; returns an unsubscribe. */
  onStatus(listener: () => void): () => void;
  /**
   * After every operation issued before it: the events a request to the worker must carry,
   * or null when the worker can read them from the device itself.
   */
  snapshot(): Promise<PulseEvent[] | null>;
}

/** Failures that mean "the database is not usable now", as opposed to a refused write (quota). */
const DEGRADING: ReadonlySet<HistoryErrorCode> = new Set(['blocked', 'version', 'closed', 'unavailable', 'timeout']);
const DEFAULT_RETRY_MS = 2000;

function asHistoryError(error: unknown, action: string): HistoryError {
  return error instanceof HistoryError ? error : toHistoryError(error, action);
}

export function openConsentHistory(options: ConsentHistoryOptions): ConsentHistory {
  const dbName = options.dbName ?? 'pulse';
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const timeoutMs = options.timeoutMs ?? STORAGE_TIMEOUT_MS;
  const changeListeners = new Set<(change: HistoryChange) => void>();
  const statusListeners = new Set<() => void>();
  const emit = (change: HistoryChange): void => {
    for (const listener of [...changeListeners]) listener(change);
  };

  let consent = options.consent;
  /** The open database while it is usable; null without consent or while degraded. */
  let store: HistoryStore | null = null;
  let degraded: HistoryError | null = null;
  /** A forget that could not reach the database: done first thing when it opens again. */
  let pendingErase = false;
  let persisted: boolean | null = null;
  let askedPersistence = false;
  let resetDetected = false;
  let since: number | null = null;
  let closed = false;
  let lastAttempt = Number.NEGATIVE_INFINITY;
  let retrying = false;

  let memory = createMemoryHistory(options);
  memory.onChange(emit);
  const freshMemory = (): void => {
    memory.close();
    memory = createMemoryHistory(options);
    memory.onChange(emit);
  };

  // One queue for every operation: each starts when the one issued before it has settled.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = tail.then(operation);
    tail = run.catch(() => undefined);
    return run;
  };

  const status = (): HistoryStatus => ({
    consent,
    storage: consent && store !== null ? 'device' : 'memory',
    degraded: consent && store === null && degraded !== null ? { code: degraded.code, reason: degraded.message } : null,
    persisted,
    resetDetected,
    since: consent ? since : null,
  });
  let shown = JSON.stringify(status());
  const statusChanged = (): void => {
    const now = JSON.stringify(status());
    if (now === shown) return;
    shown = now;
    for (const listener of [...statusListeners]) listener();
  };

  const degrade = (error: HistoryError): void => {
    const first = degraded === null;
    degraded = error;
    if (first && error.code === 'unavailable') options.onUnavailable?.(error);
    statusChanged();
  };

  const askPersistence = (): void => {
    if (askedPersistence || !options.requestPersistence) return;
    askedPersistence = true;
    options.requestPersistence().then(
      (granted) => {
        persisted = granted;
        statusChanged();
      },
      () => {
        persisted = false;
        statusChanged();
      },
    );
  };

  const readMarker = (): string | null => {
    try {
      return options.marker?.read() ?? null;
    } catch {
      return null; // a blocked localStorage: no detection, no failure
    }
  };
  const noteSince = (began: { since: number; fresh: boolean }): void => {
    const remembered = readMarker();
    // A history that starts afresh while the marker remembers an earlier start was wiped.
    if (began.fresh && remembered !== null && remembered !== String(began.since)) resetDetected = true;
    since = began.since;
    try {
      options.marker?.write(String(began.since));
    } catch {
      // As above.
    }
  };

  /** Opens the database (bounded); null, with the reason in status, when it cannot be used now. */
  const attempt = async (): Promise<HistoryStore | null> => {
    lastAttempt = Date.now();
    try {
      return await openHistory({ ...options, dbName, onLateOpen: () => retrySoon(true) });
    } catch (error) {
      // A background attempt may lose the race to one that already took the database back.
      if (store === null) degrade(asHistoryError(error, 'open the history'));
      return null;
    }
  };

  /**
   * Takes an opened database into use, inside the queue: a forget it missed first, then the
   * events this page kept in memory meanwhile, so nothing is lost and order holds.
   */
  const adopt = async (opened: HistoryStore, quiet = false): Promise<HistoryStore | null> => {
    if (closed || !consent || store !== null) {
      opened.close();
      return store;
    }
    let moved = 0;
    try {
      if (pendingErase) {
        await opened.forget();
        pendingErase = false;
      }
      const pending = await memory.list();
      if (pending.length > 0) await opened.add(pending);
      moved = pending.length;
      noteSince(await opened.since());
    } catch (error) {
      opened.close();
      degrade(asHistoryError(error, 'take the history back into use'));
      return null;
    }
    store = opened;
    opened.onChange((change) => {
      if (store === opened && consent) emit(change);
    });
    const recovered = degraded !== null;
    degraded = null;
    freshMemory();
    statusChanged();
    // What the page shows as history now includes the stored events again.
    if (!quiet && (recovered || moved > 0)) emit({ kind: 'add', source: 'self' });
    return opened;
  };

  /** While degraded: another attempt in the background, at most every retryMs (at once when told it opened). */
  function retrySoon(now: boolean): void {
    if (closed || !consent || store !== null || retrying) return;
    if (!now && Date.now() - lastAttempt < retryMs) return;
    retrying = true;
    void attempt()
      .then((opened) => (opened ? serial(() => adopt(opened)) : null))
      .finally(() => {
        retrying = false;
      });
  }

  /** The store an operation uses now; runs inside the queue. */
  const target = async (): Promise<HistoryStore> => {
    if (!consent) return memory;
    if (store !== null) return store;
    if (degraded === null) {
      const opened = await attempt();
      if (opened !== null) return (await adopt(opened)) ?? memory;
      return memory;
    }
    retrySoon(false);
    return memory;
  };

  /**
   * Runs an operation on the store in use; when the database fails under it (deleted by
   * another tab, stuck), it is reopened at once or the operation runs on memory instead.
   * A refused write (quota) or an invalid event is the caller's error and is thrown.
   */
  const run = async <T>(operation: (target: HistoryStore) => Promise<T>): Promise<T> => {
    const chosen = await target();
    if (chosen === memory) return operation(memory);
    try {
      return await operation(chosen);
    } catch (error) {
      if (!(error instanceof HistoryError) || !DEGRADING.has(error.code)) throw error;
      chosen.close();
      if (store === chosen) store = null;
      degrade(error);
      // A database deleted or upgraded elsewhere can usually be opened again straight away.
      const reopened = error.code === 'closed' ? await attempt() : null;
      const next = reopened ? await adopt(reopened) : null;
      return operation(next ?? memory);
    }
  };

  /** Whether a stored history exists, without creating one by asking. */
  const storedExists = async (): Promise<boolean> => {
    if (store !== null) return true;
    const factory = options.idbFactory ?? (globalThis.indexedDB as IDBFactory | undefined);
    if (!factory) return false;
    if (typeof factory.databases !== 'function') return true;
    try {
      const names = await withDeadline(factory.databases(), timeoutMs, () => new Error('databases() did not answer'));
      return names.some((db) => db.name === dbName);
    } catch {
      return true; // cannot tell: try to erase (eraseHistory creates nothing)
    }
  };

  const forget = async (): Promise<void> => {
    await memory.forget();
    let erased = false;
    if (consent && store !== null) {
      const current = store;
      try {
        await current.forget();
        erased = true;
      } catch (error) {
        if (!(error instanceof HistoryError) || !DEGRADING.has(error.code)) throw error;
        current.close();
        store = null;
        degrade(error);
      }
    }
    if (!erased && (await storedExists())) {
      try {
        await eraseHistory({ dbName, ...(options.idbFactory ? { idbFactory: options.idbFactory } : {}), timeoutMs });
      } catch (error) {
        const cause = asHistoryError(error, 'erase the history');
        // With consent, the erase is done first thing when the database opens again.
        pendingErase = consent;
        statusChanged();
        throw new HistoryError(
          cause.code,
          `this page's events are forgotten, but the history stored on this device could not be reached (${cause.message})` +
            (consent ? '; it is erased as soon as the database opens again' : '; try again once the other tabs of this shop are closed'),
          { cause },
        );
      }
    }
    pendingErase = false;
    // A forget is a fresh start on purpose, not a wipe to report.
    resetDetected = false;
    if (consent && store !== null) noteSince(await store.since());
    else since = null;
    statusChanged();
    emit({ kind: 'forget', source: 'self' });
  };

  if (consent) {
    askPersistence();
    void serial(target);
  }

  return {
    dbName,
    get persistent() {
      return consent && store !== null;
    },
    add: (events) => serial(() => run((target) => target.add(events))),
    list: () => serial(() => run((target) => target.list())),
    count: () => serial(() => run((target) => target.count())),
    exportJson: () => serial(() => run((target) => target.exportJson())),
    forget: () => serial(forget),
    snapshot: () =>
      serial(async () => {
        const chosen = await target();
        return chosen === memory ? memory.list() : null;
      }),
    setConsent: (granted) =>
      serial(async () => {
        if (granted === consent) return;
        consent = granted;
        if (granted) {
          askPersistence();
          const opened = await attempt();
          // Unusable storage is not the shopper's error: the events stay in memory, status says why.
          if (opened !== null) await adopt(opened, true);
          statusChanged();
          emit({ kind: 'add', source: 'self' });
        } else {
          store?.close();
          store = null;
          degraded = null;
          freshMemory();
          statusChanged();
          // What the page shows as history just became empty.
          emit({ kind: 'forget', source: 'self' });
        }
      }),
    status,
    onStatus(listener) {
      statusListeners.add(listener);
      return () => {
        statusListeners.delete(listener);
      };
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => {
        changeListeners.delete(listener);
      };
    },
    close() {
      closed = true;
      changeListeners.clear();
      statusListeners.clear();
      memory.close();
      store?.close();
      store = null;
    },
  };
}
