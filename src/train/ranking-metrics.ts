/**
 * The one number early stopping and tuning watch: NDCG@k of the held-out item under full
 * ranking, with the user's history items excluded (the harness's protocol). Pure.
 */

/** 0-based rank of `target` among items not in `exclude` (ties count against the target). */
export function fullRank(scores: Float32Array, target: number, exclude: ReadonlySet<number>): number {
  const t = scores[target]!;
  let rank = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i === target || exclude.has(i)) continue;
    if (scores[i]! >= t) rank++;
  }
  return rank;
}

export function ndcgAtK(rank: number, k: number): number {
  return rank < k ? 1 / Math.log2(rank + 2) : 0;
}

export function meanNdcgAtK(allScores: readonly Float32Array[], targets: readonly number[], excludes: readonly ReadonlySet<number>[], k = 10): number {
  if (allScores.length === 0) return 0;
  let sum = 0;
  allScores.forEach((scores, i) => {
    sum += ndcgAtK(fullRank(scores, targets[i]!, excludes[i]!), k);
  });
  return sum / allScores.length;
}
