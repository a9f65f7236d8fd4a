import type { ItemSignal } from './profile.ts';
import { decadeOf } from './taste.ts';
import type { CatalogItem } from './types.ts';

/**
 * The words of a per-item reason, in plain English for every event type: "Because you added
 * “The Matrix” to your cart — both Sci-Fi". Which history item is named is the ranker's
 * business (item-reason.ts, ranker.ts); this module only says it, and states a link only when
 * it is true of the two items: shared categories, else a shared decade, else the link the
 * ranking model really used, said as such. Pure: no DOM, no tfjs.
 */

/** What the reason's link rests on when the two items share no category or decade. */
export type LinkBasis =
  /** A model trained on what people did together (the Thought Space): a behavioural link. */
  | 'behaviour'
  /** Similarity of the items' texts (the text-similarity ranker). */
  | 'text';

export type ReasonSignal = Pick<ItemSignal, 'action' | 'rating'>;

function stars(rating: number): string {
  return `${Number.isInteger(rating) ? rating : rating.toFixed(1)}★`;
}

/** What the shopper did with `title`, as the end of "Because you …". */
export function didPhrase(signal: ReasonSignal, title: string): string {
  const quoted = `“${title}”`;
  // "liked" and "disliked" only for those events (profile.ts): a rating, 1★ included, is said
  // as the stars the shopper gave, and a dislike never gets stars.
  const rated = signal.rating !== undefined ? `rated ${quoted} ${stars(signal.rating)}` : null;
  switch (signal.action) {
    case 'liked':
      return rated ?? `liked ${quoted}`;
    case 'rated':
      return rated ?? `rated ${quoted}`;
    case 'disliked':
      // Words for every action; a recommendation never cites one (item-reason.ts, ranker.ts name only items that pull).
      return `disliked ${quoted}`;
    case 'bought':
      return `bought ${quoted}`;
    case 'added to cart':
      return `added ${quoted} to your cart`;
    case 'clicked':
      return `clicked ${quoted}`;
    case 'viewed':
      return `viewed ${quoted}`;
    case 'dismissed':
      return `hid ${quoted}`;
  }
}

/** What other people did with the item, for "often chosen by people who … it". */
function othersDid(action: ItemSignal['action']): string {
  switch (action) {
    case 'bought':
      return 'bought it';
    case 'added to cart':
      return 'added it to their cart';
    case 'clicked':
    case 'viewed':
      return 'looked at it';
    default:
      return 'liked it';
  }
}

function listPhrase(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The categories `target` and `source` both carry, in `target`'s order, at most `max`. */
export function sharedCategories(target: CatalogItem, source: CatalogItem, max = 2): string[] {
  const theirs = new Set(source.categories);
  return target.categories.filter((c) => theirs.has(c)).slice(0, max);
}

/** The stated link between a recommended item and the history item that drove it. */
export function linkPhrase(target: CatalogItem, source: CatalogItem, action: ItemSignal['action'], basis: LinkBasis = 'behaviour'): string {
  const shared = sharedCategories(target, source);
  if (shared.length) return `both ${listPhrase(shared)}`;
  const decade = decadeOf(target.year);
  if (decade && decade === decadeOf(source.year)) return `both from the ${decade}`;
  return basis === 'behaviour' ? `often chosen by people who ${othersDid(action)}` : 'described in similar words';
}

/** The whole reason: "Because you liked “Alien” — both Sci-Fi". */
export function reasonText(target: CatalogItem, source: CatalogItem, signal: ReasonSignal, basis: LinkBasis = 'behaviour'): string {
  return `Because you ${didPhrase(signal, source.title)} — ${linkPhrase(target, source, signal.action, basis)}`;
}
