/**
 * createPulse: the one entry point. The page owns the history writes (so `track` is fast
 * and works before the models load); the worker owns the backend, the item matrix and
 * the ranking, and reads the same IndexedDB for each recommendation.
 */
import { checkExplainItemId, checkRecommendOptions } from '../core/request-options.ts';
import type { CatalogItem, EventInput, PulseEvent } from '../core/types.ts';
import type { RationaleRequestOptions } from '../slm/slm-types.ts';
import { openConsentHistory, type ResetMarker } from '../store/consent-history.ts';
import { DEFAULT_THOUGHT_SPACE, type PulseClient, type PulseEventName, type PulseOptions, type PulseStatus } from './api.ts';
import { loadingStatus, type Results, type WorkerMessage } from '../worker/protocol.ts';
import { PulseError, WorkerRpc } from './rpc.ts';

export { PulseError } from './rpc.ts';
export type * from './api.ts';

const DEFAULT_DB = 'pulse';
/**
 * Items per message of the page's catalog copy: decoding 9k items at once is a 35–220 ms task
 * on a 2-core machine; 300 at a time keeps each part short.
 */
const CATALOG_PART = 300;

/** The worker's validated catalog, copied in parts (each reply is its own task here). */
async function copyCatalog(rpc: WorkerRpc): Promise<CatalogItem[]> {
  const first = await rpc.call({ type: 'catalog', offset: 0, limit: CATALOG_PART });
  const rest: Promise<Results['catalog']>[] = [];
  for (let offset = CATALOG_PART; offset < first.total; offset += CATALOG_PART) {
    rest.push(rpc.call({ type: 'catalog', offset, limit: CATALOG_PART }));
  }
  const items = first.items;
  for (const part of await Promise.all(rest)) for (const item of part.items) items.push(item);
  return items;
}

/** `…/movielens.json` → `…/movielens.vectors.json`. */
export function defaultVectorsUrl(catalogUrl: string): string {
  const url = new URL(catalogUrl, location.href);
  url.pathname = url.pathname.replace(/(\.json)?$/, '.vectors.json');
  return url.href;
}

/** `navigator.storage.persist`, where the browser has it: asked once consent is given. */
function storagePersistence(): (() => Promise<boolean>) | undefined {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  return typeof storage?.persist === 'function' ? () => storage.persist() : undefined;
}

/**
 * When the history began, remembered in localStorage too: browsers clear IndexedDB on their
 * own (eviction, Safari's 7-day rule, "clear site data" for one store), and a marker that
 * survives tells a wiped history from a new shopper. Written only with consent.
 */
function resetMarker(dbName: string): ResetMarker {
  const key = `pulse-history-since:${dbName}`;
  return {
    read: () => globalThis.localStorage?.getItem(key) ?? null,
    write: (value) => globalThis.localStorage?.setItem(key, value),
  };
}

/**
 * `started.worker`: pulse.js's worker, started from the same build while this module loaded
 * (src/embed/host.ts); null or absent, the client starts its own.
 */
export function createPulse(options: PulseOptions, started: { worker?: () => Worker | null } = {}): PulseClient {
  const dbName = options.dbName ?? DEFAULT_DB;
  const listeners: Record<PulseEventName, Set<() => void>> = { status: new Set(), history: new Set() };
  const emit = (name: PulseEventName) => listeners[name].forEach((listener) => listener());
  const thoughtSpace = options.thoughtSpace === false ? null : (options.thoughtSpace ?? DEFAULT_THOUGHT_SPACE);
  let status = loadingStatus(options.backend ?? 'webgpu', options.slm?.enabled !== false, thoughtSpace);
  // Rationale text streamed by the worker, routed to the call that asked for it.
  const streams = new Map<number, NonNullable<RationaleRequestOptions['onToken']>>();
  let nextStreamId = 1;

  // History is usable at once, independently of model loading, and as consent allows.
  const history = openConsentHistory({
    dbName,
    ...options.retention,
    consent: options.consent ?? true,
    onUnavailable: (error) => console.warn(`Pulse: ${error.message}; this page's events are kept in memory instead`),
    requestPersistence: storagePersistence(),
    marker: resetMarker(dbName),
  });
  history.onChange(() => emit('history'));
  history.onStatus(() => emit('status'));
  /**
   * The worker fetches, parses and validates the catalog (src/worker/catalog-fetch.ts): a big
   * catalog's JSON never blocks this thread. The page's copy comes in one message, once asked.
   */
  let catalog: Promise<CatalogItem[]> | null = null;
  /**
   * The history part of a request, after every track and forget issued before it. Without
   * storage consent, or while the database is degraded, the page sends its events; should the
   * worker fail to read the device (its own connection blocked or closed), once more with the
   * events the page reads itself.
   */
  const withHistory = async <T>(call: (source: { events?: PulseEvent[] }) => Promise<T>): Promise<T> => {
    const events = await history.snapshot();
    if (events !== null) return call({ events });
    try {
      return await call({});
    } catch (error) {
      if (!(error instanceof PulseError && error.kind === 'HistoryError')) throw error;
      return call({ events: await history.list() });
    }
  };

  let engine: { rpc: WorkerRpc; ready: Promise<PulseStatus> } | null = null;
  let warmed = false;
  /** Lists asked for and not yet answered: the warm-up waits for all of them. */
  let listsInFlight = 0;
  /**
   * Once the page's lists are answered and the page is idle, the worker loads what ranking did
   * not need (the SLM and its runtime, USE-lite): those bytes never delay a list. "All lists",
   * not "the first": a page that asks for two lists at once (a quick "similar" rail and a
   * slower personal one) would otherwise load megabytes while the second still ranks.
   */
  const warmWhenSettled = (rpc: WorkerRpc) => {
    if (warmed || listsInFlight > 0) return;
    warmed = true;
    const warm = () => void rpc.call({ type: 'warm' }).catch(() => {});
    if (typeof requestIdleCallback === 'function') requestIdleCallback(warm, { timeout: 2000 });
    else setTimeout(warm, 0);
  };
  /** Starts the worker and the model load once, at creation or (lazy) on first need. */
  const start = () => (engine ??= startWorker());
  const startWorker = () => {
    const worker = started.worker?.() ?? new Worker(new URL('../worker/worker.ts', import.meta.url), { type: 'module', name: 'pulse' });
    const rpc = new WorkerRpc(worker, (event) => {
      status = event.status;
      emit('status');
    });
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.kind === 'rationale-token') streams.get(message.streamId)?.(message.text, message.candidate);
    });
    const ready = (async () => {
      try {
        status = await rpc.call({
          type: 'init',
          catalogUrl: new URL(options.catalogUrl, location.href).href,
          vectorsUrl: new URL(options.vectorsUrl ?? defaultVectorsUrl(options.catalogUrl), location.href).href,
          modelsUrl: new URL(options.modelsUrl, location.href).href.replace(/\/$/, ''),
          ...(options.backend ? { backend: options.backend } : {}),
          dbName,
          retention: options.retention ?? {},
          ...(options.slm ? { slm: options.slm } : {}),
          thoughtSpace,
        });
        emit('status');
        return { ...status, history: history.status() };
      } catch (error) {
        status = { ...status, state: 'error', error: error instanceof Error ? error.message : String(error) };
        emit('status');
        throw error;
      }
    })();
    // Callers that never await `ready` must not see an unhandled rejection; they see status.
    ready.catch(() => {});
    return { rpc, ready };
  };
  if (!options.lazy) start();

  return {
    get ready() {
      return start().ready;
    },
    async track(event: EventInput | EventInput[]) {
      await history.add(event);
    },
    async recommend(recommendOptions) {
      // Checked here, before anything starts, so a bad option is a typed error naming it.
      const { k, exclude, rationale, context } = checkRecommendOptions(recommendOptions, Date.now());
      const { rpc, ready } = start();
      listsInFlight++;
      try {
        await ready;
        return await withHistory((source) => rpc.call({ type: 'recommend', options: { k, exclude, rationale, context }, ...source }));
      } finally {
        listsInFlight--;
        warmWhenSettled(rpc);
      }
    },
    async rationale(rationaleOptions: RationaleRequestOptions = {}) {
      const { rpc, ready } = start();
      await ready;
      const streamId = nextStreamId++;
      const { onToken, signal, fresh } = rationaleOptions;
      if (onToken) streams.set(streamId, onToken);
      const cancel = () => void rpc.call({ type: 'cancelRationale', streamId }).catch(() => {});
      signal?.addEventListener('abort', cancel, { once: true });
      try {
        const pending = withHistory((source) => rpc.call({ type: 'rationale', streamId, ...(fresh ? { fresh } : {}), ...source }));
        if (signal?.aborted) cancel();
        return await pending;
      } finally {
        streams.delete(streamId);
        signal?.removeEventListener('abort', cancel);
      }
    },
    async explain(itemId: string) {
      const id = checkExplainItemId(itemId);
      const { rpc, ready } = start();
      await ready;
      return withHistory((source) => rpc.call({ type: 'explain', itemId: id, ...source }));
    },
    async history() {
      return history.list();
    },
    async exportHistory() {
      return history.exportJson();
    },
    async forget() {
      await history.forget();
    },
    consent: (granted: boolean) => history.setConsent(granted),
    persistent: () => history.persistent,
    status: () => ({ ...status, history: history.status() }),
    catalog: () => (catalog ??= copyCatalog(start().rpc)),
    on(name, listener) {
      listeners[name].add(listener);
      return () => listeners[name].delete(listener);
    },
    close() {
      engine?.rpc.terminate();
      history.close();
    },
  };
}
