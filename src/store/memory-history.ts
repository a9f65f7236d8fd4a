/**
 * A history that lives only in this page's memory: the same contract as the IndexedDB
 * store (validation, retention by count and age, export, forget, change notifications)
 * but nothing is written to the device. Used while the shopper has not consented to
 * storage; the page then sends these events to the worker with each request.
 */
import { validateEvents } from '../core/event.ts';
import type { PulseEvent } from '../core/types.ts';
import { HISTORY_EXPORT_FORMAT, HISTORY_EXPORT_VERSION, HistoryError, type HistoryChange, type HistoryExport, type HistoryStore } from './history.ts';

const DAY_MS = 86_400_000;

export interface MemoryHistoryOptions {
  /** Shown as `dbName` so callers can tell stores apart; nothing is opened under it. */
  dbName?: string;
  maxEvents?: number;
  maxAgeDays?: number;
  now?: () => number;
}

export function createMemoryHistory(options: MemoryHistoryOptions = {}): HistoryStore {
  const maxEvents = options.maxEvents ?? 1000;
  const maxAgeDays = options.maxAgeDays ?? 365;
  const clock = options.now ?? Date.now;
  let events: PulseEvent[] = [];
  let closed = false;
  let began: number | null = null;
  const listeners = new Set<(change: HistoryChange) => void>();
  const emit = (kind: HistoryChange['kind']): void => {
    for (const listener of [...listeners]) listener({ kind, source: 'self' });
  };
  const open = (): void => {
    if (closed) throw new HistoryError('closed', 'the history store was closed');
  };
  const list = async (): Promise<PulseEvent[]> => {
    open();
    const cutoff = clock() - maxAgeDays * DAY_MS;
    return events.filter((event) => event.ts >= cutoff);
  };

  return {
    dbName: options.dbName ?? 'memory',
    async add(input) {
      open();
      const now = clock();
      const added = validateEvents(input, now);
      if (added.length === 0) return [];
      // Stable sort by ts keeps the IndexedDB order: by ts, then by order of writing.
      events = [...events, ...added].sort((a, b) => a.ts - b.ts).slice(-maxEvents);
      emit('add');
      return added;
    },
    list,
    async count() {
      return (await list()).length;
    },
    async exportJson() {
      const document: HistoryExport = {
        format: HISTORY_EXPORT_FORMAT,
        version: HISTORY_EXPORT_VERSION,
        exportedAt: new Date(clock()).toISOString(),
        events: await list(),
      };
      return JSON.stringify(document, null, 2);
    },
    async forget() {
      open();
      events = [];
      began = null;
      emit('forget');
    },
    async since() {
      open();
      const fresh = began === null;
      began ??= clock();
      return { since: began, fresh };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      closed = true;
      events = [];
      listeners.clear();
    },
  };
}
