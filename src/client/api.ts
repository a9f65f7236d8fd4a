/**
 * The public API: `createPulse(options)` returns a PulseClient. The demo, the embed
 * script and the tests all use only this surface.
 */
import type {
  BackendName,
  CatalogItem,
  EventInput,
  PulseEvent,
  RecommendResult,
  Why,
} from '../core/types.ts';
import type { Rationale, RationaleRequestOptions, SlmOptions, SlmStatus } from '../slm/slm-types.ts';
import type { HistoryStatus } from '../store/consent-history.ts';

export type { HistoryStatus } from '../store/consent-history.ts';

export type { Rationale, RationaleRequestOptions, SlmOptions, SlmStatus } from '../slm/slm-types.ts';

export interface RetentionOptions {
  /** Oldest events beyond this count are dropped on write. Default 1000. */
  maxEvents?: number;
  /** Events older than this are dropped on write and ignored on read. Default 365. */
  maxAgeDays?: number;
}

export interface PulseOptions {
  /** URL of the catalog JSON (schema: docs/catalog.md). */
  catalogUrl: string;
  /** URL of the folder holding `use-lite/` (the text backbone). */
  modelsUrl: string;
  /** URL of the item-vector manifest; default: the catalog URL with `.json` → `.vectors.json`. */
  vectorsUrl?: string;
  /** Force a backend instead of trying webgpu → wasm → cpu. */
  backend?: BackendName;
  /** IndexedDB database name; default "pulse". */
  dbName?: string;
  retention?: RetentionOptions;
  /** The on-device language model that writes the rail's headline why (see README "Use a real SLM"). */
  slm?: SlmOptions;
  /**
   * The trained Thought Space (a folder under `modelsUrl`, made by `npm run train`) that ranks
   * personal recommendations; default "pulse-movielens". false: rank by text similarity only.
   * A model trained on another catalog is not used, and `status().thoughtSpace` says so.
   */
  thoughtSpace?: string | false;
  /**
   * May Pulse store the history on this device? true (default): IndexedDB, shared by the
   * shop's tabs. false: events stay in this page's memory and IndexedDB is never opened.
   * Change it later with `consent()`.
   */
  consent?: boolean;
  /** true: start the worker and load the models on first need (`ready`, `recommend`, `explain`), not at once. */
  lazy?: boolean;
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  isFallbackAdapter: boolean;
}

export interface PulseStatus {
  state: 'loading' | 'ready' | 'error';
  /** The backend actually in use. */
  backend: BackendName | null;
  /** The first choice (the override, or webgpu). */
  requestedBackend: BackendName;
  /** True when `backend` is not what was requested. */
  fallback: boolean;
  /** Why each better backend was not used. */
  fallbackReasons: string[];
  /** The WebGPU adapter, when one was obtained. */
  adapter: AdapterInfo | null;
  catalog: CatalogStatus | null;
  /**
   * Load phases in milliseconds. The worker's start, in order: `workerScriptMs` (worker created →
   * its script evaluated), `initWaitMs` (→ the page's init arrived: the page was still fetching and
   * checking the catalog), then side by side `backendMs` (the tfjs backend started) and
   * `manifestsMs` (the models' coverage manifests read), then `thoughtSpaceMs` (towers, item
   * vectors and blend decoded; their files were requested beside the backend),
   * `totalMs` (init → ready). Others where they run: `vectorsMs`, `backboneLoadMs`, `embedMs`, `uploadMs` (text
   * similarity's matrix). bench/boot-breakdown.ts puts them on one timeline with the page's.
   */
  loadTimings: Record<string, number>;
  /** Set when state is "error". */
  error: string | null;
  /** The SLM: model, device, dtype, load progress, or why it is unavailable. Ranking never waits for it. */
  slm: SlmStatus;
  /** The trained Thought Space that ranks personal recommendations, or why there is none. */
  thoughtSpace: ThoughtSpaceStatus;
  /**
   * The best ranker available now, down the chain Thought Space → text similarity →
   * popularity → catalog order; null while loading. A request ranks with this one, or with
   * the next when it cannot read the history (`RecommendResult.ranker` says which).
   */
  ranker: RankerName | null;
  /** Every part running below its best, with the reason and what took over; [] when nothing is. */
  degraded: Degradation[];
  /**
   * Where the shopper's history lives: on the device or in this page's memory (and why, when
   * consent was given but storage failed), whether the browser agreed to keep it
   * (`persisted`), and whether it was wiped by the browser since the last visit (`resetDetected`).
   */
  history: HistoryStatus;
  /** Model bytes loaded so far, of those requested, and what the cache across visits did. */
  loading: LoadingProgress;
}

/** One progress figure for every model file that loads (src/worker/asset-cache.ts). */
export interface LoadingProgress {
  /** Bytes of model files received so far (network or cache). */
  bytesDone: number;
  /** Sizes of the model files requested so far (grows as loaders start). */
  bytesTotal: number;
  filesDone: number;
  files: number;
  /** Of bytesDone: read from Cache Storage / fetched from the network. */
  fromCache: number;
  fromNetwork: number;
  /** "on": files are kept across visits; "off": fetched every visit, `reason` says why. */
  cache: 'on' | 'off';
  reason: string | null;
  /** Hash mismatches and cache write failures (quota), each in a sentence. */
  issues: string[];
}

export type RankerName = 'thought-space' | 'text-similarity' | 'popularity' | 'catalog-order';

/** A part that failed or was passed over. Pulse keeps ranking with what remains. */
export type DegradedComponent =
  /** The tfjs backend (a better one refused, or none at all: plain JS scores then). */
  | 'backend'
  /** The trained Thought Space (a file missing, corrupt, or from another catalog). */
  | 'thought-space'
  /** The Thought Space's blend (blend.json and its EASE file, low-rank or sparse; category profile); the towers rank alone without it. */
  | 'thought-space-blend'
  /** The shipped catalog text vectors (missing, corrupt, or stale for some items). */
  | 'catalog-vectors'
  /** Embedding items on the device with USE-lite, for items the vector file lacks. */
  | 'on-device-embedding'
  /** Text similarity as a whole (no vectors from the file or the device). */
  | 'text-similarity'
  /** The catalog's popularity figures (none: non-personal lists are in catalog order). */
  | 'popularity'
  /** The headline why steering the Thought Space query. */
  | 'steering';

export interface Degradation {
  component: DegradedComponent;
  /** What went wrong, naming the file or device, and what ranks instead, in words a developer can act on. */
  reason: string;
}

export interface CatalogStatus {
  items: number;
  /** Items whose text vector came from the shipped vector file. */
  vectorsFromFile: number;
  /** Items embedded on this device (new or changed since `npm run embed`). */
  embeddedOnDevice: number;
  /**
   * The catalog text vectors: `loaded`; `deferred` (a Thought Space covers the catalog, so
   * they are fetched only if something needs text similarity); `unavailable` (see `degraded`).
   */
  textVectors: 'loaded' | 'deferred' | 'loading' | 'unavailable';
}

export interface ThoughtSpaceStatus {
  state: 'off' | 'loading' | 'ready' | 'unavailable';
  /** Folder name under the models URL. */
  model: string | null;
  /** Catalog items that have a Thought Space vector. */
  covered: number;
  /** Weight of the rationale vector in the query (tuned on validation); 0: behaviour alone. */
  alpha: number | null;
  /** Why the Thought Space is off or unavailable; null when ready. */
  reason: string | null;
  /** Why the headline *why* does not steer the query here (α = 0, or a device USE-lite cannot run on); null when it does. */
  unsteered: string | null;
}

/** The Thought Space a client uses when its options name none. */
export const DEFAULT_THOUGHT_SPACE = 'pulse-movielens';

export interface RecommendOptions {
  /** How many items; default 10. */
  k?: number;
  /** Item ids never to return (in addition to everything in the history). */
  exclude?: string[];
  /**
   * Include the headline why at hand (`result.rationale`) and let the preference statement
   * steer the Thought Space query. Never waits for the SLM. false: neither. Default true.
   */
  rationale?: boolean;
  /**
   * Events that describe this moment (the product on screen, the cart), counted for this
   * request only and never stored: e.g. `[{type: 'view', itemId: '42'}]`. Their items are
   * not recommended.
   */
  context?: EventInput[];
}

export type PulseEventName = 'status' | 'history';

export interface PulseClient {
  /** Resolves when catalog, vectors and backend are loaded; rejects with a typed error. */
  readonly ready: Promise<PulseStatus>;
  /** Records one event or a batch (all or nothing). Rejects with EventError on bad input. */
  track(event: EventInput | EventInput[]): Promise<void>;
  /**
   * The top items for this shopper, as soon as they are ranked: it never waits for the
   * language model. `result.rationale` is the headline why at hand — the SLM's text when it
   * has written one for this exact history before (`cached: true`), else the evidence-based
   * statement, whose `fallback` tells whether the SLM's text is still to come (`loading`: the
   * model loads; `pending`: it has not written for this history yet) or will not come (`off`,
   * `unavailable`). For the SLM's text, call `rationale()` after showing the list and update
   * the headline in place when it resolves:
   *
   *     const result = await pulse.recommend({ k: 10 });
   *     show(result.items, result.rationale);
   *     if (result.rationale?.fallback === 'loading' || result.rationale?.fallback === 'pending')
   *       pulse.rationale().then((why) => showHeadline(why));
   *
   * Once no list asked for is still pending and the page is idle, the loads ranking did not need
   * start (the SLM, its runtime, the sentence encoder), so no list waits for their bytes.
   * `rationale()` starts them itself when called earlier.
   */
  recommend(options?: RecommendOptions): Promise<RecommendResult>;
  /**
   * What Pulse thinks this shopper wants, written on the device by the SLM (ToT-lite, cached
   * per history), streamed through `onToken`; abort `signal` to cancel. Waits for the model
   * to load (and starts its load if nothing has yet). Never rejects for a missing or failing
   * model: the evidence-based rationale comes back with the reason.
   */
  rationale(options?: RationaleRequestOptions): Promise<Rationale>;
  /**
   * Why an item would be recommended to this shopper: the reason a list gives it (in the
   * Thought Space, the history item whose deletion lowers its score most; by text, the closest
   * history item), or popularity when nothing in the history points to it.
   */
  explain(itemId: string): Promise<Why>;
  /** The shopper's stored events, oldest first. */
  history(): Promise<PulseEvent[]>;
  /** The history as a JSON document the shopper can keep. */
  exportHistory(): Promise<string>;
  /** Deletes everything Pulse stored on this device, and the events kept in memory. */
  forget(): Promise<void>;
  /** Grants (store on this device) or withdraws (memory only) storage consent; see PulseOptions.consent. */
  consent(granted: boolean): Promise<void>;
  /** True while events are stored on the device; false while they live in memory only. */
  persistent(): boolean;
  /** A snapshot of what the worker loaded and is using. */
  status(): PulseStatus;
  /**
   * The validated catalog, as soon as the worker has fetched and checked it (before the models
   * load); rejects with a PulseError of kind CatalogError naming the problem. The worker parses
   * it, off the page's main thread; the page receives one copy. On a lazy client this starts
   * the worker.
   */
  catalog(): Promise<CatalogItem[]>;
  /** Subscribe to status or history changes (including other tabs); returns an unsubscribe. */
  on(event: PulseEventName, listener: () => void): () => void;
  /** Terminates the worker and closes the database. */
  close(): void;
}
