/**
 * The one number early stopping and tuning watch: mean NDCG@k under the harness's own rules
 * (src/eval/metrics.ts: full ranking, history masked, pessimistic ties), over many cases.
 */
import { fullRank, ndcgAt } from '../eval/metrics.ts';

/** NDCG@k of each case, in order: what paired comparisons (α selection) need. */
export function ndcgAtKPerCase(allScores: readonly Float32Array[], targets: readonly number[], excludes: readonly ReadonlySet<number>[], k = 10): number[] {
  return allScores.map((scores, i) => ndcgAt(fullRank(scores, targets[i]!, excludes[i]!), k));
}

export function meanNdcgAtK(allScores: readonly Float32Array[], targets: readonly number[], excludes: readonly ReadonlySet<number>[], k = 10): number {
  if (allScores.length === 0) return 0;
  return ndcgAtKPerCase(allScores, targets, excludes, k).reduce((a, b) => a + b, 0) / allScores.length;
}
