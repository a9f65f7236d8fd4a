/**
 * A rationale may only name what the shopper did. A small model can write fluent text about
 * titles that are not in the history ("Favourites include “The Shawshank Redemption”" for
 * someone who rated three cartoons), categories none of their items has ("Leans towards Thriller"
 * for the same cartoons) or stutter ("Drama, Drama and Action"); shown as the
 * headline *why*, that would be a confident falsehood about the shopper. Such a candidate is
 * dropped, and when none is left the evidence-based rationale is shown with the reason.
 */

/** Quoted spans: “…” as the teacher writes titles, and "…" as instruct models may. */
const QUOTED = /“([^”]{1,120})”|"([^"]{1,120})"/g;
/** "Drama, Drama", "Comedy and Comedy": the same list entry twice in a row. */
const STUTTER = /\b([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)(?:,| and) \1\b/;

function normalise(title: string): string {
  return title.replace(/…$/, '').trim().toLowerCase();
}

import type { CatalogItem, PulseEvent } from '../core/types.ts';

/** The categories of the shopper's items, and every category the catalog uses. */
export interface CategoryFacts {
  history: readonly string[];
  known: readonly string[];
}

/** What a generated rationale may name: the history's titles and, given the catalog's, its categories. */
export interface GroundingFacts {
  titles: readonly string[];
  categories?: CategoryFacts;
  /** The star ratings in the history (a star figure must be one of them or their mean). */
  ratings?: readonly number[];
  /** Each rated title's ratings: a figure right after a title must be its own. */
  ratingsByTitle?: Readonly<Record<string, readonly number[]>>;
}

function ratingsByTitle(history: readonly PulseEvent[], lookup: (id: string) => CatalogItem | undefined): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const event of history) {
    const title = lookup(event.itemId)?.title;
    if (event.type === 'rating' && event.value !== undefined && title !== undefined) (out[title] ??= []).push(event.value);
  }
  return out;
}

/** The facts of a history, as the worker and the training corpus both read them. */
export function groundingFacts(history: readonly PulseEvent[], lookup: (id: string) => CatalogItem | undefined, knownCategories: readonly string[]): GroundingFacts {
  const items = history.map((event) => lookup(event.itemId)).filter((item) => item !== undefined);
  return {
    titles: [...new Set(items.map((item) => item.title))],
    categories: { history: [...new Set(items.flatMap((item) => item.categories))], known: knownCategories },
    ratings: history.flatMap((event) => (event.type === 'rating' && event.value !== undefined ? [event.value] : [])),
    ratingsByTitle: ratingsByTitle(history, lookup),
  };
}

/**
 * A pattern for the catalog's category names as whole words, case-sensitive: "Drama" the category,
 * not "dramatic"; "Sci-Fi" whole, not "Fi". Longest first, so "Film-Noir" wins over a shorter name.
 */
export function categoryPattern(known: readonly string[]): RegExp | null {
  const names = [...new Set(known)].filter((name) => name.trim() !== '').sort((a, b) => b.length - a.length);
  if (names.length === 0) return null;
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}-])(?:${escaped.join('|')})(?![\\p{L}\\p{N}-])`, 'gu');
}

/** The categories named in `text` outside quotations, per sentence. */
export function namedCategories(text: string, pattern: RegExp): string[][] {
  return text
    .replace(QUOTED, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => [...sentence.matchAll(pattern)].map((match) => match[0]));
}

function categoryReason(text: string, facts: CategoryFacts): string | null {
  const pattern = categoryPattern(facts.known);
  if (!pattern) return null;
  const inHistory = new Set(facts.history);
  for (const sentence of namedCategories(text, pattern)) {
    const seen = new Set<string>();
    for (const category of sentence) {
      if (!inHistory.has(category)) return `it says “${category}”, which no item in the history is`;
      if (seen.has(category)) return `it repeats “${category}”`;
      seen.add(category);
    }
  }
  return null;
}

/** "5★", "4.5 ★", and malformed figures such as "4.5.9★" (which must be caught, not half-read). */
const STAR_FIGURE = /(?<![\d.])(\d+(?:\.\d+)*)\s?★/g;
/** The teacher writes the mean to one decimal; a figure this close to it is the mean. */
const MEAN_TOLERANCE = 0.05 + 1e-9;

/** “Title” (4★): a title, then a star figure in parentheses right after it. */
const TITLE_FIGURE = /[“"]([^”"]{1,120})[”"] \((\d+(?:\.\d+)?)★/g;

function titleRatingReason(text: string, byTitle: Readonly<Record<string, readonly number[]>>): string | null {
  for (const match of text.matchAll(TITLE_FIGURE)) {
    // A long title may be cut with "…": it stands for the history title it starts.
    const span = match[1]!;
    const title = span.endsWith('…') ? Object.keys(byTitle).find((t) => t.startsWith(span.slice(0, -1))) : span;
    const own = (title === undefined ? undefined : byTitle[title]) ?? [];
    if (!own.includes(Number(match[2]))) {
      return `it gives “${match[1]}” ${match[2]}★, but the shopper ${own.length > 0 ? `rated it ${own.join('★ and ')}★` : 'did not rate it'}`;
    }
  }
  return null;
}

function ratingReason(text: string, ratings: readonly number[]): string | null {
  const mean = ratings.reduce((a, b) => a + b, 0) / Math.max(1, ratings.length);
  for (const match of text.replace(QUOTED, ' ').matchAll(STAR_FIGURE)) {
    const figure = match[1]!;
    const value = Number(figure);
    if (!/^\d+(\.\d+)?$/.test(figure) || value > 5) return `it writes “${match[0]}”, which is not a rating`;
    if (ratings.length === 0) return `it gives “${match[0]}”, but the history has no ratings`;
    if (!ratings.includes(value) && Math.abs(value - mean) > MEAN_TOLERANCE) return `it says “${match[0]}”, which is neither a rating in the history nor their average (${mean.toFixed(1)}★)`;
  }
  return null;
}

/**
 * Null when every quoted title is one of the history's `titles` (a title cut with "…" matches its
 * start) and none is named twice; given the catalog's categories, every category named belongs
 * to an item of the history, once per sentence; given the history's ratings, every star figure
 * is one of them or their average, and one right after a title is that title's own. Else the
 * reason, for the status and the fallback.
 */
export function ungroundedReason(text: string, facts: GroundingFacts): string | null {
  const { categories, ratings, ratingsByTitle: byTitle } = facts;
  const known = facts.titles.map(normalise);
  const named = new Set<string>();
  for (const match of text.matchAll(QUOTED)) {
    const span = normalise(match[1] ?? match[2] ?? '');
    if (span === '') continue;
    if (!known.some((title) => title === span || (match[0].includes('…') && title.startsWith(span)))) {
      return `it names “${match[1] ?? match[2]}”, which is not in the history`;
    }
    if (named.has(span)) return `it names “${match[1] ?? match[2]}” twice`;
    named.add(span);
  }
  // Outside quotations: "The Way, Way Back" is a title, not a stutter.
  const stutter = STUTTER.exec(text.replace(QUOTED, ' '));
  if (stutter) return `it repeats “${stutter[1]}”`;
  return (
    (categories ? categoryReason(text, categories) : null) ??
    (ratings ? ratingReason(text, ratings) : null) ??
    (byTitle ? titleRatingReason(text, byTitle) : null)
  );
}
