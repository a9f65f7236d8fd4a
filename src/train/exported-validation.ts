/**
 * Validation NDCG@10 of an exported Thought Space, scored one history at a time through the
 * worker's loader: the check that export (and int8) kept the model's quality.
 */
import type { EvalCase } from '../eval/recommender.ts';
import type { ThoughtSpace } from '../model/thought-space-loader.ts';
import { fullRank, ndcgAt } from '../eval/metrics.ts';

export interface PreferenceVectorSource {
  /** USE-lite vectors of the cases' preference statements, or null when the model does not steer. */
  preferenceVectorsFor(cases: readonly EvalCase[]): Promise<Float32Array | null>;
}

export async function exportedValidationNdcg(space: ThoughtSpace, cases: readonly EvalCase[], source: PreferenceVectorSource): Promise<number> {
  const usable = cases.filter((c) => space.indexOf.has(c.target.itemId));
  const preferences = await source.preferenceVectorsFor(usable);
  const textDims = space.manifest.config.textDims;
  let sum = 0;
  for (const [i, c] of usable.entries()) {
    const behaviour = await space.encodeHistory(c.history);
    const rationale = preferences === null ? null : await space.encodeRationale(preferences.subarray(i * textDims, (i + 1) * textDims));
    const scores = await space.scores(await space.query(behaviour, rationale));
    const seen = new Set<number>();
    for (const e of c.history) {
      const row = space.indexOf.get(e.itemId);
      if (row !== undefined) seen.add(row);
    }
    sum += ndcgAt(fullRank(scores, space.indexOf.get(c.target.itemId)!, seen), 10);
  }
  return usable.length === 0 ? 0 : sum / usable.length;
}
