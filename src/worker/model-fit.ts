/**
 * In the worker, before any weights are fetched: does the Thought Space, and the language
 * model, belong to this catalog? Reads only the small manifests (thought-space.json, its
 * item list, slm.json) and decides with the pure src/core/model-coverage.ts. A manifest that
 * cannot be read decides nothing here: the load that follows reports that failure itself.
 */
import { catalogCoverage, slmTrainedOn, type CoverageDecision } from '../core/model-coverage.ts';
import type { CatalogItem } from '../core/types.ts';
import { slmManifestUrl } from '../slm/slm-manifest.ts';
import type { SlmOptions } from '../slm/slm-types.ts';
import type { FetchOnce } from './fetch-once.ts';

/** Without a shared reader (tests, tools), each read is a plain fetch. */
const plain: FetchOnce = (url) => fetch(url);

async function json(read: FetchOnce, url: string): Promise<unknown> {
  const response = await read(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

/** Coverage of the catalog by a Thought Space folder's item list; null when it cannot be read. */
export async function thoughtSpaceFit(
  modelsUrl: string,
  model: string,
  catalog: readonly CatalogItem[],
  what = `the Thought Space "${model}"`,
  read: FetchOnce = plain,
): Promise<CoverageDecision | null> {
  try {
    const base = `${modelsUrl.replace(/\/+$/, '')}/${model}`;
    const manifest = (await json(read, `${base}/thought-space.json`)) as { itemVectors?: unknown };
    if (typeof manifest.itemVectors !== 'string') return null;
    const items = (await json(read, `${base}/${manifest.itemVectors}`)) as { ids?: unknown; textHashes?: unknown };
    if (!Array.isArray(items.ids)) return null;
    return catalogCoverage(catalog, { ids: items.ids as string[], ...(Array.isArray(items.textHashes) ? { textHashes: items.textHashes as string[] } : {}) }, what);
  } catch {
    return null;
  }
}

/**
 * Why the site's language model should not load for this catalog, or null (load it). A model
 * the page names itself (`slm.model`) is the shop's choice and loads; so does a model with no
 * recorded catalog (`trainedOn` in slm.json), such as a general SLM.
 */
export async function slmMisfit(
  modelsUrl: string,
  slm: SlmOptions,
  catalog: readonly CatalogItem[],
  known: { model: string; fit: CoverageDecision } | null,
  read: FetchOnce = plain,
): Promise<string | null> {
  if (slm.enabled === false || slm.model !== undefined) return null;
  let manifest: unknown;
  try {
    const response = await read(slmManifestUrl(modelsUrl));
    if (!response.ok) return null;
    manifest = await response.json();
  } catch {
    return null;
  }
  const model = (manifest as { model?: unknown }).model;
  if (typeof model !== 'string') return null;
  const trainedOn = slmTrainedOn(manifest, model);
  if (trainedOn === null) return null;
  const fit = known?.model === trainedOn ? known.fit : await thoughtSpaceFit(modelsUrl, trainedOn, catalog, undefined, read);
  if (!fit || fit.use) return null;
  return `the language model "${model}" was trained on the catalog of "${trainedOn}", not this one (it knows ${fit.sameText} of this catalog's ${fit.total} items), so it was not downloaded; the headline why is written from the shopper's own history instead`;
}
