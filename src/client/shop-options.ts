/**
 * createPulse's options for a folder made by `pulse build`: its pulse.config.json says where
 * the catalog, vectors and models are, and which Thought Space and language model suit the
 * shop (without logs: none). Used by the package's API (`shopOptions`) and by the demo's
 * `?catalog=/folder/`.
 */
import type { PulseOptions } from './api.ts';
import { applyInit, loadShopConfig, SHOP_CONFIG_FILE, type EmbedConfig } from '../embed/config.ts';

/** The folder URL of `?catalog=`, resolved against the page; null when absent. */
export function shopFolderFromQuery(search: string, pageUrl: string): string | null {
  const value = new URLSearchParams(search).get('catalog')?.trim();
  if (!value) return null;
  const url = new URL(value, pageUrl);
  if (url.origin !== new URL(pageUrl).origin) throw new Error(`?catalog= must name a folder on this site; got ${value}`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

/** What a pulse build folder decides; the rest of PulseOptions stays the caller's. */
export type ShopOptions = Pick<PulseOptions, 'catalogUrl' | 'modelsUrl' | 'vectorsUrl' | 'thoughtSpace' | 'slm'>;

/**
 * The client options for a pulse build folder (its URL, e.g. "/shop/"), read from its
 * pulse.config.json: `createPulse({...(await shopOptions('/shop/')), consent})`.
 */
export async function shopOptions(folderUrl: string, pageUrl: string = location.href): Promise<ShopOptions> {
  const folder = new URL(folderUrl.endsWith('/') ? folderUrl : `${folderUrl}/`, pageUrl).href;
  const configUrl = new URL(SHOP_CONFIG_FILE, folder).href;
  const init = await loadShopConfig(configUrl);
  if (!init) throw new Error(`${configUrl} was not found: is ${folder} a folder made by pulse build?`);
  const start: EmbedConfig = { catalogUrl: null, base: folder, modelsUrl: new URL('models', folder).href, consent: true, configUrl };
  const config = applyInit(start, init, pageUrl);
  return {
    catalogUrl: config.catalogUrl!,
    modelsUrl: config.modelsUrl,
    ...(config.vectorsUrl ? { vectorsUrl: config.vectorsUrl } : {}),
    ...(config.thoughtSpace !== undefined ? { thoughtSpace: config.thoughtSpace } : {}),
    ...(config.slm ? { slm: config.slm } : {}),
  };
}
