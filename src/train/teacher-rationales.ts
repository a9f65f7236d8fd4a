/**
 * The training pairs of the *why* loss: for each user, the last `perUser` events of their
 * training history, each with the teacher's rationale for choosing it after what came before.
 * Only the most recent positions: the teacher's text must be embedded (≈100 texts/s), and
 * recent choices are the ones the behaviour vector has to explain at recommendation time.
 */
import { composeRationale, type ComposerContext } from '../core/evidence-composer.ts';
import type { PulseEvent } from '../core/types.ts';
import type { RationaleTable } from '../model/thought-space-model.ts';
import type { TextEncoder } from './text-vector-cache.ts';

export interface RationalePair {
  /** Row of the user in the training histories. */
  user: number;
  /** Index of the chosen event in that user's training history (≥ 1: a history must precede it). */
  event: number;
  text: string;
}

export function rationalePairs(histories: ReadonlyArray<readonly PulseEvent[]>, perUser: number, context: ComposerContext): RationalePair[] {
  const pairs: RationalePair[] = [];
  histories.forEach((events, user) => {
    for (let t = Math.max(1, events.length - perUser); t < events.length; t++) {
      pairs.push({ user, event: t, text: composeRationale(events.slice(0, t), events[t]!.itemId, context) });
    }
  });
  return pairs;
}

export async function rationaleTable(pairs: readonly RationalePair[], users: number, encode: TextEncoder, log: (line: string) => void): Promise<RationaleTable> {
  const rowOf = Array.from({ length: users }, () => new Map<number, number>());
  pairs.forEach((p, row) => rowOf[p.user]!.set(p.event, row));
  let lastLog = 0;
  const vectors = await encode(
    pairs.map((p) => p.text),
    (done, total) => {
      if (Date.now() - lastLog > 10_000 || done === total) {
        lastLog = Date.now();
        log(`embedding teacher rationales: ${done}/${total} new texts`);
      }
    },
  );
  return { rowOf, vectors };
}
