import type { CatalogItem, Interaction } from '../core/types.ts';

/**
 * The contract between the evaluation harness and every model it compares (baselines and
 * the Thought Space alike): fit on the training split, then score the whole catalog for
 * each case. Masking of already-seen items, metrics and reports are the harness's job, so
 * every model is judged by exactly the same rules.
 */

/** One prediction task: everything the user did before `target`, in time order. */
export interface EvalCase {
  user: string;
  history: readonly Interaction[];
  target: Interaction;
}

/** What a model may learn from. Row i of `textVectors` belongs to `catalog[i]`. */
export interface TrainContext {
  catalog: readonly CatalogItem[];
  indexOf: ReadonlyMap<string, number>;
  /** Per user, the training interactions in time order (nothing from validation or test). */
  train: ReadonlyMap<string, readonly Interaction[]>;
  /** For early stopping and tuning only. */
  validation: readonly EvalCase[];
  /** The catalog's USE-lite text vectors (unit length, 512-d, int8-decoded), row = catalog index. */
  textVectors: Float32Array;
  textDims: number;
  seed: number;
  log: (line: string) => void;
}

export interface Recommender {
  readonly name: string;
  fit(context: TrainContext): Promise<void>;
  /**
   * One Float32Array of catalog.length scores per case (higher = better), same order as
   * `cases`. Items in the history need not be masked here.
   */
  score(cases: readonly EvalCase[]): Promise<Float32Array[]>;
}
