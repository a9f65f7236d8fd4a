/**
 * The shipped Pulse score: the Thought Space's score of every catalog item, plus the item–item
 * view (EASE, low-rank lowrank-ease.ts or top-K sparse-ease.ts) and a category profile, each standardised over the catalog
 * (z-score, score-blend.ts) and added with weights tuned on validation (models/<name>/blend.json):
 *
 *   score(item) = z(thoughtSpace)(item) + w_ease · z(ease)(item) + (w_profile + w_focus · c) · z(profile)(item)
 *
 * where c ∈ [0, 1) is how much the history agrees on one category (historyConcentration: the cubed
 * lift of its most over-represented category). One fixed profile weight, tuned on real users' long
 * and broad histories, cannot also make five liked horror films bring horror; a weight that grows
 * with the history's own agreement does both — a broad history keeps c near 0 (validation median
 * 0.04), five films of one category reach 0.56. w_focus is optional (0 when absent: the
 * fixed-weight blend of earlier blend.json files, scored exactly as before).
 *
 * Why three: the Thought Space reads the sequence and the text; EASE carries the co-occurrence
 * signal it misses (with dense EASE the blend was 1.27× EASE on MovieLens LOO seed 1; sparse K 32
 * kept little of that, 0.0400 vs 0.0385; the shipped rank-192 form keeps it on validation,
 * models/pulse-movielens/README.md, docs/results/movielens-loo-blend); the profile makes a focused taste
 * show — five liked sci-fi films should bring mostly sci-fi — which neither collaborative view
 * guarantees (the focus weight is what makes it show for every focused taste). The profile is the history's signed item weights (core/profile.ts rules) summed
 * per category, read against each item's categories as a tf-idf cosine (rare categories such as
 * War or Animation say more about a taste than Drama).
 *
 * One pure function of (history, Thought Space scores) → scores, used by the evaluation harness
 * (src/eval/models/pulse-blend.ts) and by the worker (src/worker/thought-space-ranker.ts), and the
 * per-item deletion measure built on it (which history item's removal lowers an item's blended
 * score most). No DOM, no tfjs.
 */
import { itemSignals } from '../core/profile.ts';
import type { PulseEvent } from '../core/types.ts';
import { standardize } from './score-blend.ts';
import { lowRankScores, type LowRankEase } from './lowrank-ease.ts';
import type { SparseEase } from './sparse-ease.ts';

/** The item–item view in either shipped form: top-K rows (sparse-ease.ts) or low-rank (lowrank-ease.ts). */
export type ItemItemEase = SparseEase | LowRankEase;

export interface BlendWeights {
  ease: number;
  profile: number;
  /**
   * The profile weight a fully focused history adds (`historyConcentration` 1): the profile's weight
   * is `profile + focus · concentration`. Optional, 0 when absent — blend files made before it
   * load and score exactly as before.
   */
  focus?: number;
}

export type BlendEvent = PulseEvent;

/** The catalog as the blend reads it; built once per catalog (and EASE artifact). */
export interface BlendIndex {
  rows: number;
  rowOf: ReadonlyMap<string, number>;
  /** EASE slot of each catalog row (−1: not modelled), and the catalog row of each slot (−1: not in this catalog). */
  ease: { model: ItemItemEase; slotOfRow: Int32Array; rowOfSlot: Int32Array } | null;
  /** Per catalog row, its category ids. */
  categoriesOf: Int32Array[];
  /** Per category id, ln(rows / items carrying it). */
  idf: Float64Array;
  /** Per catalog row, the length of its tf-idf category vector (0: no category). */
  norm: Float64Array;
  /** Per category id, the share of the catalog carrying it (df / rows). */
  share: Float64Array;
}

export function buildBlendIndex(catalog: readonly { id: string; categories: readonly string[] }[], ease: ItemItemEase | null): BlendIndex {
  const rowOf = new Map(catalog.map((item, row) => [item.id, row] as const));
  const ids = new Map<string, number>();
  const categoriesOf = catalog.map((item) => Int32Array.from(new Set(item.categories), (c) => ids.get(c) ?? (ids.set(c, ids.size), ids.size - 1)));
  const df = new Float64Array(ids.size);
  for (const cats of categoriesOf) for (const c of cats) df[c]!++;
  const idf = Float64Array.from(df, (d) => Math.log(catalog.length / d));
  const norm = Float64Array.from(categoriesOf, (cats) => Math.sqrt(cats.reduce((s, c) => s + idf[c]! * idf[c]!, 0)));
  let easeIndex: BlendIndex['ease'] = null;
  if (ease) {
    const rowOfSlot = Int32Array.from(ease.items, (id) => rowOf.get(id) ?? -1);
    const slotOfRow = new Int32Array(catalog.length).fill(-1);
    rowOfSlot.forEach((row, slot) => row >= 0 && (slotOfRow[row] = slot));
    easeIndex = { model: ease, slotOfRow, rowOfSlot };
  }
  return { rows: catalog.length, rowOf, ease: easeIndex, categoriesOf, idf, norm, share: Float64Array.from(df, (d) => d / catalog.length) };
}

/**
 * EASE scores of a history (catalog rows, each counted once, whatever was done with it — EASE
 * trains on a binary matrix): the sum of its items' rows of B (sparse: their neighbour lists; low-rank:
 * c_j · F_i · F_j, lowrank-ease.ts). Rows EASE does not model score
 * −∞ (standardize gives them the lowest score), as in the dense model.
 */
export function easeScores(index: BlendIndex, historyRows: Iterable<number>): Float32Array {
  const out = new Float32Array(index.rows).fill(Number.NEGATIVE_INFINITY);
  const ease = index.ease;
  if (!ease) return out;
  if (ease.model.form === 'lowrank') {
    const slots = new Set<number>();
    for (const row of historyRows) if (ease.slotOfRow[row]! >= 0) slots.add(ease.slotOfRow[row]!);
    const scores = lowRankScores(ease.model, [...slots]);
    ease.rowOfSlot.forEach((row, slot) => row >= 0 && (out[row] = scores[slot]!));
    return out;
  }
  for (const row of ease.rowOfSlot) if (row >= 0) out[row] = 0;
  const { k, neighbours, weights } = ease.model;
  for (const row of historyRows) {
    const slot = ease.slotOfRow[row]!;
    if (slot < 0) continue;
    for (let s = slot * k; s < (slot + 1) * k; s++) {
      const target = ease.rowOfSlot[neighbours[s]!]!;
      if (target >= 0) out[target]! += weights[s]!;
    }
  }
  return out;
}

/** Signed weight of each history item (core/profile.ts), at the history's own latest time, so it is a function of the history alone. */
export function historyWeights(events: readonly BlendEvent[]): Map<string, number> {
  let now = Number.NEGATIVE_INFINITY;
  for (const e of events) now = Math.max(now, e.ts);
  const signals = itemSignals(events, Number.isFinite(now) ? now : 0);
  return new Map(signals.map((s) => [s.itemId, s.weight] as const));
}

/** The category profile's score of every catalog row: tf-idf cosine (up to the profile's own length, which z-scoring removes). */
export function profileScores(index: BlendIndex, weights: ReadonlyMap<string, number>): Float32Array {
  const profile = new Float64Array(index.idf.length);
  for (const [id, w] of weights) {
    const row = index.rowOf.get(id);
    if (row === undefined) continue;
    for (const c of index.categoriesOf[row]!) profile[c]! += w * index.idf[c]!;
  }
  const out = new Float32Array(index.rows);
  for (let row = 0; row < index.rows; row++) {
    const norm = index.norm[row]!;
    if (norm === 0) continue;
    let s = 0;
    for (const c of index.categoriesOf[row]!) s += profile[c]! * index.idf[c]!;
    out[row] = s / norm;
  }
  return out;
}

/**
 * How much a history agrees on one category, in [0, 1): the lift of its most over-represented
 * category c — (share of the history's positive weight on items carrying c − c's share of the
 * catalog) / (1 − c's share of the catalog), clipped at 0 — cubed. The share is counted as if the
 * history also held one item of the catalog's own mix (PRIOR_ITEMS), so a single liked film is not
 * yet agreement (lift ≤ 0.5); five that share a category reach a lift of ~0.82. Cubed because real
 * histories are never neutral (the MovieLens validation users' lift: median 0.34, 90th percentile
 * 0.62, mostly Drama, Action or Comedy taken a little more often than the catalog holds them):
 * the cube keeps them near 0 (median 0.04, p90 0.24) while a focused history stays high (0.56).
 * Measured on validation against the plain and squared lift, the lift over the training
 * interactions' category shares and an idf-weighted lift (scripts/focus-research.ts): only the
 * cubed forms leave several weight points within 2 paired SE of the best validation NDCG@10 with
 * all ten focused tastes at ≥ 6 of 10 (8 points; plain and squared 1, the others none). Positive weight
 * only: a disliked or dismissed item (negative weight; 3★ is 0) says what the shopper is not
 * after, not what the taste is about; its push away is the profile's own negative weight.
 */
export function historyConcentration(index: BlendIndex, weights: ReadonlyMap<string, number>): number {
  const onCategory = new Float64Array(index.share.length);
  let total = 0;
  for (const [id, w] of weights) {
    const row = index.rowOf.get(id);
    if (row === undefined || !(w > 0)) continue;
    total += w;
    for (const c of index.categoriesOf[row]!) onCategory[c]! += w;
  }
  let lift = 0;
  for (let c = 0; c < onCategory.length; c++) {
    const p = index.share[c]!;
    if (p >= 1) continue; // a category every item carries says nothing
    const share = (onCategory[c]! + PRIOR_ITEMS * p) / (total + PRIOR_ITEMS);
    lift = Math.max(lift, (share - p) / (1 - p));
  }
  return lift ** 3;
}

/** Pseudo-items of the catalog's mix added to every history's category shares (historyConcentration). */
export const PRIOR_ITEMS = 1;

/** The category profile's weight for a history of this concentration: w_profile + w_focus · concentration. */
export function profileWeight(weights: BlendWeights, concentration: number): number {
  return weights.profile + (weights.focus ?? 0) * concentration;
}

/**
 * The catalog rows of a history's items (distinct; items outside the catalog skipped). Every
 * item counts, whatever was done with it — a dislike as a 1★ rating or a dismissal does: the
 * blend's weights were tuned on histories read this way, and the push of a "no" comes from the
 * category profile (historyWeights, profile.ts: −1) and the towers (read as 1★).
 */
export function historyRows(index: BlendIndex, events: readonly BlendEvent[]): Set<number> {
  const rows = new Set<number>();
  for (const e of events) {
    const row = index.rowOf.get(e.itemId);
    if (row !== undefined) rows.add(row);
  }
  return rows;
}

/**
 * One history's parts, each standardised over the catalog, and its concentration: what
 * `combineStandardized` adds. The one place the parts are made — the worker (blendedScores) and the
 * weight search (src/eval/blend-search.ts) both call it. `need` leaves out a part whose weight is 0.
 */
export interface BlendParts {
  thoughtSpace: Float32Array;
  ease: Float32Array | null;
  profile: Float32Array | null;
  concentration: number;
}

export function blendParts(index: BlendIndex, events: readonly BlendEvent[], thoughtSpace: ArrayLike<number>, need: { ease: boolean; profile: boolean } = { ease: true, profile: true }): BlendParts {
  const weights = historyWeights(events);
  return {
    thoughtSpace: standardize(thoughtSpace),
    ease: need.ease ? standardize(easeScores(index, historyRows(index, events))) : null,
    profile: need.profile ? standardize(profileScores(index, weights)) : null,
    concentration: historyConcentration(index, weights),
  };
}

/** z(a) + w_ease · z(ease) + (w_profile + w_focus · concentration) · z(profile), every array one score per catalog row. */
export function combine(thoughtSpace: ArrayLike<number>, ease: ArrayLike<number> | null, profile: ArrayLike<number> | null, weights: BlendWeights, concentration = 0): Float32Array {
  return combineStandardized(standardize(thoughtSpace), ease === null ? null : standardize(ease), profile === null ? null : standardize(profile), weights, concentration);
}

/**
 * The sum itself, of parts already standardised: what `combine` adds once it has z-scored them.
 * The weight search (src/eval/blend-search.ts) standardises each part once and calls this for
 * every grid point, so the weights are chosen on exactly the scores the worker ranks by.
 */
export function combineStandardized(zThoughtSpace: ArrayLike<number>, zEase: ArrayLike<number> | null, zProfile: ArrayLike<number> | null, weights: BlendWeights, concentration = 0): Float32Array {
  const wProfile = profileWeight(weights, concentration);
  // A weight without its scores is a bug in the caller, not a silent zero.
  if ((weights.ease !== 0 && zEase === null) || (wProfile !== 0 && zProfile === null)) throw new Error('blend: a weight without its scores');
  const out = Float32Array.from(zThoughtSpace);
  const add = (z: ArrayLike<number> | null, w: number) => {
    if (w === 0 || z === null) return;
    if (z.length !== out.length) throw new RangeError(`blend: ${out.length} scores vs ${z.length}`);
    for (let i = 0; i < out.length; i++) out[i]! += w * z[i]!;
  };
  add(zEase, weights.ease);
  add(zProfile, wProfile);
  return out;
}

/** `combineStandardized` of a history's parts. */
export function combineParts(parts: BlendParts, weights: BlendWeights): Float32Array {
  return combineStandardized(parts.thoughtSpace, parts.ease, parts.profile, weights, parts.concentration);
}

/** The blended score of every catalog row for a history, given the Thought Space's scores of it (catalog rows, −∞ where it has no vector). */
export function blendedScores(index: BlendIndex, events: readonly BlendEvent[], thoughtSpace: ArrayLike<number>, weights: BlendWeights): Float32Array {
  const need = { ease: weights.ease !== 0, profile: weights.profile !== 0 || (weights.focus ?? 0) !== 0 };
  return combineParts(blendParts(index, events, thoughtSpace, need), weights);
}

/**
 * For each target row, how much deleting each history item (all its events) lowers its blended
 * score: the whole blend is recomputed for every shortened history — the Thought Space scores of
 * that history from `thoughtSpaceWithout` (the caller re-encodes it; an item the tower does not
 * read may return the base scores), EASE and the profile from the history itself, and the
 * standardisation over the catalog. Returns, per target, one {itemId, drop} per distinct item.
 */
export function blendedDeletions(
  index: BlendIndex,
  events: readonly BlendEvent[],
  thoughtSpace: ArrayLike<number>,
  thoughtSpaceWithout: (itemId: string) => ArrayLike<number>,
  weights: BlendWeights,
  targets: readonly number[],
): { itemId: string; drop: number }[][] {
  const ids = [...new Set(events.map((e) => e.itemId))].filter((id) => index.rowOf.has(id));
  const base = blendedScores(index, events, thoughtSpace, weights);
  const out = targets.map(() => [] as { itemId: string; drop: number }[]);
  for (const id of ids) {
    const without = blendedScores(index, events.filter((e) => e.itemId !== id), thoughtSpaceWithout(id), weights);
    targets.forEach((row, t) => out[t]!.push({ itemId: id, drop: base[row]! - without[row]! }));
  }
  return out;
}
