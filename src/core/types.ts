import type { Rationale } from '../slm/slm-types.ts';

/**
 * The vocabulary shared by page, worker, Node commands and tests.
 * Platform-free: no DOM, no tfjs. One word per concept (see DESIGN.md "Names").
 */

/** One sellable thing in a shop's catalog. Schema documented in docs/catalog.md. */
export interface CatalogItem {
  /** Stable, unique, non-empty. */
  id: string;
  /** What a shopper sees; non-empty. */
  title: string;
  /** What the text backbone reads to understand the item (title, categories, description …). */
  text: string;
  /** Zero or more category labels, e.g. genres. */
  categories: string[];
  /** Release / model year, or null when unknown (optional in a catalog file; absent reads as null). */
  year: number | null;
  url?: string;
  image?: string;
  price?: number;
  /** ISO 4217 code of `price` (e.g. "EUR"); shown with Intl.NumberFormat. */
  currency?: string;
  /** Optional popularity signal (e.g. sales or ratings count); drives the cold-start fallback. */
  popularity?: number;
}

/**
 * `like` and `dislike` are a shopper's explicit "yes" and "no" without stars (a Like or heart
 * button, a Dislike or thumbs-down one); `rating` is a mark they gave (0–5 stars). They are
 * kept apart so that a row of Likes or Dislikes is never read as a rating habit, and a reason
 * says "liked" or "disliked" only for those events. `dismiss` ("not interested") is the
 * strongest no: it outweighs every verdict on the item (docs/history.md).
 */
export const EVENT_TYPES = ['view', 'click', 'cart', 'purchase', 'like', 'dislike', 'rating', 'dismiss'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** One thing the shopper did, as stored in their own browser. */
export interface PulseEvent {
  type: EventType;
  itemId: string;
  /** Required for `rating` (0–5 stars); ignored otherwise. */
  value?: number;
  /** Milliseconds since the epoch. */
  ts: number;
}

/** What a caller passes to `track`: `ts` defaults to now. */
export type EventInput = Omit<PulseEvent, 'ts'> & { ts?: number };

/** Why an item was recommended. */
export type Why =
  | { kind: 'similar'; text: string; itemId: string; title: string; similarity: number }
  | { kind: 'popular'; text: string };

export interface Recommendation {
  id: string;
  score: number;
  why: Why;
}

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface RecommendTimings {
  /** Reading the history from IndexedDB. */
  historyMs: number;
  /** Building the user vector. */
  queryMs: number;
  /** Scoring every item (the matrix product) and top-k. */
  scoreMs: number;
  /** Whole request as seen by the worker. */
  totalMs: number;
}

export interface RecommendResult {
  items: Recommendation[];
  /** `personal` when history drove the ranking, `popular` for the cold-start fallback. */
  strategy: 'personal' | 'popular';
  /**
   * What ranked a personal list: the trained Thought Space (behaviour tower, optionally
   * steered by the rationale), or text similarity to the history (no model for this catalog).
   * `popularity` for the cold-start list, `catalog-order` when the catalog has no popularity
   * figures either (or when nothing better could load: `status().degraded` says why).
   */
  ranker: 'thought-space' | 'text-similarity' | 'popularity' | 'catalog-order';
  /**
   * Whether the preference statement's vector steered the Thought Space query (the model's
   * α > 0, and the sentence encoder already loaded: it loads after the first list).
   */
  steered: boolean;
  backend: BackendName;
  timings: RecommendTimings;
  /**
   * The headline why at hand when ranking finished (never waited for): the SLM's cached text
   * for this history, or the evidence-based statement with the reason (`fallback` `loading` or
   * `pending`: `rationale()` gives the SLM's text). See PulseClient.recommend.
   */
  rationale?: Rationale;
}

/**
 * One event in a training or evaluation log: a shopper's event plus who did it. Logs use the
 * same vocabulary as the browser so that the towers and the teacher read both alike.
 * MovieLens ratings become `{type: 'rating', value: stars}`.
 */
export interface Interaction extends PulseEvent {
  user: string;
}
