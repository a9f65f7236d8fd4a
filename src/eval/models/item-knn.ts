import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { buildTrainMatrix, historyIndices, type TrainMatrix } from '../train-matrix.ts';
import { validationNdcg10 } from '../tuning.ts';

/**
 * ItemKNN: item–item cosine similarity on the binary training user–item matrix,
 *   sim(i, j) = |U(i) ∩ U(j)| / (sqrt(|U(i)|·|U(j)|) + shrink),
 * each item keeping its `neighbours` most similar items; a user's score for j is the sum of
 * sim(i, j) over the distinct items i in their history. Neighbourhood size and shrinkage are
 * chosen on validation NDCG@10 (grid below), then used for test.
 */
export interface ItemKnnOptions {
  neighbours?: readonly number[];
  shrinks?: readonly number[];
}

interface Neighbourhoods {
  /** Per item, neighbour indices sorted by similarity, descending (at most max(neighbours)). */
  items: Int32Array[];
  sims: Float32Array[];
}

export class ItemKnn implements Recommender {
  readonly name = 'itemknn';
  readonly neighbourGrid: readonly number[];
  readonly shrinkGrid: readonly number[];
  chosen: { neighbours: number; shrink: number; validationNdcg10: number } | null = null;
  private table: Neighbourhoods | null = null;
  private indexOf: ReadonlyMap<string, number> = new Map();
  private itemCount = 0;

  constructor(options: ItemKnnOptions = {}) {
    this.neighbourGrid = options.neighbours ?? [20, 50, 100, 200];
    this.shrinkGrid = options.shrinks ?? [0, 10, 50];
  }

  async fit(context: TrainContext): Promise<void> {
    this.indexOf = context.indexOf;
    this.itemCount = context.catalog.length;
    const matrix = buildTrainMatrix(context);
    const maxK = Math.max(...this.neighbourGrid);
    const tables = neighbourhoods(matrix, this.shrinkGrid, maxK);
    let best: { neighbours: number; shrink: number; validationNdcg10: number; table: Neighbourhoods } | null = null;
    for (let s = 0; s < this.shrinkGrid.length; s++) {
      const shrink = this.shrinkGrid[s]!;
      for (const neighbours of this.neighbourGrid) {
        const table = tables[s]!;
        const ndcg = validationNdcg10(context.validation, context.indexOf, (c) => this.scoreOne(c, table, neighbours));
        context.log(`itemknn: neighbours ${neighbours}, shrink ${shrink} → validation NDCG@10 ${ndcg.toFixed(4)}`);
        if (!best || ndcg > best.validationNdcg10) best = { neighbours, shrink, validationNdcg10: ndcg, table };
      }
    }
    if (!best) throw new Error('itemknn: empty tuning grid');
    const { table, ...chosen } = best;
    this.chosen = chosen;
    this.table = table;
    context.log(`itemknn: chose neighbours ${chosen.neighbours}, shrink ${chosen.shrink}`);
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (!this.table || !this.chosen) throw new Error('itemknn: fit() first');
    return cases.map((c) => this.scoreOne(c, this.table!, this.chosen!.neighbours));
  }

  private scoreOne(c: EvalCase, table: Neighbourhoods, neighbours: number): Float32Array {
    const scores = new Float32Array(this.itemCount);
    for (const i of historyIndices(c, this.indexOf)) {
      const items = table.items[i]!;
      const sims = table.sims[i]!;
      const k = Math.min(neighbours, items.length);
      for (let n = 0; n < k; n++) scores[items[n]!]! += sims[n]!;
    }
    return scores;
  }
}

/** For each shrink, every item's top `maxK` neighbours: one co-occurrence pass per item. */
export function neighbourhoods(matrix: TrainMatrix, shrinks: readonly number[], maxK: number): Neighbourhoods[] {
  const n = matrix.usersOfItem.length;
  const tables: Neighbourhoods[] = shrinks.map(() => ({ items: new Array(n), sims: new Array(n) }));
  const cooc = new Float32Array(n);
  const touched = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (const u of matrix.usersOfItem[i]!) {
      for (const j of matrix.itemsOfUser[u]!) {
        if (j === i) continue;
        if (cooc[j] === 0) touched[t++] = j;
        cooc[j]!++;
      }
    }
    const ni = matrix.usersOfItem[i]!.length;
    shrinks.forEach((shrink, s) => {
      const candidates: { j: number; sim: number }[] = new Array(t);
      for (let c = 0; c < t; c++) {
        const j = touched[c]!;
        candidates[c] = { j, sim: cooc[j]! / (Math.sqrt(ni * matrix.usersOfItem[j]!.length) + shrink) };
      }
      candidates.sort((a, b) => b.sim - a.sim || a.j - b.j);
      const kept = candidates.slice(0, maxK);
      tables[s]!.items[i] = Int32Array.from(kept, (x) => x.j);
      tables[s]!.sims[i] = Float32Array.from(kept, (x) => x.sim);
    });
    for (let c = 0; c < t; c++) cooc[touched[c]!] = 0;
  }
  return tables;
}
