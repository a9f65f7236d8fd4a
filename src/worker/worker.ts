/**
 * The Pulse worker: owns the tfjs backend, the catalog's item matrix and the ranking.
 * Reads the shopper's history straight from IndexedDB (same origin, same database as the
 * page), so history never crosses a message boundary it does not need to.
 */
/// <reference lib="webworker" />
import type { CatalogStatus, Degradation, PulseStatus } from '../client/api.ts';
import { buildRankingIndex, jsScorer, type RankingIndex, type Scorer } from '../core/ranker.ts';
import { centerRows } from '../core/vector-math.ts';
import { firstInsaneValue } from '../core/finite-values.ts';
import { checkExplainItemId, checkRecommendOptions } from '../core/request-options.ts';
import type { CatalogItem, PulseEvent, RecommendResult } from '../core/types.ts';
import { openHistory, type HistoryStore } from '../store/history.ts';
import { chooseBackend, onCpuSide, onCpuSideBackend, type BackendChoice } from './backend.ts';
import { loadItemMatrix, TextVectorsError } from './item-matrix.ts';
import { installAssetCache, type AssetCache } from './asset-cache.ts';
import { fetchCatalog } from './catalog-fetch.ts';
import { loadingStatus, toWireError, type HistorySource, type InitConfig, type InitRequest, type Request, type RequestMessage, type Results, type WorkerMessage } from './protocol.ts';
import { createTfScorer } from './tf-scorer.ts';
import { RankingChain, type TextRanker } from './ranking-chain.ts';
import { SlmHost } from './slm-host.ts';
import { ThoughtSpaceRanker } from './thought-space-ranker.ts';
import { itemSignals } from '../core/profile.ts';
import type { SentenceEncoder } from '../slm/use-lite-scorer.ts';
import type { CoverageDecision } from '../core/model-coverage.ts';
import { fetchOnce, type FetchOnce } from './fetch-once.ts';
import { prefetchThoughtSpace, type Prefetched } from './model-prefetch.ts';
import { slmMisfit, thoughtSpaceFit } from './model-fit.ts';
import { slmManifestUrl } from '../slm/slm-manifest.ts';
import { composePreference } from '../core/evidence-composer.ts';
import { cleanRationale } from '../slm/rationale-text.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * User Timing marks of the boot path (`pulse:*`), in the worker's own performance timeline:
 * devtools and bench/boot-breakdown.ts read them; the same phases are in status().loadTimings.
 */
function mark(name: string): void {
  if (marking) performance.mark(`pulse:${name}`);
}
/** Only the boot path and the first list are marked: marks are kept for the worker's life. */
let marking = true;
mark('worker-evaluated');
/** Worker start → this script evaluated (fetch, compile, evaluate): status().loadTimings.workerScriptMs. */
const scriptMs = performance.now();

interface Engine {
  /** The catalog with popularity, no vectors: items and ids for the SLM host and the last link of the chain. */
  catalog: RankingIndex;
  /** Thought Space → text similarity → popularity → catalog order (ranking-chain.ts). */
  chain: RankingChain;
  /** Opened on first use: a page without storage consent sends its events instead. */
  history: () => Promise<HistoryStore>;
  /** Drops the connection after a failed read (deleted, stuck), so the next request opens afresh. */
  resetHistory: () => void;
  slm: SlmHost;
  /** The trained Thought Space while it works; null when off, unavailable or dropped. */
  space: () => ThoughtSpaceRanker | null;
  /**
   * USE-lite for the steering statement's text vector, once loaded (no wait: ranking never
   * waits for it); null while it loads, and always when nothing steers (no model, α = 0).
   */
  steeringText: () => SentenceEncoder | null;
  /** Loads what ranking does not need (the SLM, USE-lite): the page asks once it showed a list. */
  warm: () => void;
}

let status: PulseStatus = loadingStatus('webgpu');
let engine: Promise<Engine> | null = null;
/** The validated catalog, loaded here at init (catalog-fetch.ts); the page asks for a copy. */
let catalogItems: Promise<CatalogItem[]> | null = null;

function post(message: WorkerMessage): void {
  self.postMessage(message);
}

function setStatus(patch: Partial<PulseStatus>): void {
  status = { ...status, ...patch, loadTimings: { ...status.loadTimings, ...patch.loadTimings } };
  post({ kind: 'status', status });
}

/** Records what runs below its best, one entry per component (the latest reason wins). */
function degrade(problem: Degradation, patch: Partial<PulseStatus> = {}): void {
  setStatus({ ...patch, degraded: [...status.degraded.filter((d) => d.component !== problem.component), problem] });
}

async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  setStatus({ loadTimings: { [phase]: Math.round(performance.now() - t0) } });
  return result;
}

const errorText = (error: unknown) => toWireError(error).message;

/** The backend, or null when none starts (plain JS scores then, without a Thought Space). */
async function startBackend(request: InitRequest): Promise<BackendChoice | null> {
  try {
    const choice = await timed('backendMs', () => chooseBackend(request.backend));
    setStatus({
      backend: choice.backend,
      requestedBackend: choice.requested,
      fallback: choice.backend !== choice.requested,
      fallbackReasons: choice.fallbackReasons,
      adapter: choice.adapter,
    });
    if (choice.backend !== choice.requested) {
      degrade({ component: 'backend', reason: `ranking on ${choice.backend}: ${choice.fallbackReasons.join('; ')}` });
    }
    return choice;
  } catch (error) {
    degrade({ component: 'backend', reason: `${errorText(error)}; scoring in plain JavaScript, without the Thought Space` }, { fallback: true });
    return null;
  }
}

/**
 * Text similarity's matrix: the shipped catalog vectors plus whatever the device must embed,
 * on the backend (plain JS without one). Rejects only when no item has a vector at all.
 */
async function loadTextRanker(request: InitConfig, onBackend: boolean): Promise<TextRanker> {
  const catalog = (textVectors: CatalogStatus['textVectors'], fromFile = 0, embedded = 0): CatalogStatus => ({
    items: request.catalog.length,
    vectorsFromFile: fromFile,
    embeddedOnDevice: embedded,
    textVectors,
  });
  setStatus({ catalog: catalog('loading') });
  try {
    const matrix = await loadItemMatrix(request.catalog, request.vectorsUrl, request.modelsUrl, (phase, ms) =>
      setStatus({ loadTimings: { [phase]: Math.round(ms) } }),
    );
    for (const problem of matrix.problems) degrade(problem);
    centerRows(matrix.vectors, matrix.dims);
    // Rows without a vector stay zero: centring would give them all the same direction.
    for (const row of matrix.without) matrix.vectors.fill(0, row * matrix.dims, (row + 1) * matrix.dims);
    const index = buildRankingIndex(request.catalog, matrix.vectors, matrix.dims);
    const scorer: Scorer = onBackend ? await timed('uploadMs', async () => createTfScorer(index)) : jsScorer(index);
    setStatus({ catalog: catalog('loaded', matrix.fromFile, matrix.embedded) });
    return { index, scorer };
  } catch (error) {
    if (error instanceof TextVectorsError) for (const problem of error.problems) degrade(problem);
    setStatus({ catalog: catalog('unavailable') });
    throw error;
  }
}

/**
 * Starts whatever can rank, best first, and resolves as soon as one can: a missing or corrupt
 * file drops only what needs it (status().degraded says what and why). Nothing here rejects
 * for a bad artifact; the last links of the chain (popularity, catalog order) need no file.
 */
let assets: AssetCache | null = null;

async function init(message: InitRequest, items: Promise<CatalogItem[]>): Promise<Engine> {
  const t0 = performance.now();
  mark('init-received');
  setStatus({ loadTimings: { workerScriptMs: Math.round(scriptMs), initWaitMs: Math.round(t0 - scriptMs) } });
  // Before any loader: every model file then comes from Cache Storage when its hash is known.
  assets ??= installAssetCache(message.modelsUrl, (loading) => setStatus({ loading }));
  // The backend (wasm compile, WebGPU adapter), the catalog and the model files load side by
  // side: the coverage manifests, then — only for a model that fits this catalog — its weights,
  // vectors and blend. Models trained on another catalog are not downloaded at all
  // (src/core/model-coverage.ts). The manifests the coverage check reads are the loaders' too:
  // one request each.
  const readJson = fetchOnce();
  // The language model's manifest, which slmMisfit reads whatever the Thought Space's fit:
  // asked now, beside the Thought Space's, and kept by readJson for it (and the SLM host).
  if (message.slm?.enabled !== false && message.slm?.model === undefined) void readJson(slmManifestUrl(message.modelsUrl)).catch(() => {});
  const starting = startBackend(message).then((choice) => {
    mark('backend-ready');
    return choice;
  });
  // A bad catalog fails init with its CatalogError.
  const configured = items.then((catalog): InitConfig => ({ ...message, catalog }));
  const fitting = configured
    .then((request) => (request.thoughtSpace ? thoughtSpaceFit(request.modelsUrl, request.thoughtSpace, request.catalog, undefined, readJson) : null))
    .then((fit) => {
      setStatus({ loadTimings: { manifestsMs: Math.round(performance.now() - t0) } });
      return fit;
    });
  const early = fitting.then((fit) => (message.thoughtSpace && fit?.use ? prefetchThoughtSpace(`${message.modelsUrl}/${message.thoughtSpace}`, readJson) : undefined));
  const slmChecking = Promise.all([configured, fitting]).then(([request, fit]) =>
    slmMisfit(request.modelsUrl, request.slm ?? {}, request.catalog, request.thoughtSpace && fit ? { model: request.thoughtSpace, fit } : null, readJson),
  );
  const [request, choice, spaceFit, slmOff, prefetched] = await Promise.all([configured, starting, fitting, slmChecking, early]);
  mark('fit-checked');
  let stored: Promise<HistoryStore> | null = null;
  const history = () =>
    (stored ??= openHistory({ dbName: request.dbName, ...request.retention }).catch((error: unknown) => {
      stored = null; // a failed open is retried by the next request
      throw error;
    }));
  const catalogIndex = buildRankingIndex(request.catalog, new Float32Array(0), 0);
  const space = await loadSpace(request, choice !== null, spaceFit, readJson, prefetched);
  mark('thought-space-ready');
  const chain: RankingChain = new RankingChain({
    catalog: catalogIndex,
    space,
    text: () => loadTextRanker(request, choice !== null),
    degrade: (problem) => {
      // Called only after construction, once a link failed (the chain has moved past it).
      const patch: Partial<PulseStatus> = { ranker: chain.best() };
      if (problem.component === 'thought-space') {
        patch.thoughtSpace = { ...status.thoughtSpace, state: 'unavailable', reason: problem.reason, unsteered: null };
      }
      degrade(problem, patch);
    },
  });
  if (!chain.hasPopularity) {
    degrade({ component: 'popularity', reason: 'no catalog item has a popularity figure: lists without a personal signal come in catalog order' });
  }
  if (space) {
    // The Thought Space ranks every history it can read with its own item vectors; text
    // similarity (and its 4.7 MB of catalog vectors) loads only if a request needs it.
    setStatus({ catalog: { items: request.catalog.length, vectorsFromFile: 0, embeddedOnDevice: 0, textVectors: 'deferred' } });
  } else {
    await chain.textRanker();
  }
  // One USE-lite for both of its uses here (ToT-lite's scorer and steering), loaded on first
  // use. Under WebGPU it loads and runs on a CPU-side backend: its graph's synchronous shape
  // reads lose a software adapter's device (onCpuSideBackend in backend.ts says why).
  let useLite: Promise<SentenceEncoder> | null = null;
  const textBackbone = () =>
    (useLite ??= onCpuSideBackend(() => import('../model/use-lite.ts').then(({ TextBackbone }) => TextBackbone.fromUrl(`${request.modelsUrl}/use-lite`)))
      .then((backbone) => onCpuSide(backbone))
      .catch((error: unknown) => {
        useLite = null; // a failed load is retried by the next request
        throw error;
      }));
  const backend = choice?.backend ?? 'cpu';
  const isFallbackAdapter = choice?.adapter?.isFallbackAdapter ?? false;
  // The SLM loads in the background: ranking is ready now, the headline why follows.
  const slm = new SlmHost({
    slm: slmOff ? { ...request.slm, enabled: false } : (request.slm ?? {}),
    modelsUrl: request.modelsUrl,
    dbName: request.dbName,
    index: catalogIndex,
    space: space?.space ?? null,
    ranking: { backend, isFallbackAdapter },
    textBackbone,
    readJson,
    onStatus: (slmStatus) => setStatus({ slm: slmOff && slmStatus.state === 'off' ? { ...slmStatus, reason: slmOff } : slmStatus }),
  });
  setStatus({ state: 'ready', ranker: chain.best(), loadTimings: { totalMs: Math.round(performance.now() - t0) } });
  mark('ready');
  // Neither the SLM nor USE-lite is on the way to the first list: they load on "warm", which
  // the page sends once it has shown one and is idle.
  const steers = space !== null && space.alpha > 0;
  let steeringEncoder: SentenceEncoder | null = null;
  const warm = () => {
    void slm.start();
    if (!steers || steeringEncoder) return;
    textBackbone().then(
      (encoder) => {
        steeringEncoder = encoder;
        setThoughtSpaceUnsteered(null);
      },
      (error: unknown) => setThoughtSpaceUnsteered(`the sentence encoder that reads the preference statement could not load (${errorText(error)}); lists rank by behaviour alone, unsteered`),
    );
  };
  if (steers) setThoughtSpaceUnsteered('the sentence encoder that reads the preference statement loads after the first list is shown; until then lists rank by behaviour alone');
  const resetHistory = () => {
    void stored?.then((store) => store.close(), () => {});
    stored = null;
  };
  return { catalog: catalogIndex, chain, history, resetHistory, slm, space: () => chain.thoughtSpace(), steeringText: () => steeringEncoder, warm };
}

function setThoughtSpaceUnsteered(unsteered: string | null): void {
  if (status.thoughtSpace.state === 'ready') setStatus({ thoughtSpace: { ...status.thoughtSpace, unsteered } });
}

/**
 * The Thought Space loads before the worker reports ready, so the first personal list already
 * comes from it; a missing, corrupt or foreign model leaves the text-similarity ranker in charge.
 */
async function loadSpace(request: InitConfig, onBackend: boolean, fit: CoverageDecision | null, readJson: FetchOnce, early?: Prefetched): Promise<ThoughtSpaceRanker | null> {
  const model = request.thoughtSpace;
  if (!model) return null;
  if (fit && !fit.use) {
    // A model for another catalog is not an artifact fault: it is off here, not degraded.
    setStatus({ thoughtSpace: { state: 'unavailable', model, covered: fit.covered, alpha: null, reason: `${fit.reason}; ranking by text similarity instead`, unsteered: null } });
    return null;
  }
  const unavailable = (why: string) => {
    const reason = `${why}; ranking by text similarity instead`;
    degrade({ component: 'thought-space', reason }, { thoughtSpace: { state: 'unavailable', model, covered: 0, alpha: null, reason, unsteered: null } });
    return null;
  };
  if (!onBackend) return unavailable('the Thought Space needs a tfjs backend and none started');
  try {
    const space = await timed('thoughtSpaceMs', () => ThoughtSpaceRanker.load(request.modelsUrl, model, request.catalog, readJson, early));
    setStatus({ thoughtSpace: { state: 'ready', model, covered: space.covered, alpha: space.alpha, reason: null, unsteered: space.alpha > 0 ? null : 'α = 0: validation chose no steering for this model' } });
    if (space.blendProblem) degrade({ component: 'thought-space-blend', reason: `${request.modelsUrl}/${model}: ${space.blendProblem}` });
    return space;
  } catch (error) {
    return unavailable(`${request.modelsUrl}/${model}: ${errorText(error)}`);
  }
}

async function ready(): Promise<Engine> {
  if (!engine) throw new Error('the worker has not been initialised: send "init" first');
  return engine;
}

/** The history a request is about: the page's in-memory events, or the stored ones. */
async function historyFor(request: HistorySource, engine: Engine): Promise<PulseEvent[]> {
  if (request.events) return request.events;
  // Bounded (history.ts): a blocked, stuck or deleted database is a HistoryError within
  // seconds, and the page then sends the events it reads itself.
  try {
    return await (await engine.history()).list();
  } catch (error) {
    engine.resetHistory();
    throw error;
  }
}

async function recommend(request: Extract<Request, { type: 'recommend' }>): Promise<RecommendResult> {
  const t0 = performance.now();
  const engine = await ready();
  const { slm } = engine;
  // Context (e.g. the product on screen) counts for this request only and is never stored.
  const { k, exclude, context, rationale: wantsRationale } = checkRecommendOptions(request.options, Date.now());
  mark('recommend-received');
  const history = await historyFor(request, engine);
  const events = [...history, ...context];
  const t1 = performance.now();
  mark('history-read');
  const space = engine.space();
  const personal = itemSignals(events, Date.now()).some((signal) => signal.weight > 0);
  const inSpace = space !== null && personal && space.reads(events);
  // The headline describes the shopper's history, not the passing moment; without storage
  // consent (events sent by the page) nothing is cached on the device. Ranking never waits for
  // the SLM: the why at hand (its cached text, or the evidence statement) comes with the list,
  // and rationale() writes the SLM's text afterwards.
  const why = wantsRationale ? await slm.atHand(history, { persist: request.events === undefined }) : undefined;
  // With α > 0 the evidence statement steers the Thought Space query (PULSE's rationale view),
  // the text α was tuned on (models/pulse-movielens/README.md, "Steering"); only once USE-lite
  // is loaded, which happens after the first list (warm), never on the way to it.
  const encoder = inSpace && wantsRationale ? engine.steeringText() : null;
  const tEmbed = performance.now();
  const rationaleVector = encoder ? await steeringVector(encoder, evidenceStatement(history, engine.catalog)) : null;
  // Reading the statement into a vector is part of building the query.
  const embedMs = performance.now() - tEmbed;
  const ranking = await engine.chain.rank(events, { k, exclude, rationaleVector }, inSpace);
  mark('ranked');
  marking = false;
  return {
    ...(why ? { rationale: why } : {}),
    items: ranking.items,
    strategy: ranking.strategy,
    ranker: ranking.ranker,
    steered: ranking.steered,
    backend: status.backend ?? 'cpu',
    timings: {
      historyMs: t1 - t0,
      queryMs: ranking.queryMs + embedMs,
      scoreMs: ranking.scoreMs,
      totalMs: performance.now() - t0,
    },
  };
}

/**
 * The USE-lite vector of the steering statement; null (rank unsteered) when the text is empty
 * or gives an unusable vector — then status() stops claiming steering.
 */
async function steeringVector(encoder: SentenceEncoder, text: string): Promise<Float32Array | null> {
  if (text.trim() === '') return null;
  try {
    const vector = await encoder.embed([text]);
    // A NaN here would turn every Thought Space score NaN and drop the model for good.
    if (firstInsaneValue(vector) >= 0) throw new Error('the sentence encoder returned a non-finite vector');
    return vector;
  } catch (error) {
    const unsteered = `the headline why could not be read into a vector (${errorText(error)}); lists rank by behaviour alone, unsteered`;
    degrade({ component: 'steering', reason: unsteered }, { thoughtSpace: { ...status.thoughtSpace, unsteered } });
    return null;
  }
}

/** The evidence-based preference statement, as training wrote it (cleaned as the headline is). */
function evidenceStatement(history: readonly PulseEvent[], catalog: RankingIndex): string {
  return cleanRationale(composePreference(history, { catalog: catalog.items, indexOf: catalog.indexOf }));
}

/** Cancels by stream id; a cancel that overtakes its rationale call is remembered for it. */
const cancels = new Map<number, () => void>();
const cancelledEarly = new Set<number>();

async function rationale(request: Extract<Request, { type: 'rationale' }>) {
  const engine = await ready();
  const { streamId } = request;
  try {
    return await engine.slm.rationale(await historyFor(request, engine), {
      persist: request.events === undefined,
      ...(request.fresh ? { fresh: true } : {}),
      ...(streamId !== undefined
        ? {
            onToken: (text: string, candidate: number) => post({ kind: 'rationale-token', streamId, candidate, text }),
            control: ({ cancel }) => {
              if (cancelledEarly.delete(streamId)) cancel();
              else cancels.set(streamId, cancel);
            },
          }
        : {}),
    });
  } finally {
    if (streamId !== undefined) {
      cancels.delete(streamId);
      cancelledEarly.delete(streamId);
    }
  }
}

async function handle(request: Request): Promise<Results[keyof Results]> {
  switch (request.type) {
    case 'init':
      if (engine) throw new Error('the worker is already initialised');
      catalogItems = fetchCatalog(request.catalogUrl);
      catalogItems.catch(() => {}); // init and the page's `catalog` requests report it
      engine = init(request, catalogItems);
      engine.catch((error: unknown) => setStatus({ state: 'error', error: toWireError(error).message }));
      await engine;
      return status;
    case 'catalog': {
      if (!catalogItems) throw new Error('the worker has not been initialised: send "init" first');
      const items = await catalogItems;
      return { items: items.slice(request.offset, request.offset + request.limit), total: items.length };
    }
    case 'recommend':
      return recommend(request);
    case 'explain': {
      const engine = await ready();
      return engine.chain.explain(await historyFor(request, engine), checkExplainItemId(request.itemId));
    }
    case 'rationale':
      return rationale(request);
    case 'warm':
      (await ready()).warm();
      return true;
    case 'cancelRationale': {
      const cancel = cancels.get(request.streamId);
      if (cancel) cancel();
      else cancelledEarly.add(request.streamId);
      return cancel !== undefined;
    }
  }
}

self.addEventListener('message', (event: MessageEvent<RequestMessage>) => {
  const { id, ...request } = event.data;
  handle(request as Request).then(
    (result) => post({ kind: 'reply', id, ok: true, result }),
    (error: unknown) => post({ kind: 'reply', id, ok: false, error: toWireError(error) }),
  );
});

// An uncaught error outside a request still reaches the page as a status, never silence.
self.addEventListener('error', (event) => setStatus({ state: 'error', error: event.message }));
self.addEventListener('unhandledrejection', (event) => setStatus({ state: 'error', error: toWireError(event.reason).message }));
