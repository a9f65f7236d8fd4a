/**
 * pulse.js: the one script a shop adds. Small on purpose: it reads its script tag, replaces
 * the command-queue stub with the real `pulse()` (running every queued call in order),
 * defines <pulse-recs> and starts opt-in auto-tracking. The client, the worker and the
 * models load later, from next to this script, when first needed.
 */
import { runCommand } from './commands.ts';
import { readScriptConfig, type EmbedConfig } from './config.ts';
import { startAutoTracking } from './auto-track.ts';
import { createHost } from './host.ts';
import { defineRecsElement } from './recs-element.ts';

type QueuedCall = ArrayLike<unknown>;
interface PulseGlobal {
  (command: string, ...args: unknown[]): Promise<unknown> | void;
  q?: QueuedCall[];
  loaded?: boolean;
}
/** Not declared on Window: the demo and the tests give `window.pulse` other types. */
const global = window as unknown as { pulse?: PulseGlobal };

function fail(message: string, error: unknown): void {
  console.error(`Pulse: ${message}:`, error instanceof Error ? `${error.name}: ${error.message}` : error);
}

function install(): void {
  const existing = global.pulse;
  if (existing?.loaded) return; // pulse.js included twice: the first one serves.
  const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
  let config: EmbedConfig;
  try {
    config = readScriptConfig({ ...(script?.dataset ?? {}) }, script?.src || null, location.href);
  } catch (error) {
    fail('pulse.js is misconfigured', error);
    return;
  }
  const host = createHost(config, () => location.href);
  const pulse: PulseGlobal = (command: string, ...args: unknown[]) => runCommand(host, command, args);
  pulse.loaded = true;
  const queued = existing?.q ?? [];
  global.pulse = pulse;
  // In order, each after the previous settles: `init` or `consent` before `track` must apply first.
  void queued
    .reduce<Promise<unknown>>(
      (previous, call) =>
        previous.then(() => {
          const [command, ...args] = Array.from(call);
          return runCommand(host, command, args).catch((error: unknown) => fail(`queued pulse(${JSON.stringify(command)}) failed`, error));
        }),
      Promise.resolve(),
    )
    .then(() => host.queueDone());
  defineRecsElement(host);
  startAutoTracking(document, (event) => host.runtime().then((runtime) => runtime.client.track(event)), (error) => fail('could not record an event', error));
}

install();
