import { seededRandom } from '../../core/random.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';

/** Uniform random scores (seeded): the floor every model must clear; HR@k ≈ k / candidates. */
export class RandomRecommender implements Recommender {
  readonly name = 'random';
  private random: () => number = Math.random;
  private items = 0;

  async fit(context: TrainContext): Promise<void> {
    this.random = seededRandom(context.seed ^ 0x7a4d0);
    this.items = context.catalog.length;
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    return cases.map(() => Float32Array.from({ length: this.items }, () => this.random()));
  }
}
