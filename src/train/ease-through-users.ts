/**
 * Exact EASE over the most popular training items, through the users' eigenpairs
 * (user-space-eigen.ts): shared by `npm run blend` (src/train/blend-export.ts) and the harness
 * model that refits the blend on any split (src/eval/models/pulse-blend-fit.ts). The items are
 * ordered as src/eval/models/ease.ts orders them (distinct training users, then index), so both
 * model the same items; `factorsAt(λ)` gives F with P = (1/λ)(I − F Fᵀ), whose full-rank
 * lowRankEase is dense EASE exactly.
 */
import type { TrainContext } from '../eval/recommender.ts';
import { buildTrainMatrix } from '../eval/train-matrix.ts';
import { cachedItemEigenpairs, itemEigenpairs } from './user-space-eigen.ts';

export interface EaseThroughUsers {
  /** Catalog index of each modelled item (slot order), and their ids. */
  modelled: number[];
  items: string[];
  /** Items with a training event (what `maxItems: 'all'` would model). */
  seen: number;
  rank: number;
  values: Float64Array;
  factorsAt(lambda: number): Float64Array;
}

/** `cacheFile(n)` names where the eigenpairs of n items are kept between runs (null: compute them); the caller makes it unique to the split. */
export function easeThroughUsers(context: Pick<TrainContext, 'catalog' | 'indexOf' | 'train'>, maxItems: number | 'all', cacheFile: ((items: number) => string) | null, log: (line: string) => void): EaseThroughUsers {
  const matrix = buildTrainMatrix(context);
  const seen = [...matrix.usersOfItem.keys()].filter((i) => matrix.usersOfItem[i]!.length > 0);
  seen.sort((a, b) => matrix.usersOfItem[b]!.length - matrix.usersOfItem[a]!.length || a - b);
  const modelled = maxItems === 'all' ? seen : seen.slice(0, maxItems);
  const n = modelled.length;
  const slotOf = new Int32Array(context.catalog.length).fill(-1);
  modelled.forEach((item, slot) => (slotOf[item] = slot));
  const itemsOfUser = matrix.itemsOfUser.map((list) => Int32Array.from([...list].map((i) => slotOf[i]!).filter((s) => s >= 0)));
  const eig = cacheFile === null ? itemEigenpairs(itemsOfUser, n, log) : cachedItemEigenpairs(itemsOfUser, n, cacheFile(n), log);
  const m = eig.rank;
  return {
    modelled,
    items: modelled.map((i) => context.catalog[i]!.id),
    seen: seen.length,
    rank: m,
    values: eig.values,
    factorsAt(lambda: number): Float64Array {
      const f = new Float64Array(n * m);
      for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) f[i * m + k] = eig.vectors[i * m + k]! * Math.sqrt(eig.values[k]! / (eig.values[k]! + lambda));
      return f;
    },
  };
}
