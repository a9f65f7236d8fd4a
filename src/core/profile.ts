import type { EventType, PulseEvent } from './types.ts';

/**
 * Turns a shopper's history into one signed weight per item: how much (and in which
 * direction) that item should pull the user vector. The rules, in order of authority:
 *   1. a dismissal is an explicit "no" and overrides everything else for that item (-1);
 *   2. otherwise the latest verdict speaks for the item — a like (+1, as much as 5★), a
 *      dislike (−1, as much as 1★) or a rating, (stars − 3) / 2, so 5★ → +1, 3★ → 0
 *      (neutral), 1★ → −1 (a later like, dislike or rating replaces an earlier one);
 *   3. otherwise implicit signals add up (view 0.25, click 0.5, cart 1, purchase 1.5),
 *      capped at 1.5 so that staring at a page cannot outweigh a purchase.
 * Each weight then decays with the age of the item's latest event (half-life in days) and
 * with how many other items were touched since (so the current session leads even when
 * every event happened today).
 */
export interface ProfileOptions {
  /** Age at which an item's pull halves. Default 30 days. */
  halfLifeDays?: number;
  /** Multiplier per more-recent distinct item. Default 0.97. */
  positionDecay?: number;
}

export interface ItemSignal {
  itemId: string;
  /** Signed, decayed weight; > 0 pulls towards, < 0 pushes away. */
  weight: number;
  /**
   * The strongest thing the shopper did with the item, for explanations: `liked` only for a
   * like, `disliked` only for a dislike, `rated` for a rating (whatever its stars: a 1★ is
   * a mark the shopper gave, said as such, not a Dislike press).
   */
  action: 'liked' | 'rated' | 'bought' | 'added to cart' | 'clicked' | 'viewed' | 'disliked' | 'dismissed';
  /** Latest rating, when the latest verdict is a rating (a later like or dislike leaves it out). */
  rating?: number;
  /** Time of the latest event about the item. */
  lastTs: number;
}

const IMPLICIT: Partial<Record<EventType, number>> = { view: 0.25, click: 0.5, cart: 1, purchase: 1.5 };
const IMPLICIT_CAP = 1.5;
/** A like weighs what 5★ does. */
export const LIKE_WEIGHT = 1;
/**
 * A dislike pushes as hard as a like pulls, and as a 1★ rating does (ratingWeight(1)): 1★ is
 * what the demo's Dislike button stored before the event existed, so a history ranks the same
 * whichever way its Dislikes were written; and it equals a dismissal's push (−1) without the
 * dismissal's authority (a later like or rating takes a dislike back, not a dismissal).
 */
export const DISLIKE_WEIGHT = -1;
const DAY_MS = 86_400_000;

interface Tally {
  dismissed: boolean;
  /** The latest verdict (like, dislike or rating), its stars when a rating, and when it was given. */
  verdict: 'like' | 'dislike' | 'rating' | undefined;
  rating: number | undefined;
  verdictTs: number;
  implicit: number;
  strongest: EventType | undefined;
  lastTs: number;
}

function implicitAction(type: EventType | undefined): ItemSignal['action'] {
  switch (type) {
    case 'purchase':
      return 'bought';
    case 'cart':
      return 'added to cart';
    case 'click':
      return 'clicked';
    default:
      return 'viewed';
  }
}

export function ratingWeight(stars: number): number {
  return (stars - 3) / 2;
}

export function itemSignals(events: readonly PulseEvent[], now: number, options: ProfileOptions = {}): ItemSignal[] {
  const halfLifeMs = (options.halfLifeDays ?? 30) * DAY_MS;
  const positionDecay = options.positionDecay ?? 0.97;
  const tallies = new Map<string, Tally>();
  for (const event of events) {
    let t = tallies.get(event.itemId);
    if (!t) {
      t = { dismissed: false, verdict: undefined, rating: undefined, verdictTs: -Infinity, implicit: 0, strongest: undefined, lastTs: event.ts };
      tallies.set(event.itemId, t);
    }
    t.lastTs = Math.max(t.lastTs, event.ts);
    if (event.type === 'dismiss') {
      t.dismissed = true;
    } else if (event.type === 'rating') {
      if (event.ts >= t.verdictTs && event.value !== undefined) {
        t.verdict = 'rating';
        t.rating = event.value;
        t.verdictTs = event.ts;
      }
    } else if (event.type === 'like' || event.type === 'dislike') {
      // A value on a like or dislike is never read as stars: neither is a rating.
      if (event.ts >= t.verdictTs) {
        t.verdict = event.type;
        t.rating = undefined;
        t.verdictTs = event.ts;
      }
    } else {
      const w = IMPLICIT[event.type] ?? 0;
      t.implicit += w;
      if (t.strongest === undefined || w > (IMPLICIT[t.strongest] ?? 0)) t.strongest = event.type;
    }
  }
  const byRecency = [...tallies.entries()].sort((a, b) => b[1].lastTs - a[1].lastTs);
  return byRecency.map(([itemId, t], position) => {
    let base: number;
    let action: ItemSignal['action'];
    if (t.dismissed) {
      base = -1;
      action = 'dismissed';
    } else if (t.verdict === 'like') {
      base = LIKE_WEIGHT;
      action = 'liked';
    } else if (t.verdict === 'dislike') {
      base = DISLIKE_WEIGHT;
      action = 'disliked';
    } else if (t.rating !== undefined) {
      base = ratingWeight(t.rating);
      action = 'rated';
    } else {
      base = Math.min(IMPLICIT_CAP, t.implicit);
      action = implicitAction(t.strongest);
    }
    const age = Math.max(0, now - t.lastTs);
    const weight = base * 0.5 ** (age / halfLifeMs) * positionDecay ** position;
    const signal: ItemSignal = { itemId, weight, action, lastTs: t.lastTs };
    if (t.rating !== undefined) signal.rating = t.rating;
    return signal;
  });
}
