import { itemSignals } from '../../core/profile.ts';
import { buildRankingIndex, jsScorer, userVector, type RankingIndex, type Scorer } from '../../core/ranker.ts';
import { centerRows } from '../../core/vector-math.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { buildTrainMatrix } from '../train-matrix.ts';
import { validationNdcg10 } from '../tuning.ts';

/**
 * Content-only: the foundation's shipped ranker (src/core/ranker.ts, as the worker runs it),
 * no training. Item vectors = the catalog's USE-lite text vectors, centred and re-normalised
 * (centerRows, as in the worker); user vector = the signed, decayed mean of the history's
 * vectors (profile.ts itemSignals, with "now" = the target's time); score = cosine +
 * priorWeight · log-popularity. An empty or purely negative history falls back to popularity.
 *
 * Popularity comes from the *training* interactions, not the catalog's `popularity` field:
 * the shipped MovieLens catalog counts every rating, test ratings included, which would leak.
 * The prior weight is chosen on validation from a grid that includes the shipped 0.1.
 */
export interface ContentOptions {
  priorWeights?: readonly number[];
}

export class ContentRecommender implements Recommender {
  readonly name = 'content';
  readonly priorWeightGrid: readonly number[];
  chosen: { priorWeight: number; validationNdcg10: number } | null = null;
  private index: RankingIndex | null = null;
  private scorer: Scorer | null = null;

  constructor(options: ContentOptions = {}) {
    this.priorWeightGrid = options.priorWeights ?? [0, 0.1, 0.3, 1, 3, 10];
  }

  async fit(context: TrainContext): Promise<void> {
    const counts = buildTrainMatrix(context).counts;
    const items = context.catalog.map((item, i) => ({ ...item, popularity: counts[i]! }));
    const vectors = Float32Array.from(context.textVectors);
    centerRows(vectors, context.textDims);
    this.index = buildRankingIndex(items, vectors, context.textDims);
    this.scorer = jsScorer(this.index);
    // Cosines once per validation case; each prior weight only adds a multiple of popularity.
    const cosines = await this.scoreWith(context.validation, 0);
    const row = new Map(context.validation.map((c, i) => [c, i] as const));
    const popularity = this.index.popularity;
    let best: { priorWeight: number; validationNdcg10: number } | null = null;
    for (const priorWeight of this.priorWeightGrid) {
      const ndcg = validationNdcg10(context.validation, context.indexOf, (c) => {
        const base = cosines[row.get(c)!]!;
        if (base === popularity) return popularity; // the cold-start fallback ignores the weight
        return base.map((s, i) => s + priorWeight * popularity[i]!);
      });
      context.log(`content: prior weight ${priorWeight} → validation NDCG@10 ${ndcg.toFixed(4)}`);
      if (!best || ndcg > best.validationNdcg10) best = { priorWeight, validationNdcg10: ndcg };
    }
    if (!best) throw new Error('content: empty prior-weight grid');
    this.chosen = best;
    context.log(`content: chose prior weight ${best.priorWeight}`);
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (!this.chosen) throw new Error('content: fit() first');
    return this.scoreWith(cases, this.chosen.priorWeight);
  }

  private async scoreWith(cases: readonly EvalCase[], priorWeight: number): Promise<Float32Array[]> {
    const index = this.index!;
    const out: Float32Array[] = [];
    for (const c of cases) {
      const query = userVector(itemSignals(c.history, c.target.ts), index);
      out.push(query ? await this.scorer!.score(query, priorWeight) : index.popularity);
    }
    return out;
  }
}
