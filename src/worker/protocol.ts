/**
 * The typed message protocol between the page (src/client) and the worker (src/worker).
 * Every request carries an id; the worker answers each with exactly one Reply. Status
 * changes are pushed as StatusEvents so the page never polls.
 */
import type { PulseStatus, RecommendOptions, RetentionOptions } from '../client/api.ts';
import type { BackendName, CatalogItem, PulseEvent, RecommendResult, Why } from '../core/types.ts';
import { initialLoading } from './asset-cache.ts';
import { initialSlmStatus, type Rationale, type SlmOptions } from '../slm/slm-types.ts';

export interface InitRequest {
  type: 'init';
  /**
   * The catalog JSON. The worker fetches, parses and validates it (catalog-fetch.ts), off the
   * page's main thread; the page asks for a copy with a `catalog` request when it needs one.
   * Absolute URLs: the worker's base URL differs from the page's.
   */
  catalogUrl: string;
  vectorsUrl: string;
  modelsUrl: string;
  backend?: BackendName;
  dbName: string;
  retention: RetentionOptions;
  slm?: SlmOptions;
  /** Thought Space folder under modelsUrl; null: off. */
  thoughtSpace: string | null;
}

/** What the worker's engine starts from: the init request with its catalog loaded. */
export type InitConfig = Omit<InitRequest, 'catalogUrl'> & { catalog: CatalogItem[] };

export type Request =
  | InitRequest
  /**
   * Items offset … offset + limit of the validated catalog, as soon as the worker has it (before
   * the models load); after `init`. In parts, so that decoding a copy on the page is several
   * short tasks, not one long one.
   */
  | { type: 'catalog'; offset: number; limit: number }
  | { type: 'recommend'; options: RecommendOptions; events?: PulseEvent[] }
  | { type: 'explain'; itemId: string; events?: PulseEvent[] }
  /** `streamId` (chosen by the page) tags the RationaleTokenEvents of this call and names it for cancelRationale. */
  | { type: 'rationale'; streamId?: number; fresh?: boolean; events?: PulseEvent[] }
  | { type: 'cancelRationale'; streamId: number }
  /** The page has shown its first list and is idle: load what ranking did not need (SLM, USE-lite). */
  | { type: 'warm' };

/**
 * `events` on a request: the shopper's history, sent by the page while it keeps events in
 * memory only (no storage consent). Absent, the worker reads the history from IndexedDB.
 */
export type HistorySource = { events?: PulseEvent[] };

export interface Results {
  init: PulseStatus;
  catalog: { items: CatalogItem[]; total: number };
  recommend: RecommendResult;
  explain: Why;
  rationale: Rationale;
  cancelRationale: boolean;
  warm: boolean;
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

/** A piece of rationale text as the SLM writes it. */
export interface RationaleTokenEvent {
  kind: 'rationale-token';
  streamId: number;
  candidate: number;
  text: string;
}

export type WorkerMessage = Reply | StatusEvent | RationaleTokenEvent;

/** What both sides know before the worker has loaded anything. */
export function loadingStatus(requestedBackend: BackendName, slmEnabled = true, thoughtSpace: string | null = null): PulseStatus {
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
    slm: initialSlmStatus(slmEnabled),
    thoughtSpace: thoughtSpace
      ? { state: 'loading', model: thoughtSpace, covered: 0, alpha: null, reason: null, unsteered: null }
      : { state: 'off', model: null, covered: 0, alpha: null, reason: 'turned off by the page (thoughtSpace: false)', unsteered: null },
    ranker: null,
    degraded: [],
    // The page knows where the history lives and fills this in (create-pulse.ts).
    history: { consent: true, storage: 'memory', degraded: null, persisted: null, resetDetected: false, since: null },
    loading: initialLoading(),
  };
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
