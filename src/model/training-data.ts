/**
 * TrainContext / EvalCase → the integer histories the sequence models train and score on.
 * Pure; shared by SASRec and the Thought Space recommenders.
 */
import type { EvalCase, TrainContext } from '../eval/recommender.ts';
import type { ValidationCase } from '../train/fit-loop.ts';
import { encodeHistory } from './history-encoding.ts';
import type { EncodedHistory } from './sequence-batch.ts';

export interface SequenceData {
  users: string[];
  /** users[i]'s training history. */
  train: EncodedHistory[];
  validation: ValidationCase[];
}

export function sequenceData(context: TrainContext): SequenceData {
  const users = [...context.train.keys()];
  const train = users.map((u) => encodeHistory(context.train.get(u)!, context.indexOf));
  const validation: ValidationCase[] = [];
  for (const c of context.validation) {
    const target = context.indexOf.get(c.target.itemId);
    if (target === undefined) continue; // an item outside the catalog cannot be ranked by anyone
    validation.push({ history: encodeHistory(c.history, context.indexOf), target });
  }
  const unknown = train.reduce((sum, h) => sum + h.unknown, 0);
  if (unknown > 0) context.log(`note: ${unknown} training events name items outside the catalog and were left out`);
  return { users, train, validation };
}

export function caseHistories(cases: readonly EvalCase[], indexOf: ReadonlyMap<string, number>): EncodedHistory[] {
  return cases.map((c) => encodeHistory(c.history, indexOf));
}
