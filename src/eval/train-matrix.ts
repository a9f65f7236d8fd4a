import type { EvalCase, TrainContext } from './recommender.ts';

/**
 * The training interactions as an implicit user–item matrix: who touched what, once per
 * pair, whatever the event type or rating (every interaction is a positive, the usual
 * convention for next-item recommendation). Shared by the collaborative baselines and the
 * harness (popularity of what is recommended).
 */
export interface TrainMatrix {
  users: string[];
  rowOf: Map<string, number>;
  /** Per user row, the distinct catalog indices they interacted with in training. */
  itemsOfUser: Int32Array[];
  /** Per catalog index, the user rows that interacted with it. */
  usersOfItem: Int32Array[];
  /** Per catalog index, training interactions (all events, repeats included). */
  counts: Float32Array;
  /** Distinct (user, item) pairs. */
  pairs: number;
}

export function buildTrainMatrix(context: Pick<TrainContext, 'catalog' | 'indexOf' | 'train'>): TrainMatrix {
  const n = context.catalog.length;
  const users: string[] = [];
  const rowOf = new Map<string, number>();
  const itemsOfUser: Int32Array[] = [];
  const counts = new Float32Array(n);
  const userLists: number[][] = Array.from({ length: n }, () => []);
  let pairs = 0;
  for (const [user, events] of context.train) {
    const distinct = new Set<number>();
    for (const event of events) {
      const index = context.indexOf.get(event.itemId);
      if (index === undefined) throw new RangeError(`training event for item "${event.itemId}", which is not in the catalog`);
      counts[index]!++;
      distinct.add(index);
    }
    if (distinct.size === 0) continue;
    const row = users.length;
    users.push(user);
    rowOf.set(user, row);
    const items = Int32Array.from(distinct);
    itemsOfUser.push(items);
    for (const item of items) userLists[item]!.push(row);
    pairs += items.length;
  }
  return { users, rowOf, itemsOfUser, usersOfItem: userLists.map((l) => Int32Array.from(l)), counts, pairs };
}

/** Catalog indices of a case's history (distinct; items outside the catalog ignored). */
export function historyIndices(c: EvalCase, indexOf: ReadonlyMap<string, number>): number[] {
  const out = new Set<number>();
  for (const event of c.history) {
    const index = indexOf.get(event.itemId);
    if (index !== undefined) out.add(index);
  }
  return [...out];
}
