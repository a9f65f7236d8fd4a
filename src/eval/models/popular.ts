import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { buildTrainMatrix } from '../train-matrix.ts';

/** MostPopular: every user gets the items with the most training interactions. */
export class MostPopular implements Recommender {
  readonly name = 'pop';
  private counts: Float32Array = new Float32Array(0);

  async fit(context: TrainContext): Promise<void> {
    this.counts = buildTrainMatrix(context).counts;
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    // One shared, read-only array: the harness never writes to scores.
    return cases.map(() => this.counts);
  }
}
