import { dot } from './vector-math.ts';
import { leadingCategories, readHistoryFacts, type FactItem, type HistoryFacts } from './history-facts.ts';
import { decadeOf, readTaste, type Taste, type TasteContext } from './taste.ts';
import type { CatalogItem, PulseEvent } from './types.ts';

/**
 * The offline teacher: writes the *why* from the data alone — categories and eras shared
 * with the history, the closest liked items in text space, rating habits. PULSE gets its
 * rationales from a language model; where none is configured this composer stands in as a
 * deterministic, documented teacher. It is not a language model and is never called one.
 *
 * Two outputs:
 *  - composeRationale: why a chosen item fits a history (training pairs for the Thought
 *    Space alignment loss — the *why* beside the *what*);
 *  - composePreference: what the history alone says the shopper wants (what the browser
 *    produces at recommendation time, and the SLM's training target).
 */

export interface ComposerContext extends TasteContext {
  /** Unit-length text vectors, row = catalog index; enables "close to X" evidence. */
  textVectors?: Float32Array;
  textDims?: number;
}

const MAX_TITLE = 48;
/** Liked items searched for the nearest neighbours of a target: the strongest pulls only. */
const NEIGHBOUR_POOL = 64;

/** Titles are data: cut to a readable length and stripped of anything that breaks a sentence. */
export function quoteTitle(title: string): string {
  const clean = title.replace(/[\u0000-\u001f\u007f“”"]/g, ' ').replace(/\s+/g, ' ').trim();
  const cut = clean.length > MAX_TITLE ? `${clean.slice(0, MAX_TITLE - 1).trimEnd()}…` : clean;
  return `“${cut}”`;
}

export function listPhrase(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function stars(rating: number): string {
  return `${Number.isInteger(rating) ? rating : rating.toFixed(1)}★`;
}

function ratingHabit(taste: Taste): string | null {
  if (taste.meanRating === null || taste.ratedCount < 3) return null;
  const mean = taste.meanRating.toFixed(1);
  if (taste.meanRating >= 4) return `Rates generously (${mean}★ on average).`;
  if (taste.meanRating <= 3.2) return `Rates sparingly (${mean}★ on average), so high marks stand out.`;
  return `Averages ${mean}★ per rating.`;
}

/** The habit sentence, only where the facts show a habit (explicit ratings, not a row of Likes). */
function habitSentence(facts: HistoryFacts): string | null {
  if (facts.habit === null || facts.meanRating === null) return null;
  const mean = facts.meanRating.toFixed(1);
  if (facts.habit === 'generous') return `Rates generously (${mean}★ on average).`;
  if (facts.habit === 'sparing') return `Rates sparingly (${mean}★ on average), so high marks stand out.`;
  return `Averages ${mean}★ per rating.`;
}

function likedPhrase(entry: Taste['liked'][number]): string {
  const { signal, item } = entry;
  return signal.rating !== undefined ? `${quoteTitle(item.title)} (${stars(signal.rating)})` : quoteTitle(item.title);
}

/** A favourite as the shopper knows it: its stars when rated, else what they did with it. */
function favouritePhrase(item: FactItem): string {
  if (item.rating !== undefined) return `${quoteTitle(item.title)} (${stars(item.rating)})`;
  if (item.action === 'added to cart' || item.action === 'bought') return `${quoteTitle(item.title)} (${item.action})`;
  return quoteTitle(item.title);
}

/**
 * What the history alone says this shopper wants, in at most four short sentences — each one a
 * claim the claim checker (src/slm/grounding.ts) reads and finds true: the leaning names every
 * category most liked items share, the era is the decade most of them come from, a rating habit
 * is stated only from explicit ratings.
 */
export function composePreference(history: readonly PulseEvent[], context: ComposerContext): string {
  const facts = readHistoryFacts(history, (id) => {
    const row = context.indexOf.get(id);
    return row === undefined ? undefined : context.catalog[row];
  });
  if (facts.likedCount === 0) {
    if (!facts.items.some((i) => i.weight < 0)) return 'No preferences known yet.';
    const avoided = facts.avoided.slice(0, 2);
    return avoided.length ? `Nothing liked yet; steers away from ${listPhrase(avoided)}.` : 'Nothing liked yet.';
  }
  const sentences: string[] = [];
  const categories = leadingCategories(facts, 3);
  const era = facts.era ? `mostly from the ${facts.era}` : null;
  if (categories.length) sentences.push(`Leans towards ${listPhrase(categories)}${era ? `, ${era}` : ''}.`);
  else if (era) sentences.push(`Picks titles ${era}.`);
  const favourites = facts.items.filter((i) => facts.favourites.includes(i.title)).slice(0, 3);
  if (favourites.length) sentences.push(`Favourites include ${listPhrase(favourites.map(favouritePhrase))}.`);
  const avoided = facts.avoided.filter((c) => !categories.includes(c)).slice(0, 2);
  if (avoided.length) sentences.push(`Tends to avoid ${listPhrase(avoided)}.`);
  const habit = habitSentence(facts);
  if (habit) sentences.push(habit);
  return sentences.join(' ');
}

function closestLiked(target: number, taste: Taste, context: ComposerContext): Taste['liked'] {
  const pool = taste.liked.filter((l) => l.item.id !== context.catalog[target]!.id).slice(0, NEIGHBOUR_POOL);
  const { textVectors, textDims } = context;
  const targetItem = context.catalog[target]!;
  const similarity = (entry: Taste['liked'][number]): number => {
    if (textVectors && textDims) {
      const row = context.indexOf.get(entry.item.id)!;
      return dot(textVectors, row * textDims, textVectors, target * textDims, textDims);
    }
    // Without vectors, shared categories are the next best evidence of closeness.
    const theirs = new Set(entry.item.categories);
    return targetItem.categories.filter((c) => theirs.has(c)).length;
  };
  return pool
    .map((entry) => ({ entry, s: similarity(entry) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 2)
    .map((x) => x.entry);
}

function categoryFit(target: CatalogItem, taste: Taste): string {
  const rankOf = new Map(taste.categories.map((s, i) => [s.label, i] as const));
  const shared = target.categories.filter((c) => (rankOf.get(c) ?? Infinity) < 5);
  shared.sort((a, b) => rankOf.get(a)! - rankOf.get(b)!);
  const title = quoteTitle(target.title);
  if (shared.length >= 2) return `${title} is ${listPhrase(shared.slice(0, 2))}, two of the kinds this shopper picks most.`;
  if (shared.length === 1) return `${title} is ${shared[0]}, one of the kinds this shopper picks most.`;
  const usual = taste.categories.slice(0, 2).map((s) => s.label);
  const own = target.categories.slice(0, 2);
  if (!usual.length) return `${title} is a new direction.`;
  return own.length
    ? `${title} (${listPhrase(own)}) is a change from the usual ${listPhrase(usual)}.`
    : `${title} is a change from the usual ${listPhrase(usual)}.`;
}

function eraFit(target: CatalogItem, taste: Taste): string | null {
  const decade = decadeOf(target.year);
  const top = taste.decades[0];
  if (!decade || !top) return null;
  if (decade === top.label) return `It comes from the ${decade}, the favourite decade.`;
  const share = taste.decades.find((d) => d.label === decade)?.share ?? 0;
  if (share >= 0.15) return `It comes from the ${decade}, another well-liked decade.`;
  const newer = Number.parseInt(decade, 10) > Number.parseInt(top.label, 10);
  return `It is ${newer ? 'newer' : 'older'} than most favourites (${decade} vs ${top.label}).`;
}

/** Why `targetId` fits this history, from the evidence in the data; at most about 60 words. */
export function composeRationale(history: readonly PulseEvent[], targetId: string, context: ComposerContext): string {
  const target = context.indexOf.get(targetId);
  if (target === undefined) throw new RangeError(`evidence composer: unknown item id "${targetId}"`);
  const item = context.catalog[target]!;
  const taste = readTaste(history, context);
  if (taste.liked.length === 0) return `${quoteTitle(item.title)} is a popular pick to start from.`;
  const sentences = [categoryFit(item, taste)];
  const near = closestLiked(target, taste, context);
  if (near.length) sentences.push(`It sits close to ${listPhrase(near.map(likedPhrase))}.`);
  const era = eraFit(item, taste);
  if (era) sentences.push(era);
  const habit = ratingHabit(taste);
  if (habit) sentences.push(habit);
  return sentences.join(' ');
}
