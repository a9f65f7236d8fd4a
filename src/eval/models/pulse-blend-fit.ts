import { createHash } from 'node:crypto';
import { lowRankEase } from '../../model/lowrank-ease.ts';
import { standardize } from '../../model/score-blend.ts';
import { blendedScores, buildBlendIndex, combineParts, type BlendIndex, type BlendWeights } from '../../model/pulse-blend.ts';
import { easeThroughUsers } from '../../train/ease-through-users.ts';
import { sparsify } from '../../model/sparse-ease.ts';
import { searchGridToInterior } from '../tuning.ts';
import { Ease } from './ease.ts';
import { blendCase, blendNdcgs, chooseWeights, focusCase, mean, pairedSe, weightGrid, type BlendCase, type FocusCase } from '../blend-search.ts';
import { fullRank, ndcgAt } from '../metrics.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { FOCUS_CATEGORIES, focusedHistory } from '../taste-focus.ts';
import { ItemKnn } from './item-knn.ts';

/**
 * The blend the worker ships (src/model/pulse-blend.ts: z(Thought Space) + w_ease · z(EASE) +
 * w_profile · z(category profile)), refitted from scratch on whatever split and seed the harness
 * gives it, by the recipe of `npm run blend` (src/train/blend-export.ts) — so the shipped model's
 * numbers are not tied to the one split (LOO seed 1) its files were made on:
 *
 *  1. the Thought Space towers, trained as the registry's `pulse` (the same options and code),
 *     or none (`towers: null`: the ablation that shows what the Thought Space adds);
 *  2. exact EASE on the training matrix (the most popular `maxItems` items, as src/eval/models/ease.ts),
 *     through the users' eigenpairs (src/train/ease-through-users.ts) at full rank — dense EASE,
 *     not the shipped int8 rank-192 file; λ on validation NDCG@10 of EASE alone, grid as blend-export's;
 *  3. the weights on the same grid and by the same rule as blend-export (src/eval/blend-search.ts:
 *     best validation NDCG@10, then the most focused tastes within 2 paired SE);
 *  4. test cases are scored by `blendedScores`, the function the worker ranks with.
 * Everything is chosen on the validation cases; `fit` never receives a test case.
 *
 * With `knnWeights`, fit also measures (validation only, reported in `chosen`, never used to score)
 * what adding z(ItemKNN) at those weights to the chosen blend would do: whether the item–item view
 * that wins the temporal split belongs in the blend as a fourth part.
 */
export interface PulseBlendFitOptions {
  towers: (() => Recommender) | null;
  lambdas?: readonly number[];
  maxItems?: number;
  easeWeights?: readonly number[];
  profileWeights?: readonly number[];
  /** The profile weight a fully focused history adds (pulse-blend.ts historyConcentration); [0]: the fixed-weight blend. */
  focusWeights?: readonly number[];
  se?: number;
  knnWeights?: readonly number[];
  /** Which side EASE is computed from (easeSide below); default 'auto': the users' where they are at most maxItems. */
  easeSide?: 'auto' | 'users' | 'items';
  /** Keep the eigenpairs in .cache/ between runs (default true; tests pass false). */
  eigenCache?: boolean;
}

/**
 * The grid of the shipped blend (models/pulse-movielens/README.md, "Made by npm run blend …"), with
 * λ on the `ease` baseline's grid (extended past a winning end, tuning.ts) so the blend's EASE is
 * tuned exactly as the baseline it is compared with (Amazon's best λ is below 30).
 */
export const BLEND_FIT_DEFAULTS = { lambdas: [30, 100, 300, 1000], maxItems: 3000, easeWeights: [1, 1.5, 2], profileWeights: [0, 1, 1.5, 2, 2.5, 3], focusWeights: [0, 2, 4, 8, 16], se: 2 } as const;

export class FittedPulseBlend implements Recommender {
  chosen: Record<string, number | string> | null = null;
  private towers: Recommender | null = null;
  private index: BlendIndex | null = null;
  private weights: BlendWeights = { ease: 0, profile: 0 };
  private rows = 0;

  constructor(
    readonly name: string,
    private readonly options: PulseBlendFitOptions,
  ) {}

  /** The towers' catalog scores of `cases`, in chunks (null without towers: blendedScores then reads zeros). */
  private async towerScores(cases: readonly EvalCase[]): Promise<(Float32Array | null)[]> {
    if (!this.towers) return cases.map(() => null);
    const out: Float32Array[] = [];
    for (let s = 0; s < cases.length; s += 256) out.push(...(await this.towers.score(cases.slice(s, s + 256))));
    return out;
  }

  async fit(context: TrainContext): Promise<void> {
    const o = { ...BLEND_FIT_DEFAULTS, ...this.options };
    const log = (line: string) => context.log(`${this.name}: ${line}`);
    this.rows = context.catalog.length;
    if (o.towers) {
      this.towers = o.towers();
      await this.towers.fit({ ...context, log: (l) => context.log(`${this.name}/${l}`) });
    }
    const validation = context.validation.filter((c) => context.indexOf.has(c.target.itemId));
    const towers = await this.towerScores(validation);

    const casesOf = (index: BlendIndex): BlendCase[] => validation.map((c, i) => blendCase(index, c, context.indexOf, towers[i]!));
    const easeIndex = await this.easeSide(context, o, log);
    const lambdaSweep: string[] = [];
    // λ on validation NDCG@10 of EASE alone; the grid is extended past an end that wins (tuning.ts).
    const { best: bestLambda } = await searchGridToInterior(o.lambdas, async (lambda) => {
      const index = await easeIndex.at(lambda);
      const val = mean(blendNdcgs(casesOf(index).map((c) => ({ ...c, thoughtSpace: new Float32Array(this.rows) })), { ease: 1, profile: 0 }));
      lambdaSweep.push(`${lambda}: ${val.toFixed(4)}`);
      log(`λ ${lambda}: EASE alone validation NDCG@10 ${val.toFixed(4)}`);
      return { score: val, fitted: index };
    });
    const best = { lambda: bestLambda.value, val: bestLambda.score, index: bestLambda.fitted };
    this.index = best.index;

    // Weights: the shared search, focus tie-break on the catalog's focus categories where it has them.
    const cases = casesOf(best.index);
    const focus = await this.focusCases(context, best.index);
    const grid = weightGrid(cases, o.easeWeights, o.profileWeights, focus, context.catalog, o.focusWeights);
    const { best: top, chosen } = chooseWeights(grid, o.se);
    this.weights = { ease: chosen.ease, profile: chosen.profile, focus: chosen.focus };
    log(`weights: best validation ease ${top.ease} profile ${top.profile} focus ${top.focus} (${mean(top.val).toFixed(4)}); chose ease ${chosen.ease} profile ${chosen.profile} focus ${chosen.focus} (${mean(chosen.val).toFixed(4)}${focus.length ? `, tastes ${chosen.tastes.join(',')}` : ''})`);
    this.chosen = {
      lambda: best.lambda,
      easeItems: easeIndex.items,
      easeSide: easeIndex.side,
      easeWeight: chosen.ease,
      profileWeight: chosen.profile,
      focusWeight: chosen.focus,
      validationNdcg10: mean(chosen.val),
      ...(focus.length ? { focusMean: mean(chosen.tastes), bestValEase: top.ease, bestValProfile: top.profile, bestValFocus: top.focus, bestValNdcg10: Number(mean(top.val).toFixed(4)) } : {}),
      lambdaSweep: lambdaSweep.join(', '),
      ...Object.fromEntries(Object.entries(((this.towers as { chosen?: unknown } | null)?.chosen ?? {}) as Record<string, number | string>).map(([k, v]) => [`towers.${k}`, v])),
    };
    if (o.knnWeights?.length) Object.assign(this.chosen, await this.knnDiagnostic(context, validation, cases, chosen.val, o.knnWeights, log));
  }

  /**
   * Exact dense EASE over the `maxItems` most popular training items, per λ, from whichever side is
   * smaller: through the users' eigenpairs (src/train/ease-through-users.ts: one m × m Jacobi
   * decomposition, then every λ free; MovieLens, ~600 users) where users are at most `maxItems`, else
   * the items' own Gram inverted per λ (src/eval/models/ease.ts, shared with the `ease` baseline of
   * the same run; Amazon, 22k users, where an m × m Jacobi is out of reach). Both are EASE exactly;
   * the item side reaches the blend as every row's full neighbour list (sparse-ease.ts with K = n − 1).
   */
  private async easeSide(context: TrainContext, o: { maxItems: number; eigenCache?: boolean; easeSide?: 'auto' | 'users' | 'items' }, log: (line: string) => void): Promise<{ side: string; items: number; at: (lambda: number) => Promise<BlendIndex> }> {
    const side = o.easeSide ?? 'auto';
    if (side === 'users' || (side === 'auto' && context.train.size <= o.maxItems)) {
      // The eigenpairs are cached under a hash of the training matrix, so the blend and its
      // ablation (and a rerun) of one split decompose it once.
      const key = createHash('sha1');
      for (const [user, events] of context.train) key.update(`${user}:${events.map((e) => e.itemId).join(',')};`);
      const ease = easeThroughUsers(context, o.maxItems, o.eigenCache === false ? null : (n) => `.cache/blend-fit-eigen-${key.digest('hex').slice(0, 16)}-${n}.bin`, log);
      return { side: 'users', items: ease.items.length, at: async (lambda) => buildBlendIndex(context.catalog, lowRankEase(ease.items, ease.factorsAt(lambda), ease.rank, ease.rank)) };
    }
    log(`${context.train.size} training users, ${o.maxItems} items at most: EASE from the items' side`);
    let items = 0;
    const at = async (lambda: number): Promise<BlendIndex> => {
      const ease = new Ease({ lambdas: [lambda], maxItems: o.maxItems });
      await ease.fit({ ...context, validation: [], log: () => {} });
      const { modelled, weights } = ease.dense;
      items = modelled.length;
      return buildBlendIndex(context.catalog, sparsify(weights, items, Math.max(1, items - 1), [...modelled].map((i) => context.catalog[i]!.id)));
    };
    return {
      side: 'items',
      get items() {
        return items;
      },
      at,
    };
  }

  /** Focused tastes (taste-focus.ts) on this catalog, scored by these towers and this EASE; empty where the catalog lacks the categories. */
  private async focusCases(context: TrainContext, index: BlendIndex): Promise<FocusCase[]> {
    const categories = FOCUS_CATEGORIES.filter((c) => context.catalog.filter((m) => m.categories.includes(c)).length >= 5);
    if (categories.length < FOCUS_CATEGORIES.length) return [];
    return Promise.all(
      categories.map(async (category) => {
        const events = focusedHistory(context.catalog, category).map((e) => ({ ...e, user: 'focus' }));
        const [ts] = await this.towerScores([{ user: 'focus', history: events, target: events[0]! }]);
        return focusCase(index, category, events, ts ?? null);
      }),
    );
  }

  /** Validation NDCG@10 of the chosen blend + w · z(ItemKNN), per w, with its paired SE vs the blend. Reported, never used to score. */
  private async knnDiagnostic(context: TrainContext, validation: readonly EvalCase[], cases: readonly BlendCase[], base: readonly number[], weights: readonly number[], log: (l: string) => void): Promise<Record<string, string>> {
    const knn = new ItemKnn();
    await knn.fit({ ...context, log: (l) => context.log(`${this.name}/${l}`) });
    const knnScores = (await knn.score(validation)).map(standardize);
    const sweep = weights.map((w) => {
      const val = cases.map((c, i) => {
        const s = combineParts(c, this.weights);
        const z = knnScores[i]!;
        for (let j = 0; j < s.length; j++) s[j]! += w * z[j]!;
        return ndcgAt(fullRank(s, c.target, c.mask), 10);
      });
      return `${w}: ${(mean(val) - mean(base)).toFixed(4)} ± ${pairedSe(val, base).toFixed(4)}`;
    });
    log(`+ w · z(ItemKNN) on validation, Δ NDCG@10 vs the chosen blend (paired SE): ${sweep.join(', ')}`);
    return { knnDeltaSweep: sweep.join(', '), knnChoice: `${knn.chosen?.neighbours}/${knn.chosen?.shrink}` };
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (!this.index || !this.chosen) throw new Error(`${this.name}: score() before fit()`);
    const towers = await this.towerScores(cases);
    return cases.map((c, i) => blendedScores(this.index!, c.history, towers[i] ?? new Float32Array(this.rows), this.weights));
  }
}
