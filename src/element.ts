/**
 * `<pulse-recs>` for pages that bundle Pulse (`import { definePulseRecs } from
 * 'pulse-recs/element'`): the same element and `pulse(command, …)` API as the script tag,
 * with the runtime bundled by the page instead of loaded from next to pulse.js.
 *
 *   const pulse = definePulseRecs({ catalog: '/shop/catalog.json', models: '/shop/models' });
 *   // or, for a folder made by pulse build:  definePulseRecs({ config: '/shop/pulse.config.json' })
 *   await pulse('track', { type: 'view', itemId: 'k08' });
 */
import { runCommand } from './embed/commands.ts';
import { applyInit, readScriptConfig, type EmbedInit } from './embed/config.ts';
import { createHost, type Host } from './embed/host.ts';
import { defineRecsElement } from './embed/recs-element.ts';
import { startAutoTracking } from './embed/auto-track.ts';

export type { EmbedInit, ShopTexts } from './embed/config.ts';

export interface ElementOptions extends EmbedInit {
  /** URL of a pulse.config.json (made by pulse build); used when `catalog` is not given. */
  config?: string;
  /** Opt-in auto-tracking of data-pulse-* attributes (docs/embed.md). Default true, as with the script tag. */
  autoTrack?: boolean;
}

export type PulseCommand = (command: string, ...args: unknown[]) => Promise<unknown>;

export function definePulseRecs(options: ElementOptions = {}): PulseCommand {
  const { config: configFile, autoTrack = true, ...init } = options;
  const page = location.href;
  const start = readScriptConfig({ base: init.base ?? '/', ...(configFile ? { config: configFile } : {}) }, null, page);
  // The bundled runtime: no second copy of Pulse fetched by URL.
  const host: Host = createHost(applyInit(start, init, page), () => location.href, () => import('./embed/runtime.ts'));
  defineRecsElement(host);
  if (autoTrack) {
    startAutoTracking(document, (event) => host.runtime().then((runtime) => runtime.client.track(event)), (error) => console.error('Pulse: could not record an event:', error));
  }
  return (command, ...args) => runCommand(host, command, args);
}
