import { fullRank, ndcgAt } from './metrics.ts';
import type { EvalCase } from './recommender.ts';
import { historyIndices } from './train-matrix.ts';

/**
 * Validation NDCG@10 under the harness's own rules (full ranking, history masked,
 * pessimistic ties): what every baseline tunes and early-stops on, so tuning optimises the
 * number that is reported.
 */
export function validationNdcg10(
  cases: readonly EvalCase[],
  indexOf: ReadonlyMap<string, number>,
  scoreCase: (c: EvalCase) => Float32Array,
): number {
  if (cases.length === 0) return 0;
  let sum = 0;
  for (const c of cases) {
    const target = indexOf.get(c.target.itemId);
    if (target === undefined) throw new RangeError(`validation target "${c.target.itemId}" is not in the catalog`);
    sum += ndcgAt(fullRank(scoreCase(c), target, historyIndices(c, indexOf)), 10);
  }
  return sum / cases.length;
}
