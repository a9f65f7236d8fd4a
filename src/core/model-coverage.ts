/**
 * Is a trained model meant for this catalog? A Thought Space learned vectors for the items
 * of the catalog it was trained on, and a language model trained on that catalog's
 * rationales writes about its categories ("Comedy" on a kitchen shop): on another catalog
 * each costs its download and its compile time and then ranks or writes nonsense. So a model
 * is used only when it covers the catalog, judged from its item list alone (ids and text
 * hashes, the small manifest) — before any weights are fetched. Platform-free.
 */
import { itemTextHash } from './hash.ts';

/** The items a model was trained on: an item-vector manifest's `ids` and `textHashes`. */
export interface ModelItems {
  ids: readonly string[];
  textHashes?: readonly string[];
}

export interface CoverageDecision {
  use: boolean;
  /** Catalog items whose id the model knows. */
  covered: number;
  /** Of those, the ones whose text is the one the model was trained on. */
  sameText: number;
  total: number;
  /** Why the model is not used; null when it is. */
  reason: string | null;
}

/** Below this share of the catalog, the model was trained on another catalog. */
export const MIN_COVERAGE = 0.9;
/**
 * Ids alone can collide ("1", "2" … in MovieLens and in many shops' SKUs); a catalog is the
 * same one when most known ids also carry the same text.
 */
export const MIN_SAME_TEXT = 0.5;

export function catalogCoverage(catalog: ReadonlyArray<{ id: string; text: string }>, model: ModelItems, what: string): CoverageDecision {
  const hashOf = new Map<string, string | undefined>();
  model.ids.forEach((id, i) => hashOf.set(id, model.textHashes?.[i]));
  let covered = 0;
  let sameText = 0;
  for (const item of catalog) {
    if (!hashOf.has(item.id)) continue;
    covered++;
    const hash = hashOf.get(item.id);
    if (hash === undefined || hash === itemTextHash(item.text)) sameText++;
  }
  const total = catalog.length;
  const decision = { covered, sameText, total };
  if (covered < MIN_COVERAGE * total) {
    return { ...decision, use: false, reason: `${what} was trained on another catalog: it knows ${covered} of this catalog's ${total} items, so it was not downloaded` };
  }
  if (sameText < MIN_SAME_TEXT * covered) {
    return {
      ...decision,
      use: false,
      reason: `${what} was trained on another catalog: ${covered} of this catalog's ${total} ids match, but only ${sameText} of those items have the text it was trained on, so it was not downloaded`,
    };
  }
  return { ...decision, use: true, reason: null };
}

/**
 * The catalog a language model was trained on, as recorded in `models/slm.json`
 * (`"trainedOn": "<Thought Space folder>"` in the model's entry): null for a general model
 * (a Qwen or SmolLM dropped in by the shop), which suits any catalog.
 */
export function slmTrainedOn(rawManifest: unknown, model: string): string | null {
  if (typeof rawManifest !== 'object' || rawManifest === null) return null;
  const entry = (rawManifest as { models?: Record<string, { trainedOn?: unknown } | null> }).models?.[model];
  const trainedOn = entry?.trainedOn;
  return typeof trainedOn === 'string' && /^[A-Za-z0-9_][A-Za-z0-9._-]*$/.test(trainedOn) ? trainedOn : null;
}
