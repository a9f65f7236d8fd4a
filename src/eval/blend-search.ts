/**
 * The blend's weight search, shared by `npm run blend` (src/train/blend-export.ts, the weights the
 * worker ships) and the harness model that refits the whole blend on any split
 * (src/eval/models/pulse-blend-fit.ts), so both choose by the same rule on the same scores:
 *
 *  - every validation case's parts (Thought Space, EASE, category profile, and the history's
 *    concentration on one category) are made once by pulse-blend.ts `blendParts` and summed per
 *    grid point by `combineParts` — the two functions `blendedScores` ranks by in the worker;
 *  - the grid: EASE weight × profile weight × focus weight (the profile weight a fully focused
 *    history adds; 0 alone is the fixed-weight blend);
 *  - the best validation NDCG@10 on the grid; then, among the points not told apart from it
 *    (within `se` paired standard errors), those where every focused taste shows (at least
 *    FOCUS_TARGET of its top 10 share the category; src/eval/taste-focus.ts), and of those the best
 *    on validation: the taste is a requirement, accuracy what is maximised once it is met. (The
 *    first form maximised the mean taste instead, and shipped EASE 1 / profile 0 / focus 16 at
 *    validation 0.0523 where EASE 1 / focus 8 met every taste at 0.0571.) Where no point within
 *    reach meets it, the most focused one (mean, then minimum). Without focus parts (a catalog
 *    without those categories) the best point is chosen.
 */
import { topK } from '../core/topk.ts';
import type { CatalogItem } from '../core/types.ts';
import { blendParts, combineParts, type BlendEvent, type BlendIndex, type BlendParts, type BlendWeights } from '../model/pulse-blend.ts';
import { standardError } from './harness.ts';
import { fullRank, ndcgAt } from './metrics.ts';
import type { EvalCase } from './recommender.ts';
import { categoryShare, FOCUS_TARGET } from './taste-focus.ts';
import { historyIndices } from './train-matrix.ts';

/** One case's parts (catalog rows, pulse-blend.ts blendParts), its target row and its masked history rows. */
export interface BlendCase extends BlendParts {
  target: number;
  mask: number[];
}

/**
 * The parts of one case, as blendedScores makes them. `thoughtSpace` null: the blend without
 * towers (every item scores 0 there, so only EASE and the profile order the list).
 */
export function blendCase(index: BlendIndex, c: EvalCase, indexOf: ReadonlyMap<string, number>, thoughtSpace: ArrayLike<number> | null): BlendCase {
  const target = indexOf.get(c.target.itemId);
  if (target === undefined) throw new RangeError(`blend: target "${c.target.itemId}" is not in the catalog`);
  return { target, mask: historyIndices(c, indexOf), ...blendParts(index, c.history, thoughtSpace ?? new Float32Array(index.rows)) };
}

/** Per-case NDCG@10 of the blend at `w` (full ranking, history masked, pessimistic ties: the harness's rules). */
export function blendNdcgs(cases: readonly BlendCase[], w: BlendWeights): number[] {
  return cases.map((c) => ndcgAt(fullRank(combineParts(c, w), c.target, c.mask), 10));
}

export const mean = (v: readonly number[]): number => (v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length);
export const pairedSe = (a: readonly number[], b: readonly number[]): number => standardError(a.map((x, i) => x - b[i]!));

/** A focused taste's parts: five liked items of `category` (taste-focus.ts). */
export interface FocusCase extends BlendParts {
  category: string;
  liked: ReadonlySet<number>;
}

/** A focused taste's parts, as blendedScores makes them; `thoughtSpace` null as in blendCase. */
export function focusCase(index: BlendIndex, category: string, events: readonly BlendEvent[], thoughtSpace: ArrayLike<number> | null): FocusCase {
  const liked = new Set(events.map((e) => index.rowOf.get(e.itemId)).filter((r) => r !== undefined));
  return { category, liked, ...blendParts(index, events, thoughtSpace ?? new Float32Array(index.rows)) };
}

/** Per focus case, how many of the blend's top 10 (history excluded) carry its category. */
export function focusShares(parts: readonly FocusCase[], w: BlendWeights, catalog: readonly CatalogItem[]): number[] {
  return parts.map((f) => categoryShare(topK(combineParts(f, w), 10, (r) => f.liked.has(r)).map((r) => catalog[r.index]!), f.category));
}

export interface GridPoint extends Required<BlendWeights> {
  /** Per validation case NDCG@10. */
  val: number[];
  /** Per focus category, items of it in the top 10 (empty without focus cases). */
  tastes: number[];
}

/** Every (EASE, profile, focus) weight on the grid, measured; `focusWeights` [0]: the fixed-weight blend. */
export function weightGrid(
  cases: readonly BlendCase[],
  easeWeights: readonly number[],
  profileWeights: readonly number[],
  focus: readonly FocusCase[] = [],
  catalog: readonly CatalogItem[] = [],
  focusWeights: readonly number[] = [0],
): GridPoint[] {
  return easeWeights.flatMap((ease) =>
    profileWeights.flatMap((profile) =>
      focusWeights.map((f) => {
        const w = { ease, profile, focus: f };
        return { ...w, val: blendNdcgs(cases, w), tastes: focus.length > 0 ? focusShares(focus, w, catalog) : [] };
      }),
    ),
  );
}

/** The rule above: best mean validation NDCG@10; within `se` paired SE of it, the best point that meets the focus target, else the most focused. */
export function chooseWeights(grid: readonly GridPoint[], se: number): { best: GridPoint; chosen: GridPoint; within: GridPoint[] } {
  if (grid.length === 0) throw new RangeError('blend: empty weight grid');
  const best = grid.reduce((a, b) => (mean(b.val) > mean(a.val) ? b : a));
  const within = grid.filter((g) => mean(best.val) - mean(g.val) <= se * pairedSe(best.val, g.val));
  if (best.tastes.length === 0) return { best, chosen: best, within };
  const minTaste = (g: GridPoint) => Math.min(...g.tastes);
  const meeting = within.filter((g) => minTaste(g) >= FOCUS_TARGET);
  if (meeting.length > 0) return { best, chosen: meeting.reduce((a, b) => (mean(b.val) > mean(a.val) ? b : a)), within };
  const chosen = within.reduce((a, b) => (mean(b.tastes) > mean(a.tastes) || (mean(b.tastes) === mean(a.tastes) && minTaste(b) > minTaste(a)) ? b : a));
  return { best, chosen, within };
}
