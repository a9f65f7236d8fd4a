import { itemSignals, type ItemSignal } from './profile.ts';
import { decadeOf } from './taste.ts';
import type { CatalogItem, PulseEvent } from './types.ts';

/**
 * Every fact a sentence about a shopper may state, read once from their history: which titles
 * they favour (and how they rated each), which categories lead their likes and which most of
 * them share, which decade most of them come from, which categories they push away, and
 * whether they have a rating habit at all. The evidence composer writes from these facts and
 * the claim checker (src/slm/grounding.ts) judges any text against them, so the fallback
 * text and the model's text are held to one truth.
 *
 * Weights here are the profile's base weights without time or position decay: "leans towards
 * War" is a statement about the whole history, not about the last session. Plain data only
 * (arrays and records), so the facts of a training example can be written to JSON.
 */

/** Smallest base weight of a favourite: a like, a 4★ rating, a click, a cart or a purchase (not one view, not 3.5★). */
export const FAVOURITE_WEIGHT = 0.5;
/** A rating habit needs this many rated items. */
export const HABIT_MIN_RATED = 3;
export const GENEROUS_MEAN = 4;
export const SPARING_MEAN = 3.2;

export type ItemAction = ItemSignal['action'];

export interface FactItem {
  id: string;
  title: string;
  categories: readonly string[];
  year: number | null;
  /** Base weight: > 0 pulls, < 0 pushes (profile.ts rules, no decay). */
  weight: number;
  action: ItemAction;
  /** Latest explicit rating, when the latest verdict is a rating (a like or dislike is none: `action` says `liked` / `disliked`). */
  rating?: number;
}

export interface CategoryShare {
  label: string;
  /** Share of the liked items' weight carried by items of this category, in [0, 1]. */
  share: number;
  /** Liked items of this category. */
  count: number;
}

export type RatingHabit = 'generous' | 'sparing' | 'average';

export interface HistoryFacts {
  /** Every distinct item of the history, strongest pull first. */
  items: FactItem[];
  /** Items with a positive weight. */
  likedCount: number;
  /** Titles that may be called favourites: liked with weight ≥ FAVOURITE_WEIGHT, strongest first. */
  favourites: string[];
  /** Categories of the liked items, by share of their weight (largest first, ties by name). */
  categories: CategoryShare[];
  /** Categories more than half of the liked items share, strongest first: a leaning must name them all. */
  required: string[];
  /** Categories that push more than they pull and are not required, by net push (largest first). */
  avoided: string[];
  /** The decade ("1990s") more than half of the dated liked items come from, or null. */
  era: string | null;
  /** Explicit ratings, one per rated item (its latest); likes, dislikes, carts and purchases are not ratings. */
  ratings: number[];
  /** Mean of `ratings`, or null without any. */
  meanRating: number | null;
  /**
   * The rating habit, or null: it needs HABIT_MIN_RATED explicitly rated items (`rating`
   * events; a `like` or `dislike` is never one, nor part of one) with at least two different
   * marks. Identical marks are what a shop that stores its Like or Dislike button as a rating
   * writes (5★ or 1★ each, as this demo did before the like and dislike events): a row of them
   * is a list of likes or dislikes, not a habit.
   */
  habit: RatingHabit | null;
}

function byShare(a: { label: string; share: number }, b: { label: string; share: number }): number {
  return b.share - a.share || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0);
}

/** The facts of `history`; items the lookup does not know are left out. */
export function readHistoryFacts(history: readonly PulseEvent[], lookup: (id: string) => CatalogItem | undefined): HistoryFacts {
  const now = history.reduce((latest, e) => Math.max(latest, e.ts), 0);
  const items: FactItem[] = [];
  for (const signal of itemSignals(history, now, { halfLifeDays: Infinity, positionDecay: 1 })) {
    const item = lookup(signal.itemId);
    if (!item) continue;
    const fact: FactItem = { id: item.id, title: item.title, categories: item.categories, year: item.year, weight: signal.weight, action: signal.action };
    if (signal.rating !== undefined) fact.rating = signal.rating;
    items.push(fact);
  }
  // Stable: equal weights keep the profile's recency order.
  items.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  const liked = items.filter((i) => i.weight > 0);
  const disliked = items.filter((i) => i.weight < 0);

  const pull = new Map<string, { weight: number; count: number }>();
  let likedWeight = 0;
  for (const item of liked) {
    likedWeight += item.weight;
    for (const c of new Set(item.categories)) {
      const entry = pull.get(c) ?? { weight: 0, count: 0 };
      entry.weight += item.weight;
      entry.count++;
      pull.set(c, entry);
    }
  }
  const categories = [...pull.entries()].map(([label, e]) => ({ label, share: e.weight / likedWeight, count: e.count })).sort(byShare);
  const required = categories.filter((c) => c.count * 2 > liked.length).map((c) => c.label);

  const push = new Map<string, number>();
  for (const item of disliked) for (const c of new Set(item.categories)) push.set(c, (push.get(c) ?? 0) - item.weight);
  const avoided = [...push.entries()]
    .map(([label, p]) => ({ label, share: p - (pull.get(label)?.weight ?? 0) }))
    .filter((c) => c.share > 0 && !required.includes(c.label))
    .sort(byShare)
    .map((c) => c.label);

  const decades = new Map<string, number>();
  let dated = 0;
  for (const item of liked) {
    const decade = decadeOf(item.year);
    if (!decade) continue;
    dated++;
    decades.set(decade, (decades.get(decade) ?? 0) + 1);
  }
  const era = [...decades.entries()].find(([, n]) => n * 2 > dated)?.[0] ?? null;

  const ratings = items.flatMap((i) => (i.rating === undefined ? [] : [i.rating]));
  const meanRating = ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null;
  let habit: RatingHabit | null = null;
  if (meanRating !== null && ratings.length >= HABIT_MIN_RATED && new Set(ratings).size > 1) {
    habit = meanRating >= GENEROUS_MEAN ? 'generous' : meanRating <= SPARING_MEAN ? 'sparing' : 'average';
  }
  return {
    items,
    likedCount: liked.length,
    favourites: liked.filter((i) => i.weight >= FAVOURITE_WEIGHT).map((i) => i.title),
    categories,
    required,
    avoided,
    era,
    ratings,
    meanRating,
    habit,
  };
}

/**
 * The "leans towards" list the facts support best: the required categories, then the next by
 * share, `size` in all (more when more are required).
 */
export function leadingCategories(facts: HistoryFacts, size = 3): string[] {
  const out = [...facts.required];
  for (const c of facts.categories) {
    if (out.length >= Math.max(size, facts.required.length)) break;
    if (!out.includes(c.label)) out.push(c.label);
  }
  return out;
}
