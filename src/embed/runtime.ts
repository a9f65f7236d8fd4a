/**
 * The part of Pulse that pulse.js loads on first need (a command, or a widget scrolled
 * into view): the client, its history and, on first recommendation, the worker and the
 * models. Also an ES module for pages that import Pulse directly.
 */
import { createPulse } from '../client/create-pulse.ts';
import type { PulseClient } from '../client/api.ts';
import type { CatalogItem } from '../core/types.ts';
import { ConfigError, type EmbedConfig } from './config.ts';

export { createPulse } from '../client/create-pulse.ts';

export interface EmbedRuntime {
  client: PulseClient;
  /** The catalog entry of an id (titles, urls and images for the widgets). */
  item(id: string): Promise<CatalogItem | undefined>;
}

export function startEmbed(config: EmbedConfig): EmbedRuntime {
  if (!config.catalogUrl) {
    throw new ConfigError(
      'Pulse needs a catalog: host the folder `pulse build` writes (its pulse.config.json sits next to pulse.js), ' +
        'add data-catalog="/catalog.json" to the pulse.js script tag, or call pulse("init", {catalog: "/catalog.json"}) before any other command',
    );
  }
  const client = createPulse({
    catalogUrl: config.catalogUrl,
    modelsUrl: config.modelsUrl,
    consent: config.consent,
    // The worker and the models wait until a recommendation is wanted: a page that only
    // tracks never loads them.
    lazy: true,
    ...(config.vectorsUrl ? { vectorsUrl: config.vectorsUrl } : {}),
    ...(config.backend ? { backend: config.backend } : {}),
    ...(config.dbName ? { dbName: config.dbName } : {}),
    ...(config.slm ? { slm: config.slm } : {}),
    ...(config.thoughtSpace !== undefined ? { thoughtSpace: config.thoughtSpace } : {}),
  });
  let byId: Promise<Map<string, CatalogItem>> | null = null;
  return {
    client,
    async item(id) {
      byId ??= client.catalog().then((items) => new Map(items.map((item) => [item.id, item])));
      return (await byId).get(id);
    },
  };
}
