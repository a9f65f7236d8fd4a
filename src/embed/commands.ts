/**
 * `pulse(command, ...args)`: the global API of pulse.js, usable before the script has loaded
 * through the queue stub. Every command returns a promise (the stub returns nothing; its
 * calls run in order once pulse.js loads).
 */
import type { PulseEventName, RecommendOptions } from '../client/api.ts';
import type { EventInput, RecommendResult } from '../core/types.ts';
import type { EmbedInit } from './config.ts';
import type { Host } from './host.ts';

export class CommandError extends Error {
  override name = 'CommandError';
}

type Handler = (host: Host, args: unknown[]) => Promise<unknown>;

const handlers: Record<string, Handler> = {
  async init(host, [options]) {
    host.configure(options as EmbedInit);
  },
  async track(host, [event]) {
    await (await host.runtime()).client.track(event as EventInput | EventInput[]);
  },
  async recommend(host, [options]): Promise<RecommendResult> {
    host.startWorker();
    return (await host.runtime()).client.recommend((options ?? {}) as RecommendOptions);
  },
  async explain(host, [itemId]) {
    // Passed as given: the client's check names a bad id (a TypeError), where String() would hide it.
    host.startWorker();
    return (await host.runtime()).client.explain(itemId as string);
  },
  async consent(host, [granted]) {
    if (typeof granted !== 'boolean') throw new CommandError(`pulse("consent", granted) needs true or false; got ${JSON.stringify(granted)}`);
    // Before Pulse starts, consent is just remembered: withdrawing it loads nothing.
    if (!host.started) return host.setInitialConsent(granted);
    await (await host.runtime()).client.consent(granted);
  },
  async forget(host) {
    await (await host.runtime()).client.forget();
  },
  async history(host) {
    return (await host.runtime()).client.history();
  },
  async export(host) {
    return (await host.runtime()).client.exportHistory();
  },
  async status(host) {
    return (await host.runtime()).client.status();
  },
  /**
   * `pulse('item', id)`: the catalog entry of an id, from the copy the worker fetched and
   * validated (undefined for an unknown id). A page that shows catalog data beside a widget
   * reads it here instead of fetching the catalog a second time (starts the worker).
   */
  async item(host, [id]) {
    if (typeof id !== 'string' || id === '') throw new CommandError(`pulse("item", id) needs a non-empty string id; got ${JSON.stringify(id)}`);
    host.startWorker();
    return (await host.runtime()).item(id);
  },
  /** Resolves with the status once the worker and models are loaded (starts them). */
  async ready(host) {
    host.startWorker();
    return (await host.runtime()).client.ready;
  },
  /** `pulse('on', 'status' | 'history', listener)`; resolves with an unsubscribe function. */
  async on(host, [name, listener]) {
    if (name !== 'status' && name !== 'history') throw new CommandError(`pulse("on", name, listener): name must be "status" or "history"; got ${JSON.stringify(name)}`);
    if (typeof listener !== 'function') throw new CommandError('pulse("on", name, listener): listener must be a function');
    return (await host.runtime()).client.on(name as PulseEventName, listener as () => void);
  },
};

export const COMMANDS = Object.keys(handlers);

export function runCommand(host: Host, name: unknown, args: unknown[]): Promise<unknown> {
  const handler = typeof name === 'string' && Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  if (!handler) return Promise.reject(new CommandError(`unknown Pulse command ${JSON.stringify(name)} (known: ${COMMANDS.join(', ')})`));
  try {
    return handler(host, args);
  } catch (error) {
    return Promise.reject(error);
  }
}
