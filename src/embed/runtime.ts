/**
 * The part of Pulse that pulse.js loads on first need (a command, or a widget scrolled
 * into view): the client, its history and, on first recommendation, the worker and the
 * models. Also an ES module for pages that import Pulse directly.
 */
import { createPulse } from '../client/create-pulse.ts';
import type { PulseClient } from '../client/api.ts';
import type { CatalogItem } from '../core/types.ts';
import { applyInit, ConfigError, loadShopConfig, type EmbedConfig } from './config.ts';

export { createPulse } from '../client/create-pulse.ts';

export interface EmbedRuntime {
  client: PulseClient;
  /** The config Pulse started with: the page's, completed by the shop's pulse.config.json. */
  config: EmbedConfig;
  /** The catalog entry of an id (titles, urls and images for the widgets). */
  item(id: string): Promise<CatalogItem | undefined>;
}

/**
 * With no catalog named on the tag or by `init`, the shop's pulse.config.json (made by
 * `pulse build`, next to pulse.js unless data-config says where) supplies it. Read here,
 * not in pulse.js, so the loader every page pays for stays small. `takeWorker` hands over the
 * worker pulse.js started while this module loaded (host.ts), when it did.
 */
export async function startEmbed(initial: EmbedConfig, pageUrl: string = location.href, takeWorker?: () => Worker | null): Promise<EmbedRuntime> {
  let config = initial;
  if (!config.catalogUrl) {
    const init = await loadShopConfig(config.configUrl);
    if (init) config = applyInit(config, init, pageUrl);
  }
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
  }, takeWorker ? { worker: takeWorker } : {});
  let byId: Promise<Map<string, CatalogItem>> | null = null;
  return {
    client,
    config,
    async item(id) {
      byId ??= client.catalog().then((items) => new Map(items.map((item) => [item.id, item])));
      return (await byId).get(id);
    },
  };
}
