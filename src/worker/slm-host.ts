/**
 * The SLM in the worker: loads the model named by options or `models/slm.json` (device and
 * dtype chosen from the adapter and the files present), reports progress as status, and
 * writes the rationale for a history — ToT-lite over k candidates or, with slm.method "tot",
 * the paper's Tree-of-Thought (thought-tree.ts) — cached per history in
 * IndexedDB, bounded by a timeout, cancellable, streamed. Whenever it cannot (off, loading,
 * unavailable, timed out, failed) the answer is the evidence-based preference instead, with
 * the reason; ranking never waits on the model's load and never fails because of it.
 */
import { composePreference } from '../core/evidence-composer.ts';
import type { RankingIndex } from '../core/ranker.ts';
import type { PulseEvent } from '../core/types.ts';
import { chooseDevices, chooseDtype, dtypeCandidates, DTYPE_SUFFIX, type GpuFacts } from '../slm/dtype-choice.ts';
import { describeLoadFailure } from '../slm/load-failure.ts';
import { cleanRationale } from '../slm/rationale-text.ts';
import { writeRationale, type RationaleMethod } from '../slm/rationale-writer.ts';
import { chooseSlmModel, parseSlmManifest, SLM_MANIFEST_FILE, slmManifestUrl, type SlmManifest } from '../slm/slm-manifest.ts';
import { GenerationControl } from '../slm/generation-control.ts';
import type { SlmModel } from '../slm/slm-model.ts';
import type { Rationale, RationaleFallback, SlmDevice, SlmDtype, SlmOptions, SlmStatus } from '../slm/slm-types.ts';
import { initialSlmStatus } from '../slm/slm-types.ts';
import type { ThoughtSpace } from '../model/thought-space-loader.ts';
import type { SentenceEncoder } from '../slm/use-lite-scorer.ts';
import { GenerationStopped, type Selection, type ThoughtScorer } from '../slm/tot-lite.ts';
import type { FetchOnce } from './fetch-once.ts';
import { historyFingerprint, openRationaleCache, type CachedRationale, type RationaleCache } from '../store/rationale-cache.ts';

export const SLM_DEFAULTS = { timeoutMs: 20_000, candidates: 3, maxNewTokens: 80, method: 'samples' } as const;

export interface SlmHostOptions {
  slm: SlmOptions;
  modelsUrl: string;
  dbName: string;
  index: RankingIndex;
  /**
   * A ready-made scorer for ToT-lite (tests); absent, one is built: the trained Thought Space
   * (`space`) when the catalog has one, else the USE-lite cosine scorer.
   */
  scorer?: ThoughtScorer;
  /** The catalog's trained Thought Space: ToT-lite scores candidates with its towers. */
  space?: Pick<ThoughtSpace, 'encodeHistory' | 'encodeRationale'> | null;
  /** USE-lite, shared with the worker's other use of it (steering); absent, loaded from modelsUrl. */
  textBackbone?: () => Promise<SentenceEncoder>;
  /** The tfjs backend ranking runs on: the interim scorer shares it. */
  ranking: { backend: string; isFallbackAdapter: boolean };
  /** Reads slm.json; the worker's shared reader, so the coverage check's read is reused. */
  readJson?: FetchOnce;
  onStatus(status: SlmStatus): void;
}

export interface RationaleCall {
  /**
   * May the result be cached on the device (IndexedDB)? Only with storage consent: without
   * it the page keeps its events in memory and nothing may be written. Default false.
   */
  persist?: boolean;
  fresh?: boolean;
  onToken?: (text: string, candidate: number) => void;
  /** Lets the caller stop this call (cancel). */
  control?: (control: { cancel(): void }) => void;
}

/**
 * Whether the history holds anything but "no"s (dismissals and dislikes): with only those the
 * model would invent a taste, so the evidence statement ("Nothing liked yet; …") answers.
 */
function describable(history: readonly PulseEvent[]): boolean {
  return history.some((event) => event.type !== 'dismiss' && event.type !== 'dislike');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function fetchManifest(modelsUrl: string, read: FetchOnce): Promise<SlmManifest | null> {
  const response = await read(slmManifestUrl(modelsUrl));
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${SLM_MANIFEST_FILE}: HTTP ${response.status}`);
  return parseSlmManifest(await response.json());
}

/** The dtypes among `candidates` whose weight file the models folder serves (HEAD requests). */
async function probeDtypes(modelsUrl: string, model: string, candidates: readonly SlmDtype[]): Promise<SlmDtype[]> {
  const found: SlmDtype[] = [];
  for (const dtype of candidates) {
    const response = await fetch(`${modelsUrl}/${model}/onnx/model${DTYPE_SUFFIX[dtype]}.onnx`, { method: 'HEAD' });
    if (response.ok) found.push(dtype);
  }
  return found;
}

export class SlmHost {
  private status: SlmStatus;
  private model: SlmModel | null = null;
  private scorer: ThoughtScorer | null = null;
  private scorerNote: string | null = null;
  /** Opened on the first call allowed to persist; null when IndexedDB is unusable. */
  private cache: Promise<RationaleCache | null> | null = null;
  private readonly settings: { timeoutMs: number; candidates: number; maxNewTokens: number; method: RationaleMethod };
  /** Every category of the catalog, for the grounding of generated text (computed once). */
  private knownCategories: string[] | null = null;
  /** One generation at a time (ORT runs one session call at a time anyway); same history → same job. */
  private running: { fingerprint: string; job: Promise<Selection>; control: GenerationControl } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** The model load, once started (start()); null until then. */
  private loading: Promise<void> | null = null;
  private readonly enabled: boolean;

  constructor(private readonly options: SlmHostOptions) {
    const enabled = options.slm.enabled !== false;
    this.status = initialSlmStatus(enabled);
    this.settings = {
      timeoutMs: options.slm.timeoutMs ?? SLM_DEFAULTS.timeoutMs,
      candidates: Math.max(1, Math.floor(options.slm.candidates ?? SLM_DEFAULTS.candidates)),
      maxNewTokens: Math.max(1, Math.floor(options.slm.maxNewTokens ?? SLM_DEFAULTS.maxNewTokens)),
      method: options.slm.method ?? SLM_DEFAULTS.method,
    };
    options.onStatus(this.status);
    this.enabled = enabled;
  }

  /**
   * Starts loading the model (idempotent). Not at construction: the model and its runtime
   * are tens of megabytes the first recommendation does not need, so the page asks for them
   * once that recommendation is shown (a "warm" request), or a rationale() call does.
   */
  start(): Promise<void> {
    return (this.loading ??= this.enabled ? this.load() : Promise.resolve());
  }

  /** Settles when the model has loaded or failed to (starts the load if need be). */
  get loaded(): Promise<void> {
    return this.start();
  }

  getStatus(): SlmStatus {
    return this.status;
  }

  private update(patch: Partial<SlmStatus>): void {
    this.status = { ...this.status, ...patch, loadTimings: { ...this.status.loadTimings, ...patch.loadTimings } };
    this.options.onStatus(this.status);
  }

  private async load(): Promise<void> {
    const t0 = performance.now();
    const { slm, modelsUrl } = this.options;
    try {
      const manifest = await fetchManifest(modelsUrl, this.options.readJson ?? ((url) => fetch(url))).catch((error: unknown) => {
        throw new Error(`could not read ${slmManifestUrl(modelsUrl)}: ${errorText(error)}`);
      });
      const choice = chooseSlmModel(slm.model, manifest);
      this.update({ model: choice.model });
      const [{ configureRuntime, probeGpu, watchDownloads }, { SlmModel }] = await Promise.all([import('../slm/slm-runtime.ts'), import('../slm/slm-model.ts')]);
      // Progress from the bytes as they arrive, every file of the model folder.
      const files = new Map<string, { loaded: number; total: number }>();
      const downloaded = () => [...files.values()].reduce((sum, f) => ({ loaded: sum.loaded + f.loaded, total: sum.total + Math.max(f.total, f.loaded) }), { loaded: 0, total: 0 });
      let reported = 0;
      const unwatch = watchDownloads((url, loaded, total) => {
        if (!url.includes(`/${choice.model}/`)) return;
        files.set(url, { loaded, total });
        // A status message per 256 KB (and at each file's end), not per network chunk.
        const sum = downloaded().loaded;
        if (sum - reported < 262_144 && loaded < total) return;
        reported = sum;
        this.update({ progress: { phase: 'download', ...downloaded(), file: url.slice(url.indexOf(`/${choice.model}/`) + choice.model.length + 2) } });
      });
      try {
        // Forced wasm needs no adapter; asking for one would only cost time.
        const gpu: GpuFacts = slm.device === 'wasm' ? { available: false, shaderF16: false, isFallbackAdapter: false, unavailableReason: 'not asked (slm.device = wasm)' } : await probeGpu();
        const devices = chooseDevices(slm.device ?? 'auto', gpu);
        // The ORT build follows the devices: WebGPU's (asyncify) only when WebGPU may be used.
        configureRuntime({ modelsUrl, webgpu: devices.devices.includes('webgpu'), ...(slm.remoteHost ? { remoteHost: slm.remoteHost } : {}) });
        const notes = [...devices.notes];
        const failures: string[] = [];
        let loadedOn: SlmDevice | null = null;
        for (const device of devices.devices) {
          try {
            // A named dtype is tried as is (a missing file is then a clear load error); otherwise
            // the manifest's list, else a probe of the files the device could run.
            const available = slm.dtype ? [slm.dtype] : (choice.dtypes ?? (await probeDtypes(modelsUrl, choice.model, dtypeCandidates(device, gpu.shaderF16))));
            if (available.length === 0 && slm.remoteHost) available.push(...dtypeCandidates(device, gpu.shaderF16));
            const dtype = chooseDtype(device, gpu.shaderF16, available, slm.dtype);
            notes.push(...dtype.notes);
            this.update({ device, dtype: dtype.dtype, notes });
            this.model = await SlmModel.load({
              model: choice.model,
              device,
              dtype: dtype.dtype,
              remote: Boolean(slm.remoteHost),
              onProgress: (p) => {
                if (p.phase === 'compile') this.update({ progress: { phase: 'compile', ...downloaded(), file: null } });
              },
            });
            loadedOn = device;
            break;
          } catch (error) {
            failures.push(`${device}: ${errorText(error)}`);
            if (device !== devices.devices.at(-1)) notes.push(`${device} failed, trying the next device — ${errorText(error)}`);
          }
        }
        if (!this.model || !loadedOn) throw new Error(failures.join('; '));
        // Without a scorer the model still writes: one greedy rationale instead of the best of k.
        this.scorer = await this.loadScorer().catch((error: unknown) => {
          this.scorerNote = `Writes one why (the model that compares whys with your history could not load: ${errorText(error)})`;
          return null;
        });
        if (this.scorerNote) notes.push(this.scorerNote);
        const report = this.model.report;
        const bytes = downloaded().loaded;
        this.update({
          state: 'ready',
          device: loadedOn,
          dtype: this.model.dtype,
          notes,
          progress: { phase: 'done', loaded: bytes, total: bytes, file: null },
          loadTimings: {
            downloadMs: Math.round(report.downloadMs),
            compileMs: Math.round(report.compileMs),
            totalMs: Math.round(performance.now() - t0),
            bytes,
          },
        });
      } finally {
        unwatch();
      }
    } catch (error) {
      this.model = null;
      this.update({ state: 'unavailable', reason: describeLoadFailure(errorText(error)), progress: null, loadTimings: { totalMs: Math.round(performance.now() - t0) } });
    }
  }

  private openCache(): Promise<RationaleCache | null> {
    return (this.cache ??= openRationaleCache({ dbName: this.options.dbName }).catch(() => null));
  }

  /** ToT-lite needs a Thought Space scorer only with more than one candidate; the Tree-of-Thought always. */
  private async loadScorer(): Promise<ThoughtScorer | null> {
    const tot = this.settings.method === 'tot';
    if (this.settings.candidates === 1 && !tot) return null;
    if (this.options.scorer) return this.options.scorer;
    const { backend, isFallbackAdapter } = this.options.ranking;
    if (backend === 'webgpu' && isFallbackAdapter) {
      // USE-lite's graph on tfjs-webgpu loses the SwiftShader device (and with it the
      // ranking), seen in Chromium 156; so no second model on that device: greedy only.
      this.scorerNote = 'Writes one why (comparing whys with your history needs a hardware graphics adapter)';
      return null;
    }
    const [{ TextBackbone }, { createUseLiteScorer }, { createThoughtSpaceScorer }] = await Promise.all([
      import('../model/use-lite.ts'),
      import('../slm/use-lite-scorer.ts'),
      import('../slm/thought-space-scorer.ts'),
    ]);
    const backbone = await (this.options.textBackbone?.() ?? TextBackbone.fromUrl(`${this.options.modelsUrl}/use-lite`));
    const { index, space } = this.options;
    if (space) {
      this.scorerNote = tot
        ? 'Writes each why a sentence at a time and keeps the sentences that best match your history'
        : `Writes ${this.settings.candidates} whys and keeps the one that best matches your history`;
      return createThoughtSpaceScorer(backbone, space);
    }
    this.scorerNote = tot
      ? 'Writes each why a sentence at a time and keeps the sentences closest in meaning to your history'
      : `Writes ${this.settings.candidates} whys and keeps the one closest in meaning to your history`;
    return createUseLiteScorer(backbone, (id) => {
      const row = index.indexOf.get(id);
      return row === undefined ? undefined : index.items[row];
    });
  }

  private evidence(history: readonly PulseEvent[], fallback?: RationaleFallback, reason?: string): Rationale {
    const { index } = this.options;
    const text = cleanRationale(composePreference(history, { catalog: index.items, indexOf: index.indexOf }));
    return { text, source: 'evidence', ...(fallback ? { fallback, reason: reason ?? this.status.reason ?? fallback } : {}) };
  }

  /** The rationale for this history: the SLM's (cached or fresh) or the evidence-based one, never a rejection. */
  async rationale(history: readonly PulseEvent[], call: RationaleCall = {}): Promise<Rationale> {
    const t0 = performance.now();
    // Nothing to describe yet: the model would only invent a taste.
    if (!describable(history)) return this.evidence(history);
    // Asked for the SLM's text: worth waiting for the model (its load has its own failure paths).
    await this.start();
    const model = this.model;
    if (!model) {
      const fallback: RationaleFallback = this.status.state === 'off' ? 'off' : this.status.state === 'loading' ? 'loading' : 'unavailable';
      return this.evidence(history, fallback, fallback === 'loading' ? 'the SLM is still loading' : undefined);
    }
    const fingerprint = historyFingerprint(history, this.salt(model));
    const cache = call.persist ? await this.openCache() : null;
    if (!call.fresh && cache) {
      const hit = await cache.get(fingerprint).catch(() => null);
      if (hit) return this.fromCache(hit);
    }
    let job = this.running?.fingerprint === fingerprint && !call.onToken && !call.fresh ? this.running : null;
    if (!job) job = this.startJob(model, history, fingerprint, call, cache);
    call.control?.({ cancel: () => job.control.stop('cancelled') });
    try {
      const selection = await job.job;
      return {
        text: selection.best.text,
        source: 'slm',
        model: model.model,
        method: this.settings.method,
        cached: false,
        candidates: selection.candidates.length,
        score: selection.best.score,
        ms: Math.round(performance.now() - t0),
      };
    } catch (error) {
      if (error instanceof GenerationStopped) {
        const reason = error.reason === 'timeout' ? `the SLM took longer than ${this.settings.timeoutMs} ms` : 'the rationale was cancelled';
        return this.evidence(history, error.reason, reason);
      }
      if (error instanceof Error && error.name === 'NoRationaleError') return this.evidence(history, 'empty', error.message);
      if (error instanceof Error && error.name === 'UngroundedRationaleError') return this.evidence(history, 'ungrounded', error.message);
      return this.evidence(history, 'failed', `the SLM failed: ${errorText(error)}`);
    }
  }

  /**
   * The headline why at hand for this history, without writing one: the SLM's cached text when
   * the model is loaded and has written it before, else the evidence-based statement, whose
   * `fallback` says why (`pending`: rationale() would write it now; `loading`; `off` …).
   */
  async atHand(history: readonly PulseEvent[], call: Pick<RationaleCall, 'persist'> = {}): Promise<Rationale> {
    const model = this.model;
    if (!model) {
      const state = this.status.state;
      const fallback: RationaleFallback = state === 'off' ? 'off' : state === 'unavailable' ? 'unavailable' : 'loading';
      return this.evidence(history, fallback, fallback === 'loading' ? 'the SLM is still loading' : undefined);
    }
    if (!describable(history)) return this.evidence(history);
    const cache = call.persist ? await this.openCache() : null;
    const hit = cache ? await cache.get(historyFingerprint(history, this.salt(model))).catch(() => null) : null;
    if (hit) return this.fromCache(hit);
    return this.evidence(history, 'pending', 'the SLM writes it after the list is shown');
  }

  /** A cached why, as a fresh one reads (its key holds the search, so it is this host's method's). */
  private fromCache(hit: CachedRationale): Rationale {
    return { text: hit.text, source: 'slm', model: hit.model, method: this.settings.method, cached: true, candidates: hit.candidates, score: hit.score, ms: 0 };
  }

  private salt(model: SlmModel): string {
    // The method is part of the key: a Tree-of-Thought why and a best-of-k why are not the same answer.
    const search = this.settings.method === 'tot' ? 'tot' : `k${this.candidates()}`;
    return `${model.model}|${model.dtype}|${search}|t${this.settings.maxNewTokens}`;
  }

  /** Candidates per rationale: several only when there is a scorer to choose among them. */
  private candidates(): number {
    return this.scorer ? this.settings.candidates : 1;
  }

  private startJob(model: SlmModel, history: readonly PulseEvent[], fingerprint: string, call: RationaleCall, cache: RationaleCache | null) {
    // A newer history makes the running generation moot: stop it so this one starts sooner.
    if (this.running && this.running.fingerprint !== fingerprint) this.running.control.stop('cancelled');
    const control = new GenerationControl();
    const { index } = this.options;
    const lookup = (id: string) => {
      const row = index.indexOf.get(id);
      return row === undefined ? undefined : index.items[row];
    };
    this.knownCategories ??= [...new Set(index.items.flatMap((item) => item.categories))];
    const scorer: ThoughtScorer = this.scorer ?? { score: async (_h, r) => r.map(() => 0) };
    const run = async (): Promise<Selection> => {
      if (control.reason) throw new GenerationStopped(control.reason, 'stopped before it started');
      // The clock starts when this job gets the model, not while it waits for another.
      control.startClock(this.settings.timeoutMs);
      this.update({ state: 'generating' });
      try {
        const selection = await writeRationale(model, {
          history,
          lookup,
          knownCategories: this.knownCategories!,
          method: this.settings.method,
          candidates: this.candidates(),
          maxNewTokens: this.settings.maxNewTokens,
          scorer,
          control,
          ...(call.onToken ? { onToken: call.onToken } : {}),
        });
        await cache
          ?.put(fingerprint, {
            text: selection.best.text,
            model: model.model,
            score: selection.best.score,
            candidates: selection.candidates.length,
            createdAt: Date.now(),
          })
          .catch(() => undefined);
        return selection;
      } finally {
        control.dispose();
        if (this.status.state === 'generating') this.update({ state: 'ready' });
      }
    };
    const job = this.queue.then(run, run);
    this.queue = job.catch(() => undefined);
    const entry = { fingerprint, job, control };
    this.running = entry;
    void job.finally(() => {
      if (this.running === entry) this.running = null;
    }).catch(() => undefined);
    return entry;
  }

  /** The loaded model, for the benchmark and tests; null unless ready. */
  loadedModel(): SlmModel | null {
    return this.model;
  }
}
