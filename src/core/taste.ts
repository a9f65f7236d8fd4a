import { itemSignals, type ItemSignal } from './profile.ts';
import type { CatalogItem, PulseEvent } from './types.ts';

/**
 * A readable summary of one shopper's history: which categories and eras they lean to or
 * avoid, their favourite items and how they rate. It is the shared ground of every
 * data-written sentence about a shopper (the evidence composer, the prompts' context), so
 * that the *why* Pulse trains on and the *why* it shows come from the same facts.
 */

export interface TasteContext {
  catalog: readonly CatalogItem[];
  indexOf: ReadonlyMap<string, number>;
}

export interface Share {
  label: string;
  /** Share of the positive (or negative) pull, in [0, 1]. */
  share: number;
}

export interface Taste {
  /** Positively weighted items, strongest pull first. */
  liked: { item: CatalogItem; signal: ItemSignal }[];
  /** Negatively weighted items (low ratings, dismissals), strongest push first. */
  disliked: { item: CatalogItem; signal: ItemSignal }[];
  /** Categories by share of the positive pull, largest first. */
  categories: Share[];
  /** Categories that push more than they pull (net share of the push), largest first. */
  avoided: Share[];
  /** Decades ("1990s") by share of the positive pull, largest first. */
  decades: Share[];
  /** Mean stars over rated items, or null without ratings. */
  meanRating: number | null;
  ratedCount: number;
}

export function decadeOf(year: number | null): string | null {
  return year === null ? null : `${Math.floor(year / 10) * 10}s`;
}

function shares(weights: Map<string, number>): Share[] {
  let total = 0;
  for (const w of weights.values()) total += w;
  if (total <= 0) return [];
  return [...weights.entries()]
    .map(([label, w]) => ({ label, share: w / total }))
    .sort((a, b) => b.share - a.share || (a.label < b.label ? -1 : 1));
}

function add(map: Map<string, number>, key: string, weight: number): void {
  map.set(key, (map.get(key) ?? 0) + weight);
}

/**
 * Decay is measured from the history's own last event, not the wall clock, so the same
 * history always reads the same way (offline teachers must be deterministic).
 */
export function readTaste(history: readonly PulseEvent[], context: TasteContext): Taste {
  const now = history.reduce((latest, e) => Math.max(latest, e.ts), 0);
  const liked: Taste['liked'] = [];
  const disliked: Taste['disliked'] = [];
  const categoryPull = new Map<string, number>();
  const categoryPush = new Map<string, number>();
  const decadePull = new Map<string, number>();
  let ratingSum = 0;
  let ratedCount = 0;
  for (const signal of itemSignals(history, now)) {
    const row = context.indexOf.get(signal.itemId);
    if (row === undefined) continue;
    const item = context.catalog[row]!;
    if (signal.rating !== undefined) {
      ratingSum += signal.rating;
      ratedCount++;
    }
    if (signal.weight > 0) {
      liked.push({ item, signal });
      for (const c of item.categories) add(categoryPull, c, signal.weight / item.categories.length);
      const decade = decadeOf(item.year);
      if (decade) add(decadePull, decade, signal.weight);
    } else if (signal.weight < 0) {
      disliked.push({ item, signal });
      for (const c of item.categories) add(categoryPush, c, -signal.weight / item.categories.length);
    }
  }
  const byPull = (a: { signal: ItemSignal }, b: { signal: ItemSignal }) => Math.abs(b.signal.weight) - Math.abs(a.signal.weight);
  liked.sort(byPull);
  disliked.sort(byPull);
  // A category counts as avoided only when it pushes more than it pulls: someone who loves
  // most dramas but panned two is not "avoiding drama".
  // Nor is a category among the three it pulls hardest towards: one sentence must not say
  // "leans towards Comedy" and "avoids Comedy".
  const categories = shares(categoryPull);
  const leading = new Set(categories.slice(0, 3).map((s) => s.label));
  const netPush = new Map<string, number>();
  for (const [c, push] of categoryPush) {
    const pull = categoryPull.get(c) ?? 0;
    if (push > pull && !leading.has(c)) netPush.set(c, push - pull);
  }
  return {
    liked,
    disliked,
    categories,
    avoided: shares(netPush),
    decades: shares(decadePull),
    meanRating: ratedCount ? ratingSum / ratedCount : null,
    ratedCount,
  };
}
