/**
 * The interim Thought Space scorer for ToT-lite: cosine, in USE-lite's sentence space,
 * between each rationale and the history (the signal-weighted mean of the texts of the
 * items the shopper leaned towards). A real semantic similarity, not a stub; the trained
 * rationale/behaviour towers replace it through the same ThoughtScorer interface.
 */
import { itemSignals } from '../core/profile.ts';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { dot, normalize } from '../core/vector-math.ts';
import type { ThoughtScorer } from './tot-lite.ts';

/** The part of TextBackbone this needs: unit-length rows, [texts × dims]. */
export interface SentenceEncoder {
  readonly dims: number;
  embed(texts: ReadonlyArray<string>): Promise<Float32Array>;
}

/** At most this many history items are embedded per scoring call (the strongest signals). */
const MAX_HISTORY_ITEMS = 24;

export function createUseLiteScorer(
  encoder: SentenceEncoder,
  lookup: (itemId: string) => CatalogItem | undefined,
  now: () => number = Date.now,
): ThoughtScorer {
  return {
    async score(history: readonly PulseEvent[], rationales: string[]): Promise<number[]> {
      const liked = itemSignals(history, now())
        .filter((signal) => signal.weight > 0 && lookup(signal.itemId) !== undefined)
        .sort((a, b) => b.weight - a.weight)
        .slice(0, MAX_HISTORY_ITEMS);
      // Nothing the shopper leaned towards: no direction to be similar to.
      if (liked.length === 0 || rationales.length === 0) return rationales.map(() => 0);
      const texts = [...liked.map((signal) => lookup(signal.itemId)!.text), ...rationales];
      const vectors = await encoder.embed(texts);
      const { dims } = encoder;
      const behaviour = new Float32Array(dims);
      liked.forEach((signal, row) => {
        for (let d = 0; d < dims; d++) behaviour[d]! += signal.weight * vectors[row * dims + d]!;
      });
      if (normalize(behaviour) === 0) return rationales.map(() => 0);
      return rationales.map((_, i) => dot(vectors, (liked.length + i) * dims, behaviour, 0, dims));
    },
  };
}
