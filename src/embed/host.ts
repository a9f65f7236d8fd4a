/**
 * What the loader, the widgets and auto-tracking share on one page: the config (changeable
 * until Pulse starts) and the one runtime, so every widget on the page uses one worker.
 */
import { applyInit, ConfigError, runtimeUrl, type EmbedConfig, type EmbedInit } from './config.ts';
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
}

type RuntimeModule = typeof import('./runtime.ts');

/** How the runtime module is fetched: a dynamic import in the browser; a fake in unit tests. */
export type LoadRuntime = (url: string) => Promise<Pick<RuntimeModule, 'startEmbed'>>;
const importRuntime: LoadRuntime = (url) => import(/* @vite-ignore */ url) as Promise<RuntimeModule>;

export function createHost(initial: EmbedConfig, pageUrl: () => string, load: LoadRuntime = importRuntime): Host {
  let config = initial;
  let runtime: Promise<EmbedRuntime> | null = null;
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
        (module) => module.startEmbed(config, pageUrl()),
        (error: unknown) => {
          throw new ConfigError(`could not load ${runtimeUrl(config)} (is the pulse/ folder served next to pulse.js?): ${String(error)}`);
        },
      );
      return runtime;
    },
  };
}
