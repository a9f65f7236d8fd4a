/**
 * The blend's weight search, shared by `npm run blend` (src/train/blend-export.ts, the weights the
 * worker ships) and the harness model that refits the whole blend on any split
 * (src/eval/models/pulse-blend-fit.ts), so both choose by the same rule on the same scores:
 *
 *  - every validation case's parts (Thought Space, EASE, category profile) are standardised once
 *    and summed per grid point by pulse-blend.ts `combineStandardized`, the sum `blendedScores`
 *    ranks by in the worker;
 *  - the best validation NDCG@10 on the grid; then, among the points not told apart from it
 *    (within `se` paired standard errors), the one whose focused tastes show most (mean, then
 *    minimum, over the focus categories; src/eval/taste-focus.ts). Without focus parts (a catalog
 *    without those categories) the best point is chosen.
 */
import { topK } from '../core/topk.ts';
import type { CatalogItem } from '../core/types.ts';
import { combineStandardized, easeScores, historyRows, historyWeights, profileScores, type BlendIndex, type BlendWeights } from '../model/pulse-blend.ts';
import { standardize } from '../model/score-blend.ts';
import { standardError } from './harness.ts';
import { fullRank, ndcgAt } from './metrics.ts';
import type { EvalCase } from './recommender.ts';
import { categoryShare } from './taste-focus.ts';
import { historyIndices } from './train-matrix.ts';

/** One case's standardised parts (catalog rows), its target row and its masked history rows. */
export interface BlendCase {
  target: number;
  mask: number[];
  pulse: Float32Array;
  ease: Float32Array | null;
  profile: Float32Array;
}

/**
 * The parts of one case, as blendedScores computes them. `thoughtSpace` null: the blend without
 * towers (every item scores 0 there, so only EASE and the profile order the list).
 */
export function blendCase(index: BlendIndex, c: EvalCase, indexOf: ReadonlyMap<string, number>, thoughtSpace: ArrayLike<number> | null): BlendCase {
  const target = indexOf.get(c.target.itemId);
  if (target === undefined) throw new RangeError(`blend: target "${c.target.itemId}" is not in the catalog`);
  return {
    target,
    mask: historyIndices(c, indexOf),
    pulse: thoughtSpace === null ? new Float32Array(index.rows) : standardize(thoughtSpace),
    ease: index.ease ? standardize(easeScores(index, historyRows(index, c.history))) : null,
    profile: standardize(profileScores(index, historyWeights(c.history))),
  };
}

/** Per-case NDCG@10 of the blend at `w` (full ranking, history masked, pessimistic ties: the harness's rules). */
export function blendNdcgs(cases: readonly BlendCase[], w: BlendWeights): number[] {
  return cases.map((c) => ndcgAt(fullRank(combineStandardized(c.pulse, c.ease, c.profile, w), c.target, c.mask), 10));
}

export const mean = (v: readonly number[]): number => (v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length);
export const pairedSe = (a: readonly number[], b: readonly number[]): number => standardError(a.map((x, i) => x - b[i]!));

/** A focused taste's standardised parts: five liked items of `category` (taste-focus.ts). */
export interface FocusCase {
  category: string;
  liked: ReadonlySet<number>;
  pulse: Float32Array;
  ease: Float32Array | null;
  profile: Float32Array;
}

/** Per focus case, how many of the blend's top 10 (history excluded) carry its category. */
export function focusShares(parts: readonly FocusCase[], w: BlendWeights, catalog: readonly CatalogItem[]): number[] {
  return parts.map((f) => {
    const s = combineStandardized(f.pulse, f.ease, f.profile, w);
    return categoryShare(topK(s, 10, (r) => f.liked.has(r)).map((r) => catalog[r.index]!), f.category);
  });
}

export interface GridPoint extends BlendWeights {
  /** Per validation case NDCG@10. */
  val: number[];
  /** Per focus category, items of it in the top 10 (empty without focus cases). */
  focus: number[];
}

export function weightGrid(cases: readonly BlendCase[], easeWeights: readonly number[], profileWeights: readonly number[], focus: readonly FocusCase[] = [], catalog: readonly CatalogItem[] = []): GridPoint[] {
  return easeWeights.flatMap((ease) =>
    profileWeights.map((profile) => ({ ease, profile, val: blendNdcgs(cases, { ease, profile }), focus: focus.length > 0 ? focusShares(focus, { ease, profile }, catalog) : [] })),
  );
}

/** The rule above: best mean validation NDCG@10, then the most focused point within `se` paired SE of it. */
export function chooseWeights(grid: readonly GridPoint[], se: number): { best: GridPoint; chosen: GridPoint; within: GridPoint[] } {
  if (grid.length === 0) throw new RangeError('blend: empty weight grid');
  const best = grid.reduce((a, b) => (mean(b.val) > mean(a.val) ? b : a));
  const within = grid.filter((g) => mean(best.val) - mean(g.val) <= se * pairedSe(best.val, g.val));
  if (best.focus.length === 0) return { best, chosen: best, within };
  const minFocus = (g: GridPoint) => Math.min(...g.focus);
  const chosen = within.reduce((a, b) => (mean(b.focus) > mean(a.focus) || (mean(b.focus) === mean(a.focus) && minFocus(b) > minFocus(a)) ? b : a));
  return { best, chosen, within };
}
