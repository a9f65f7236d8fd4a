/**
 * Ranking metrics, pure. Conventions (docs/evaluation.md "Metrics"):
 *  - the target's rank is 1-based among the candidates: every item except the ones masked
 *    (the user's history), the target always included;
 *  - ties are pessimistic: every other candidate scoring the same as the target ranks above
 *    it, so a model that gives everything one score ranks the target last, never first;
 *  - HR@k = [rank ≤ k]; NDCG@k = 1 / log2(rank + 1) when rank ≤ k, else 0 (one relevant
 *    item, so the ideal DCG is 1); MRR = 1 / rank without a cutoff; each is averaged over cases.
 */

export const HIT_CUTOFFS = [1, 5, 10, 20] as const;
export const NDCG_CUTOFFS = [5, 10, 20] as const;

export class ScoreError extends Error {
  override name = 'ScoreError';
}

function checkScore(value: number, what: string): void {
  if (Number.isNaN(value)) throw new ScoreError(`${what} is NaN: a model must give every item a number (−Infinity for "never")`);
}

/**
 * Rank of `target` among all items of `scores` except `masked` (indices; duplicates and the
 * target itself are ignored), with pessimistic ties.
 */
export function fullRank(scores: ArrayLike<number>, target: number, masked: Iterable<number>): number {
  const s = scores[target]!;
  checkScore(s, `the target's score (item ${target})`);
  let atLeast = 0;
  for (let j = 0; j < scores.length; j++) {
    const v = scores[j]!;
    if (v >= s && j !== target) atLeast++;
    else if (Number.isNaN(v)) checkScore(v, `the score of item ${j}`);
  }
  const seen = new Set<number>();
  for (const j of masked) {
    if (j === target || seen.has(j)) continue;
    seen.add(j);
    if (scores[j]! >= s) atLeast--;
  }
  return 1 + atLeast;
}

/** Rank of `target` against just `negatives` (sampled protocol), pessimistic ties. */
export function sampledRank(scores: ArrayLike<number>, target: number, negatives: ArrayLike<number>): number {
  const s = scores[target]!;
  checkScore(s, `the target's score (item ${target})`);
  let atLeast = 0;
  for (let i = 0; i < negatives.length; i++) {
    const v = scores[negatives[i]!]!;
    checkScore(v, `the score of item ${negatives[i]}`);
    if (v >= s) atLeast++;
  }
  return 1 + atLeast;
}

export const hitAt = (rank: number, k: number): number => (rank <= k ? 1 : 0);
export const ndcgAt = (rank: number, k: number): number => (rank <= k ? 1 / Math.log2(rank + 1) : 0);

export interface RankMetricsOptions {
  hits?: readonly number[];
  ndcg?: readonly number[];
}

/** Mean HR@k, NDCG@k and MRR over the ranks of many cases; keys like "HR@10", "NDCG@10", "MRR". */
export function rankMetrics(ranks: readonly number[], options: RankMetricsOptions = {}): Record<string, number> {
  const hits = options.hits ?? HIT_CUTOFFS;
  const ndcg = options.ndcg ?? NDCG_CUTOFFS;
  const out: Record<string, number> = {};
  const n = Math.max(1, ranks.length);
  for (const k of hits) out[`HR@${k}`] = ranks.reduce((sum, r) => sum + hitAt(r, k), 0) / n;
  for (const k of ndcg) out[`NDCG@${k}`] = ranks.reduce((sum, r) => sum + ndcgAt(r, k), 0) / n;
  out.MRR = ranks.reduce((sum, r) => sum + 1 / r, 0) / n;
  return out;
}

/**
 * What a model recommends overall, from each case's top list: catalogue coverage (share of
 * catalog items in at least one list) and the mean popularity of a recommended item (its
 * training interaction count, averaged over every slot of every list).
 */
export function beyondAccuracy(
  topLists: readonly (readonly number[])[],
  catalogSize: number,
  popularity: ArrayLike<number>,
): { coverage: number; meanPopularity: number } {
  const distinct = new Set<number>();
  let slots = 0;
  let popularitySum = 0;
  for (const list of topLists) {
    for (const item of list) {
      distinct.add(item);
      popularitySum += popularity[item]!;
      slots++;
    }
  }
  return { coverage: catalogSize > 0 ? distinct.size / catalogSize : 0, meanPopularity: slots ? popularitySum / slots : 0 };
}
