/**
 * The ToT-lite scorer of the PULSE method: how well a candidate rationale meets the shopper's
 * behaviour in the trained Thought Space — cosine between the behaviour tower's vector of the
 * history and the rationale tower's vector of the candidate (read by USE-lite first, as in
 * training). The USE-lite cosine scorer (use-lite-scorer.ts) stands in where no trained
 * Thought Space exists for the catalog.
 */
import type { PulseEvent } from '../core/types.ts';
import { dot, normalize } from '../core/vector-math.ts';
import type { ThoughtSpace } from '../model/thought-space-loader.ts';
import type { ThoughtScorer } from './tot-lite.ts';
import type { SentenceEncoder } from './use-lite-scorer.ts';

export function createThoughtSpaceScorer(encoder: SentenceEncoder, space: Pick<ThoughtSpace, 'encodeHistory' | 'encodeRationale'>): ThoughtScorer {
  return {
    async score(history: readonly PulseEvent[], rationales: string[]): Promise<number[]> {
      if (rationales.length === 0) return [];
      const ordered = [...history].sort((a, b) => a.ts - b.ts);
      const behaviour = await space.encodeHistory(ordered);
      if (normalize(behaviour) === 0) return rationales.map(() => 0);
      const texts = await encoder.embed(rationales);
      const scores: number[] = [];
      for (let i = 0; i < rationales.length; i++) {
        const rationale = await space.encodeRationale(texts.subarray(i * encoder.dims, (i + 1) * encoder.dims));
        scores.push(normalize(rationale) === 0 ? 0 : dot(rationale, 0, behaviour, 0, behaviour.length));
      }
      return scores;
    },
  };
}
