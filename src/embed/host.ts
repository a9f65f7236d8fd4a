/**
 * What the loader, the widgets and auto-tracking share on one page: the config (changeable
 * until Pulse starts) and the one runtime, so every widget on the page uses one worker.
 */
import { applyInit, ConfigError, runtimeUrl, workerUrl, type EmbedConfig, type EmbedInit } from './config.ts';
import type { EmbedRuntime } from './runtime.ts';

export interface Host {
  readonly config: EmbedConfig;
  /** Applies `pulse('init', …)`; an error once Pulse has started (the worker has its config). */
  configure(init: EmbedInit): void;
  /** Sets the consent a future start uses (before start, no code needs loading for that). */
  setInitialConsent(granted: boolean): void;
  readonly started: boolean;
  /** Loads the runtime module once and starts it; every caller gets the same one. */
  runtime(): Promise<EmbedRuntime>;
  /**
   * A recommendation is wanted (a widget on screen, `recommend`, `explain`, `ready`): starts the
   * worker now, beside the runtime's import and the catalog, instead of after them — it compiles
   * its script meanwhile. The runtime's client takes it over (never two workers).
   */
  startWorker(): void;
  /** Resolves once pulse.js has run the calls queued before it loaded (`init` first): nothing may start before. */
  readonly queueRun: Promise<void>;
  /** Called by pulse.js when the queued calls have run. */
  queueDone(): void;
}

type RuntimeModule = typeof import('./runtime.ts');

/** How the runtime module is fetched: a dynamic import in the browser; a fake in unit tests. */
export type LoadRuntime = (url: string) => Promise<Pick<RuntimeModule, 'startEmbed'>>;
const importRuntime: LoadRuntime = (url) => import(/* @vite-ignore */ url) as Promise<RuntimeModule>;

/** Starts the build's worker (a module worker, as create-pulse.ts starts it); null where the URL is unknown. */
export type StartWorker = (url: string) => Worker;
const moduleWorker: StartWorker = (url) => new Worker(url, { type: 'module', name: 'pulse' });

export function createHost(initial: EmbedConfig, pageUrl: () => string, load: LoadRuntime = importRuntime, spawn: StartWorker = moduleWorker): Host {
  let config = initial;
  let runtime: Promise<EmbedRuntime> | null = null;
  /** The worker started early, until the runtime's client takes it. */
  let early: Worker | null = null;
  let spawned = false;
  /** The client has started its engine (with this worker or its own): too late for another. */
  let taken = false;
  let queueDone = () => {};
  const queueRun = new Promise<void>((done) => (queueDone = done));
  const takeWorker = () => {
    taken = true;
    const worker = early;
    early = null;
    return worker;
  };
  return {
    get config() {
      return config;
    },
    get started() {
      return runtime !== null;
    },
    configure(init) {
      if (runtime) throw new ConfigError('pulse("init") must come before any other command: Pulse has already started');
      config = applyInit(config, init, pageUrl());
    },
    setInitialConsent(granted) {
      config = { ...config, consent: granted };
    },
    runtime() {
      runtime ??= load(runtimeUrl(config)).then(
        (module) => module.startEmbed(config, pageUrl(), takeWorker),
        (error: unknown) => {
          takeWorker()?.terminate();
          throw new ConfigError(`could not load ${runtimeUrl(config)} (is the pulse/ folder served next to pulse.js?): ${String(error)}`);
        },
      );
      return runtime;
    },
    queueRun,
    queueDone: () => queueDone(),
    startWorker() {
      // Once per page, and only before the client started its engine (then it has its own).
      if (spawned || taken) return;
      spawned = true;
      const url = workerUrl(config);
      if (!url) return;
      try {
        early = spawn(url);
      } catch {
        // Refused here (a policy, no module workers): the client starts its own and reports it.
        early = null;
      }
    },
  };
}
