/**
 * The typed message protocol between the page (src/client) and the worker (src/worker).
 * Every request carries an id; the worker answers each with exactly one Reply. Status
 * changes are pushed as StatusEvents so the page never polls.
 */
import type { PulseStatus, RecommendOptions, RetentionOptions } from '../client/api.ts';
import type { BackendName, CatalogItem, PulseEvent, RecommendResult, Why } from '../core/types.ts';

export interface InitRequest {
  type: 'init';
  catalog: CatalogItem[];
  /** Absolute URLs: the worker's base URL differs from the page's. */
  vectorsUrl: string;
  modelsUrl: string;
  backend?: BackendName;
  dbName: string;
  retention: RetentionOptions;
}

export type Request =
  | InitRequest
  | { type: 'recommend'; options: RecommendOptions; events?: PulseEvent[] }
  | { type: 'explain'; itemId: string; events?: PulseEvent[] };

/**
 * `events` on a request: the shopper's history, sent by the page while it keeps events in
 * memory only (no storage consent). Absent, the worker reads the history from IndexedDB.
 */
export type HistorySource = { events?: PulseEvent[] };

export interface Results {
  init: PulseStatus;
  recommend: RecommendResult;
  explain: Why;
}

export type RequestMessage = Request & { id: number };

/** An error as it crosses the thread boundary: its class name survives, so callers can branch on it. */
export interface WireError {
  name: string;
  message: string;
}

export type Reply =
  | { kind: 'reply'; id: number; ok: true; result: Results[keyof Results] }
  | { kind: 'reply'; id: number; ok: false; error: WireError };

export interface StatusEvent {
  kind: 'status';
  status: PulseStatus;
}

export type WorkerMessage = Reply | StatusEvent;

/** What both sides know before the worker has loaded anything. */
export function loadingStatus(requestedBackend: BackendName): PulseStatus {
  return {
    state: 'loading',
    backend: null,
    requestedBackend,
    fallback: false,
    fallbackReasons: [],
    adapter: null,
    catalog: null,
    loadTimings: {},
    error: null,
  };
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
