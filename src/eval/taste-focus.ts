import type { CatalogItem, PulseEvent } from '../core/types.ts';

/**
 * Focused tastes (issue 11 item 6): a history of the five most-rated films of one category, each
 * rated 5★, and how many of a top 10 (the history excluded) carry that category. Shared by the
 * blend's weight choice (src/train/blend-export.ts), scripts/taste-focus.ts and the unit test on
 * the shipped model, so all three count the same thing.
 */
export const FOCUS_CATEGORIES = ['Sci-Fi', 'Animation', 'War', 'Horror', 'Romance', 'Western', 'Crime', 'Children', 'Documentary', 'Musical'] as const;

/** Issue 11's target: of the personal top 10 for a focused taste, at least this many share its category. */
export const FOCUS_TARGET = 6;

export function focusedHistory(catalog: readonly CatalogItem[], category: string, size = 5): PulseEvent[] {
  const liked = catalog.filter((m) => m.categories.includes(category)).sort((a, b) => (b.popularity ?? 0) - (a.popularity ?? 0) || (a.id < b.id ? -1 : 1)).slice(0, size);
  return liked.map((m, i) => ({ type: 'rating', value: 5, itemId: m.id, ts: 1.4e12 + i * 1000 }));
}

/** Of `top` (catalog items), how many carry `category`. */
export function categoryShare(top: readonly CatalogItem[], category: string): number {
  return top.filter((m) => m.categories.includes(category)).length;
}
