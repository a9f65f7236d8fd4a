/**
 * The Pulse worker: owns the tfjs backend, the catalog's item matrix and the ranking.
 * Reads the shopper's history straight from IndexedDB (same origin, same database as the
 * page), so history never crosses a message boundary it does not need to.
 */
/// <reference lib="webworker" />
import type { PulseStatus } from '../client/api.ts';
import { buildRankingIndex, explain, rank, type RankingIndex } from '../core/ranker.ts';
import { centerRows } from '../core/vector-math.ts';
import { validateEvent } from '../core/event.ts';
import type { PulseEvent, RecommendResult } from '../core/types.ts';
import { openHistory, type HistoryStore } from '../store/history.ts';
import { chooseBackend } from './backend.ts';
import { installAssetCache, type AssetCache } from './asset-cache.ts';
import { loadItemMatrix } from './item-matrix.ts';
import { loadingStatus, toWireError, type HistorySource, type InitRequest, type Request, type RequestMessage, type Results, type WorkerMessage } from './protocol.ts';
import { createTfScorer, type TfScorer } from './tf-scorer.ts';
import { SlmHost } from './slm-host.ts';
import { ThoughtSpaceRanker } from './thought-space-ranker.ts';
import { itemSignals } from '../core/profile.ts';
import type { SentenceEncoder } from '../slm/use-lite-scorer.ts';

declare const self: DedicatedWorkerGlobalScope;

interface Engine {
  index: RankingIndex;
  scorer: TfScorer;
  /** Opened on first use: a page without storage consent sends its events instead. */
  history: () => Promise<HistoryStore>;
  slm: SlmHost;
  /** The trained Thought Space, once loaded; null while loading, when off or unavailable. */
  space: () => ThoughtSpaceRanker | null;
  /**
   * USE-lite for the headline why's text vector, which steers the Thought Space query; null
   * when nothing steers (no model, α = 0, or a software WebGPU adapter — see steeringText).
   */
  steeringText: (() => Promise<SentenceEncoder>) | null;
}

let status: PulseStatus = loadingStatus('webgpu');
let engine: Promise<Engine> | null = null;

function post(message: WorkerMessage): void {
  self.postMessage(message);
}

function setStatus(patch: Partial<PulseStatus>): void {
  status = { ...status, ...patch, loadTimings: { ...status.loadTimings, ...patch.loadTimings } };
  post({ kind: 'status', status });
}

async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await work();
  setStatus({ loadTimings: { [phase]: Math.round(performance.now() - t0) } });
  return result;
}

let assets: AssetCache | null = null;

async function init(request: InitRequest): Promise<Engine> {
  const t0 = performance.now();
  // Before any loader: every model file then comes from Cache Storage when its hash is known.
  assets ??= installAssetCache(request.modelsUrl, (loading) => setStatus({ loading }));
  const choice = await timed('backendMs', () => chooseBackend(request.backend));
  setStatus({
    backend: choice.backend,
    requestedBackend: choice.requested,
    fallback: choice.backend !== choice.requested,
    fallbackReasons: choice.fallbackReasons,
    adapter: choice.adapter,
  });
  let stored: Promise<HistoryStore> | null = null;
  const history = () =>
    (stored ??= openHistory({ dbName: request.dbName, ...request.retention }).catch((error: unknown) => {
      stored = null; // a failed open is retried by the next request
      throw error;
    }));
  const matrix = await loadItemMatrix(request.catalog, request.vectorsUrl, request.modelsUrl, (phase, ms) =>
    setStatus({ loadTimings: { [phase]: Math.round(ms) } }),
  );
  centerRows(matrix.vectors, matrix.dims);
  const index = buildRankingIndex(request.catalog, matrix.vectors, matrix.dims);
  const scorer = await timed('uploadMs', async () => createTfScorer(index));
  const space = await loadSpace(request, index);
  // One USE-lite for both of its uses here (ToT-lite's scorer and steering), loaded on first use.
  let useLite: Promise<SentenceEncoder> | null = null;
  const textBackbone = () =>
    (useLite ??= import('../model/use-lite.ts')
      .then(({ TextBackbone }) => TextBackbone.fromUrl(`${request.modelsUrl}/use-lite`))
      .catch((error: unknown) => {
        useLite = null; // a failed load is retried by the next request
        throw error;
      }));
  const fallbackAdapter = choice.backend === 'webgpu' && (choice.adapter?.isFallbackAdapter ?? false);
  // The SLM loads in the background: ranking is ready now, the headline why follows.
  const slm = new SlmHost({
    slm: request.slm ?? {},
    modelsUrl: request.modelsUrl,
    dbName: request.dbName,
    index,
    space: space?.space ?? null,
    ranking: { backend: choice.backend, isFallbackAdapter: choice.adapter?.isFallbackAdapter ?? false },
    textBackbone,
    onStatus: (slmStatus) => setStatus({ slm: slmStatus }),
  });
  setStatus({
    state: 'ready',
    catalog: { items: request.catalog.length, vectorsFromFile: matrix.fromFile, embeddedOnDevice: matrix.embedded },
    loadTimings: { totalMs: Math.round(performance.now() - t0) },
  });
  // USE-lite's graph on a software WebGPU adapter loses the device, and with it the ranking
  // (slm-host.ts says the same for ToT-lite): there the query goes unsteered.
  const steeringText = space && space.alpha > 0 && !fallbackAdapter ? textBackbone : null;
  if (space && space.alpha > 0 && fallbackAdapter) {
    setStatus({
      thoughtSpace: {
        state: 'ready',
        model: request.thoughtSpace ?? null,
        covered: space.covered,
        alpha: space.alpha,
        reason: null,
        unsteered: 'the headline why does not steer the list on a software WebGPU adapter, where the sentence encoder cannot run; it does on wasm or a real GPU',
      },
    });
  }
  return { index, scorer, history, slm, space: () => space, steeringText };
}

/**
 * The Thought Space loads before the worker reports ready, so the first personal list already
 * comes from it; a missing or foreign model leaves the text-similarity ranker in charge.
 */
async function loadSpace(request: InitRequest, index: RankingIndex): Promise<ThoughtSpaceRanker | null> {
  const model = request.thoughtSpace;
  if (!model) return null;
  try {
    const space = await timed('thoughtSpaceMs', () => ThoughtSpaceRanker.load(request.modelsUrl, model, index));
    setStatus({ thoughtSpace: { state: 'ready', model, covered: space.covered, alpha: space.alpha, reason: null, unsteered: space.alpha > 0 ? null : 'α = 0: validation chose no steering for this model' } });
    return space;
  } catch (error) {
    const reason = `${toWireError(error).message}; ranking by text similarity instead`;
    setStatus({ thoughtSpace: { state: 'unavailable', model, covered: 0, alpha: null, reason, unsteered: null } });
    return null;
  }
}

async function ready(): Promise<Engine> {
  if (!engine) throw new Error('the worker has not been initialised: send "init" first');
  return engine;
}

/** The history a request is about: the page's in-memory events, or the stored ones. */
async function historyFor(request: HistorySource, engine: Engine): Promise<PulseEvent[]> {
  return request.events ?? (await engine.history()).list();
}

async function recommend(request: Extract<Request, { type: 'recommend' }>): Promise<RecommendResult> {
  const t0 = performance.now();
  const engine = await ready();
  const { index, scorer, slm } = engine;
  // Context (e.g. the product on screen) counts for this request only and is never stored.
  const context = (request.options.context ?? []).map((event, i) => validateEvent(event, Date.now(), i));
  const history = await historyFor(request, engine);
  const events = [...history, ...context];
  const t1 = performance.now();
  const k = request.options.k ?? 10;
  const exclude = request.options.exclude ?? [];
  const space = engine.space();
  const personal = itemSignals(events, Date.now()).some((signal) => signal.weight > 0);
  const inSpace = space !== null && personal && space.reads(events);
  // The headline describes the shopper's history, not the passing moment; without storage
  // consent (events sent by the page) nothing is cached on the device.
  const headline = () => slm.rationale(history, { persist: request.events === undefined });
  const wantsRationale = request.options.rationale !== false;
  // With α > 0 the headline why steers the Thought Space query (PULSE's rationale view), so it
  // is written before ranking; otherwise ranking does not wait for it.
  const steering = inSpace && wantsRationale && engine.steeringText !== null;
  const rationale = steering ? await headline() : undefined;
  const tEmbed = performance.now();
  const rationaleVector = steering ? await steeringVector(engine.steeringText!, rationale!.text) : null;
  // Reading the why into a vector is part of building the query.
  const embedMs = performance.now() - tEmbed;
  const ranking = inSpace
    ? { ...(await space.rank(events, k, exclude, rationaleVector)), strategy: 'personal' as const, ranker: 'thought-space' as const }
    : await rank(events, index, scorer, { k, exclude }).then((r) => ({
        ...r,
        steered: false,
        ranker: r.strategy === 'personal' ? ('text-similarity' as const) : ('popularity' as const),
      }));
  const why = rationale ?? (wantsRationale ? await headline() : undefined);
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

/** The USE-lite vector of the headline why; null (rank unsteered) when USE-lite cannot load or the text is empty. */
async function steeringVector(encoder: () => Promise<SentenceEncoder>, text: string): Promise<Float32Array | null> {
  if (text.trim() === '') return null;
  try {
    return await (await encoder()).embed([text]);
  } catch {
    return null;
  }
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
      engine = init(request);
      engine.catch((error: unknown) => setStatus({ state: 'error', error: toWireError(error).message }));
      await engine;
      return status;
    case 'recommend':
      return recommend(request);
    case 'explain': {
      const engine = await ready();
      return explain(await historyFor(request, engine), engine.index, request.itemId);
    }
    case 'rationale':
      return rationale(request);
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
