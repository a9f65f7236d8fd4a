import { itemSignals, type ItemSignal, type ProfileOptions } from './profile.ts';
import { topK } from './topk.ts';
import { reasonText } from './reason-words.ts';
import { dot, normalize } from './vector-math.ts';
import type { CatalogItem, PulseEvent, Recommendation, Why } from './types.ts';

/**
 * Ranking v0, before trained towers exist: the user vector is the signed, decayed mean of
 * the vectors of items in the history (profile.ts), every catalog item is scored against it
 * by one matrix product on the active backend (the Scorer), plus a small popularity prior
 * that breaks near-ties towards items other people chose. Empty or purely negative
 * history → the popularity ranking, labelled as such.
 */

/** A catalog made ready for ranking: vectors centred and unit-length, row i = items[i]. */
export interface RankingIndex {
  items: readonly CatalogItem[];
  indexOf: ReadonlyMap<string, number>;
  vectors: Float32Array;
  dims: number;
  /** Per item in [0, 1]: log-popularity scaled by the catalog maximum (0 without data). */
  popularity: Float32Array;
}

/** Computes `vectors · query + priorWeight · popularity` for every item, wherever it likes. */
export interface Scorer {
  score(query: Float32Array, priorWeight: number): Promise<Float32Array>;
}

export interface RankOptions extends ProfileOptions {
  k?: number;
  exclude?: readonly string[];
  /** Weight of the popularity prior for personal rankings. Default 0.1. */
  priorWeight?: number;
  now?: number;
}

export interface Ranking {
  items: Recommendation[];
  strategy: 'personal' | 'popular';
  /** Milliseconds spent building the query and scoring (matrix product + top-k + evidence). */
  queryMs: number;
  scoreMs: number;
}

export function buildRankingIndex(items: readonly CatalogItem[], vectors: Float32Array, dims: number): RankingIndex {
  if (vectors.length !== items.length * dims) {
    throw new Error(`ranking index: ${vectors.length} floats for ${items.length} items × ${dims} dims`);
  }
  const indexOf = new Map(items.map((item, i) => [item.id, i] as const));
  const logs = items.map((item) => Math.log1p(Math.max(0, item.popularity ?? 0)));
  // A loop, not Math.max(...logs): spreading 100k arguments overflows the worker's stack.
  let max = 0;
  for (const l of logs) if (l > max) max = l;
  const popularity = Float32Array.from(logs, (l) => (max > 0 ? l / max : 0));
  return { items, indexOf, vectors, dims, popularity };
}

/** The user vector: Σ weight·vector over history items the catalog knows, unit length; null if nothing pulls. */
export function userVector(signals: readonly ItemSignal[], index: RankingIndex): Float32Array | null {
  const { dims, vectors } = index;
  const query = new Float32Array(dims);
  let positive = 0;
  for (const signal of signals) {
    const row = index.indexOf.get(signal.itemId);
    if (row === undefined || signal.weight === 0) continue;
    if (signal.weight > 0) positive += signal.weight;
    for (let i = 0; i < dims; i++) query[i]! += signal.weight * vectors[row * dims + i]!;
  }
  if (positive === 0) return null;
  return normalize(query) > 0 ? query : null;
}

// Fits any shop: not every shop has like or rating buttons (a shop sets its own words in pulse.config.json "texts").
/** The why of an item recommended without personal evidence. */
export const POPULAR: Why = { kind: 'popular', text: 'Popular in this shop' };

/** "Because you liked X": the positively weighted history item closest to `row`. */
export function evidenceFor(row: number, signals: readonly ItemSignal[], index: RankingIndex): Why {
  const { dims, vectors, items } = index;
  let best: { signal: ItemSignal; row: number; similarity: number } | null = null;
  for (const signal of signals) {
    const other = index.indexOf.get(signal.itemId);
    if (other === undefined || signal.weight <= 0 || other === row) continue;
    const similarity = dot(vectors, row * dims, vectors, other * dims, dims);
    if (!best || similarity > best.similarity) best = { signal, row: other, similarity };
  }
  if (!best) return POPULAR;
  const source = items[best.row]!;
  return {
    kind: 'similar',
    // Ranked by text similarity: with no shared category or decade, the link is the texts'.
    text: reasonText(items[row]!, source, best.signal, 'text'),
    itemId: source.id,
    title: source.title,
    similarity: best.similarity,
  };
}

export async function rank(
  history: readonly PulseEvent[],
  index: RankingIndex,
  scorer: Scorer,
  options: RankOptions = {},
): Promise<Ranking> {
  const t0 = performance.now();
  const k = Math.max(0, Math.floor(options.k ?? 10));
  const signals = itemSignals(history, options.now ?? Date.now(), options);
  const excluded = new Set<number>();
  for (const id of [...signals.map((s) => s.itemId), ...(options.exclude ?? [])]) {
    const row = index.indexOf.get(id);
    if (row !== undefined) excluded.add(row);
  }
  const query = userVector(signals, index);
  const t1 = performance.now();
  const skip = (row: number) => excluded.has(row);
  if (!query) {
    const top = topK(index.popularity, k, skip);
    return {
      items: top.map(({ index: row, score }) => ({ id: index.items[row]!.id, score, why: POPULAR })),
      strategy: 'popular',
      queryMs: t1 - t0,
      scoreMs: performance.now() - t1,
    };
  }
  const scores = await scorer.score(query, options.priorWeight ?? 0.1);
  const top = topK(scores, k, skip);
  const items = top.map(({ index: row, score }) => ({
    id: index.items[row]!.id,
    score,
    why: evidenceFor(row, signals, index),
  }));
  return { items, strategy: 'personal', queryMs: t1 - t0, scoreMs: performance.now() - t1 };
}

/** Why `itemId` would be recommended to this history (evidence, or popularity when none). */
export function explain(history: readonly PulseEvent[], index: RankingIndex, itemId: string, now = Date.now()): Why {
  const row = index.indexOf.get(itemId);
  if (row === undefined) throw new RangeError(`unknown item id "${itemId}"`);
  return evidenceFor(row, itemSignals(history, now), index);
}

/** The plain-JS scorer: the reference the backends are checked against, and the last fallback. */
export const jsScorer = (index: RankingIndex): Scorer => ({
  async score(query, priorWeight) {
    const n = index.items.length;
    const out = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      out[r] = dot(index.vectors, r * index.dims, query, 0, index.dims) + priorWeight * index.popularity[r]!;
    }
    return out;
  },
});
