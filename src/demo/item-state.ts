/**
 * What the shopper has told us about one item, derived from their history alone so
 * that every tab (and a reload) shows the same thing. Pure: unit-tested in Node.
 */
import type { PulseEvent } from '../core/types.ts';

export interface ItemState {
  /** Whether the latest verdict is a like (a `like` event). */
  liked: boolean;
  /** Whether the latest verdict is a dislike (a `dislike` event). */
  disliked: boolean;
  /** The stars of the latest verdict when it is a rating (1–5), or null. */
  rating: number | null;
  /** "Not interested", unless a later verdict took it back. */
  dismissed: boolean;
  views: number;
  /** When the shopper last did anything with this item. */
  lastTs: number;
}

/** The one word a card shows and tests read (`data-state`). */
export type ItemStateName = 'none' | 'viewed' | 'liked' | 'disliked' | 'rated' | 'dismissed';

export const EMPTY_STATE: Readonly<ItemState> = Object.freeze({ liked: false, disliked: false, rating: null, dismissed: false, views: 0, lastTs: 0 });

/**
 * Folds events in time order; the latest like, dislike, rating or dismissal wins. A 5★ or 1★
 * rating is a rating (older builds of this demo stored Like and Dislike that way; nothing in
 * the row tells them apart, so they show as "Rated 5★" and "Rated 1★" now).
 */
export function deriveItemStates(events: readonly PulseEvent[]): Map<string, ItemState> {
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const states = new Map<string, ItemState>();
  for (const event of sorted) {
    const state = states.get(event.itemId) ?? { ...EMPTY_STATE };
    state.lastTs = Math.max(state.lastTs, event.ts);
    if (event.type === 'rating' && typeof event.value === 'number') {
      state.rating = event.value;
      state.liked = false;
      state.disliked = false;
      state.dismissed = false;
    } else if (event.type === 'like' || event.type === 'dislike') {
      state.liked = event.type === 'like';
      state.disliked = event.type === 'dislike';
      state.rating = null;
      state.dismissed = false;
    } else if (event.type === 'dismiss') {
      state.dismissed = true;
    } else if (event.type === 'view') {
      state.views += 1;
    }
    states.set(event.itemId, state);
  }
  return states;
}

export function stateName(state: Readonly<ItemState>): ItemStateName {
  if (state.dismissed) return 'dismissed';
  if (state.liked) return 'liked';
  if (state.disliked) return 'disliked';
  if (state.rating !== null) return 'rated';
  if (state.views > 0) return 'viewed';
  return 'none';
}

/** A short badge text, or null when there is nothing to say. */
export function stateLabel(state: Readonly<ItemState>): string | null {
  switch (stateName(state)) {
    case 'dismissed':
      return 'Not interested';
    case 'liked':
      return 'Liked';
    case 'disliked':
      return 'Disliked';
    case 'rated':
      return `Rated ${state.rating}★`;
    case 'viewed':
      return state.views === 1 ? 'Viewed' : `Viewed ${state.views}×`;
    case 'none':
      return null;
  }
}

/** How the privacy panel words one event ("Liked", "Rated 3★", …). */
export function describeEvent(event: Pick<PulseEvent, 'type' | 'value'>): string {
  switch (event.type) {
    case 'like':
      return 'Liked';
    case 'dislike':
      return 'Disliked';
    case 'rating':
      return `Rated ${event.value ?? '?'}★`;
    case 'dismiss':
      return 'Not interested';
    case 'view':
      return 'Viewed';
    case 'click':
      return 'Clicked';
    case 'cart':
      return 'Added to cart';
    case 'purchase':
      return 'Bought';
  }
}
