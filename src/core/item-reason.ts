import type { ItemSignal } from './profile.ts';
import { reasonText } from './reason-words.ts';
import type { CatalogItem, Why } from './types.ts';

/**
 * The per-item reason, faithful to the model that ranked the item: the history item it names
 * is the one whose deletion lowers the item's score most (for the text-similarity ranker that
 * is weight × similarity, exactly; for the Thought Space it is measured by deleting each item
 * and re-encoding the history), and the link it states is the real one — categories or a
 * decade the two share when they do, otherwise the behavioural link the model learned, said
 * as such (the words: reason-words.ts).
 * Pure: no DOM, no tfjs.
 */

export const HISTORY_WHOLE: Why = { kind: 'popular', text: 'Picked for your history as a whole' };

// The words live in reason-words.ts (one place for every reason sentence); re-exported for callers of this module.
export { didPhrase, linkPhrase, reasonText } from './reason-words.ts';

export interface Contribution {
  itemId: string;
  /** How much deleting the item from the history lowers the target's score (negative: raises it). */
  drop: number;
}

/**
 * The reason naming the largest contributor; a "because you …" only when it is an item the
 * shopper pulled towards and deleting it does lower the score, else the history as a whole.
 */
export function reasonFromContributions(
  target: CatalogItem,
  contributions: readonly Contribution[],
  signalOf: (itemId: string) => ItemSignal | undefined,
  lookup: (itemId: string) => CatalogItem | undefined,
): Why {
  let best: Contribution | null = null;
  for (const c of contributions) if (c.itemId !== target.id && (!best || c.drop > best.drop)) best = c;
  const signal = best ? signalOf(best.itemId) : undefined;
  const source = best ? lookup(best.itemId) : undefined;
  if (!best || !signal || !source || signal.weight <= 0 || best.drop <= 0) return HISTORY_WHOLE;
  return { kind: 'similar', text: reasonText(target, source, signal), itemId: source.id, title: source.title, similarity: best.drop };
}

/**
 * The Thought Space score of item rows for a behaviour vector, steered as the worker steers it:
 * q = b + α·|b|·r̂ (thought-space.ts steerQuery), score = v·q. Plain JS over a handful of rows,
 * so each deletion costs one dot product per recommended item.
 */
export function steeredScores(behaviour: Float32Array, rationaleUnit: Float32Array | null, alpha: number, itemVectors: Float32Array, rows: readonly number[], dims: number): number[] {
  let length = 0;
  for (let i = 0; i < dims; i++) length += behaviour[i]! * behaviour[i]!;
  length = Math.sqrt(length);
  const scale = rationaleUnit ? alpha * length : 0;
  return rows.map((row) => {
    let s = 0;
    for (let i = 0; i < dims; i++) s += itemVectors[row * dims + i]! * (behaviour[i]! + (rationaleUnit ? scale * rationaleUnit[i]! : 0));
    return s;
  });
}

/** r / |r|, or null for a zero vector. */
export function unitVector(v: Float32Array): Float32Array | null {
  let n = 0;
  for (const x of v) n += x * x;
  if (n === 0) return null;
  const s = 1 / Math.sqrt(n);
  return Float32Array.from(v, (x) => x * s);
}
