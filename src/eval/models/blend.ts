import { blendScores } from '../../model/score-blend.ts';
import { fullRank, ndcgAt } from '../metrics.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { historyIndices } from '../train-matrix.ts';

/**
 * Two rankers fitted on the same training data, their standardised scores added with a weight
 * chosen on validation NDCG@10 (src/model/score-blend.ts): e.g. the Thought Space plus the
 * item–item view (EASE). Weight 0 is the first ranker alone, so the blend can only pick it up
 * if validation says so; the chosen weight is reported.
 */
export class BlendRecommender implements Recommender {
  chosen: Record<string, number | string> | null = null;
  weight = 0;
  private indexOf: ReadonlyMap<string, number> = new Map();

  constructor(
    readonly name: string,
    private readonly first: Recommender,
    private readonly second: Recommender,
    readonly weights: readonly number[] = [0, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2, 3],
  ) {}

  async fit(context: TrainContext): Promise<void> {
    this.indexOf = context.indexOf;
    await this.first.fit({ ...context, log: (l) => context.log(`${this.name}/${l}`) });
    await this.second.fit({ ...context, log: (l) => context.log(`${this.name}/${l}`) });
    const cases = context.validation.filter((c) => context.indexOf.has(c.target.itemId));
    const sums = this.weights.map(() => 0);
    for (let start = 0; start < cases.length; start += 256) {
      const part = cases.slice(start, start + 256);
      const [a, b] = [await this.first.score(part), await this.second.score(part)];
      part.forEach((c, k) => {
        const target = context.indexOf.get(c.target.itemId)!;
        const mask = historyIndices(c, context.indexOf);
        this.weights.forEach((w, i) => (sums[i]! += ndcgAt(fullRank(blendScores(a[k]!, b[k]!, w), target, mask), 10)));
      });
    }
    const means = sums.map((s) => s / Math.max(1, cases.length));
    const best = means.indexOf(Math.max(...means));
    const sweep = this.weights.map((w, i) => `${w}: ${means[i]!.toFixed(4)}`).join(', ');
    // The parts' own choices (Pulse's epochs and α, EASE's λ) travel with the blend's weight.
    const partChoices = (r: Recommender) => Object.entries(((r as { chosen?: unknown }).chosen ?? {}) as Record<string, unknown>).filter(([k]) => k !== 'validationNdcg10');
    this.weight = this.weights[best]!;
    this.chosen = {
      weight: this.weight,
      ...Object.fromEntries(partChoices(this.first).map(([k, v]) => [`${this.first.name}.${k}`, v as number | string])),
      ...Object.fromEntries(partChoices(this.second).map(([k, v]) => [`${this.second.name}.${k}`, v as number | string])),
      validationNdcg10: means[best]!,
      sweep,
    };
    context.log(`${this.name}: weight of the second ranker, validation NDCG@10: ${sweep} → ${this.weights[best]}`);
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (this.chosen === null) throw new Error(`${this.name}: score() before fit()`);
    const [a, b] = [await this.first.score(cases), await this.second.score(cases)];
    return a.map((s, i) => blendScores(s, b[i]!, this.weight));
  }

  /** The fitted parts, e.g. to report their own tuned choices. */
  get parts(): [Recommender, Recommender] {
    return [this.first, this.second];
  }
}
