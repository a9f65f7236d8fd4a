/**
 * The one number early stopping and tuning watch: mean NDCG@k under the harness's own rules
 * (src/eval/metrics.ts: full ranking, history masked, pessimistic ties), over many cases.
 */
import { fullRank, ndcgAt } from '../eval/metrics.ts';

export function meanNdcgAtK(allScores: readonly Float32Array[], targets: readonly number[], excludes: readonly ReadonlySet<number>[], k = 10): number {
  if (allScores.length === 0) return 0;
  let sum = 0;
  allScores.forEach((scores, i) => {
    sum += ndcgAt(fullRank(scores, targets[i]!, excludes[i]!), k);
  });
  return sum / allScores.length;
}
