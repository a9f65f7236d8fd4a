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

/**
 * A regularisation grid searched until its best point is inside it: `evaluate` every value of
 * `grid` (ascending, geometric), and while the best is at an end, one more value past that end at
 * the grid's own ratio (at most `maxSteps` per side). A baseline whose λ sits at the edge of its
 * grid was not tuned (Amazon Beauty's EASE chose λ 30, the smallest of 30–1000); an interior best
 * is unchanged, so a grid that already brackets its optimum gives the same choice as before.
 * A one-value grid is a fixed choice: it is evaluated and never extended.
 * Returns every (value, score) tried, ascending by value, and the best.
 */
export async function searchGridToInterior<T>(
  grid: readonly number[],
  evaluate: (value: number) => Promise<{ score: number; fitted: T }> | { score: number; fitted: T },
  maxSteps = 3,
): Promise<{ best: { value: number; score: number; fitted: T }; tried: { value: number; score: number }[] }> {
  if (grid.length === 0) throw new RangeError('searchGridToInterior: empty grid');
  const values = [...grid].sort((a, b) => a - b);
  const ratio = values.length > 1 ? values[1]! / values[0]! : 1;
  if ((values.length > 1 && !(ratio > 1)) || values.some((v) => !(v > 0))) throw new RangeError(`searchGridToInterior: grid must be positive and ascending, got ${grid.join(', ')}`);
  const results: { value: number; score: number; fitted: T }[] = [];
  for (const value of values) results.push({ value, ...(await evaluate(value)) });
  const bestOf = () => results.reduce((a, b) => (b.score > a.score ? b : a));
  for (let steps = 0; values.length > 1 && steps < maxSteps; steps++) {
    results.sort((a, b) => a.value - b.value);
    const best = bestOf();
    const edge = best === results[0] ? best.value / ratio : best === results[results.length - 1] ? best.value * ratio : null;
    if (edge === null) break;
    const next = Number(edge.toPrecision(2)); // 2.7, not 2.6999999999999997, in the reports
    results.push({ value: next, ...(await evaluate(next)) });
  }
  results.sort((a, b) => a.value - b.value);
  return { best: bestOf(), tried: results.map(({ value, score }) => ({ value, score })) };
}
