import { seededRandom } from '../core/random.ts';
import type { Interaction } from '../core/types.ts';
import type { EvalCase } from './recommender.ts';

/**
 * Train / validation / test splits (docs/evaluation.md "Protocol").
 *
 * Every split predicts a *new* item: a target is a user's first interaction with that item
 * (for MovieLens, one rating per user and item, that is every rating). Later interactions with
 * an item already seen stay in the history as features but are never targets, so masking the
 * history can never hide the answer.
 *
 * Events with the same timestamp have no true order. Two documented, stable tie orders:
 *  - 'seeded' (default; MovieLens users rate a batch in one second): a seeded shuffle, so which
 *    of them becomes the target is part of what a seed varies, and a seed always gives the same split;
 *  - 'file': the order of the rows in the file (a stable sort by time). The Amazon files list each
 *    user's events in the source's order within a day, the order sequential-recommendation
 *    benchmarks use, so every seed shares one split and varies only the models and negatives.
 */

export type TieOrder = 'seeded' | 'file';
export const TIE_ORDERS: readonly TieOrder[] = ['seeded', 'file'];

export interface Split {
  kind: 'loo' | 'temporal';
  /** Per user, the training events in time order. */
  train: Map<string, Interaction[]>;
  validation: EvalCase[];
  test: EvalCase[];
  /** What the split did, for reports: every event is accounted for. */
  notes: string[];
}

/** Per user, events sorted by time; ties in a seeded random order (stable for a seed and input). */
export function sequencesByUser(interactions: readonly Interaction[], seed: number, ties: TieOrder = 'seeded'): Map<string, Interaction[]> {
  const random = seededRandom(seed);
  const keyed = interactions.map((event, row) => ({ event, tie: ties === 'file' ? row : random() }));
  keyed.sort((a, b) => a.event.ts - b.event.ts || a.tie - b.tie);
  const byUser = new Map<string, Interaction[]>();
  for (const { event } of keyed) {
    const list = byUser.get(event.user);
    if (list) list.push(event);
    else byUser.set(event.user, [event]);
  }
  return byUser;
}

/** Positions in `sequence` where the user meets an item for the first time. */
function firstTimePositions(sequence: readonly Interaction[]): number[] {
  const seen = new Set<string>();
  const positions: number[] = [];
  sequence.forEach((event, i) => {
    if (!seen.has(event.itemId)) positions.push(i);
    seen.add(event.itemId);
  });
  return positions;
}

const evalCase = (sequence: readonly Interaction[], at: number): EvalCase => ({
  user: sequence[at]!.user,
  history: sequence.slice(0, at),
  target: sequence[at]!,
});

/**
 * Leave-one-out by time: per user, the last new item → test, the new item before it →
 * validation, everything before the validation target → train. The test history includes the
 * validation item (as in SASRec's protocol). Users with fewer than 3 distinct items are kept
 * for training only.
 */
export function leaveOneOutSplit(interactions: readonly Interaction[], seed: number, ties: TieOrder = 'seeded'): Split {
  const train = new Map<string, Interaction[]>();
  const validation: EvalCase[] = [];
  const test: EvalCase[] = [];
  let trainOnly = 0;
  let afterTest = 0;
  let betweenTargets = 0;
  for (const [user, sequence] of sequencesByUser(interactions, seed, ties)) {
    const firsts = firstTimePositions(sequence);
    if (firsts.length < 3) {
      train.set(user, sequence);
      trainOnly++;
      continue;
    }
    const t = firsts[firsts.length - 1]!;
    const v = firsts[firsts.length - 2]!;
    train.set(user, sequence.slice(0, v));
    validation.push(evalCase(sequence, v));
    test.push(evalCase(sequence, t));
    afterTest += sequence.length - t - 1;
    betweenTargets += t - v - 1;
  }
  const notes = [
    `leave-one-out by time: ${test.length} users evaluated (1 validation + 1 test target each); same-time ties in ${ties === 'file' ? 'file order' : 'a seeded random order'}`,
    `${trainOnly} users with < 3 distinct items: training only`,
  ];
  if (betweenTargets) notes.push(`${betweenTargets} repeat events between the two targets: test history only`);
  if (afterTest) notes.push(`${afterTest} repeat events after the test target: unused`);
  return { kind: 'loo', train, validation, test, notes };
}

/** A cut: a quantile of all timestamps (0 < q < 1), or a date/time (ISO-8601). */
export type Cut = { quantile: number } | { at: number };

export function parseCut(text: string): Cut {
  const trimmed = text.trim();
  if (/^(0?\.\d+)$/.test(trimmed)) return { quantile: Number(trimmed) };
  const at = Date.parse(trimmed);
  if (!/^\d{4}-\d{2}/.test(trimmed) || !Number.isFinite(at)) {
    throw new RangeError(`cut ${JSON.stringify(text)}: expected a quantile in (0, 1) like 0.9 or a date like 2015-01-01`);
  }
  return { at };
}

/** The cut as milliseconds: a quantile picks the timestamp at that rank among all events. */
export function cutTime(cut: Cut, interactions: readonly Interaction[]): number {
  if ('at' in cut) return cut.at;
  if (interactions.length === 0) throw new RangeError('cannot take a quantile of no interactions');
  const times = Float64Array.from(interactions, (e) => e.ts).sort();
  return times[Math.min(times.length - 1, Math.floor(cut.quantile * times.length))]!;
}

/**
 * Global temporal split at two cuts, validation before test (validationCut < testCut):
 *  - train = every event before the validation cut, of every user;
 *  - test cases = per user, their first `targetsPerUser` new items at or after the test cut;
 *    validation cases = the same within [validationCut, testCut);
 *  - each case's history is everything that user did before its target, so later targets of
 *    one user see the earlier ones (as the browser would), although the models never trained
 *    on anything after the validation cut (no refit: the deployed model ages);
 *  - a target with an empty history is not evaluated (nothing to personalise from: a
 *    cold-start question for another table), so a user new after the cut counts from their
 *    second item on.
 * Why several targets per user: MovieLens users rate in bursts, so only ~80 of 671 users are
 * active after a 0.9-quantile cut; one target each would make a noisy table. The cap (default
 * 10) keeps a few very active users from dominating the mean.
 */
export function temporalSplit(
  interactions: readonly Interaction[],
  seed: number,
  validationCut: number,
  testCut: number,
  targetsPerUser = 10,
  ties: TieOrder = 'seeded',
): Split {
  if (!(validationCut < testCut)) {
    throw new RangeError(`temporal split: the validation cut (${new Date(validationCut).toISOString()}) must come before the test cut (${new Date(testCut).toISOString()})`);
  }
  const train = new Map<string, Interaction[]>();
  const validation: EvalCase[] = [];
  const test: EvalCase[] = [];
  let validationUsers = 0;
  let testUsers = 0;
  let capped = 0;
  for (const [user, sequence] of sequencesByUser(interactions, seed, ties)) {
    const before = sequence.filter((e) => e.ts < validationCut);
    if (before.length) train.set(user, before);
    const targets = firstTimePositions(sequence).filter((i) => i > 0);
    const inValidation = targets.filter((i) => sequence[i]!.ts >= validationCut && sequence[i]!.ts < testCut);
    const inTest = targets.filter((i) => sequence[i]!.ts >= testCut);
    for (const i of inValidation.slice(0, targetsPerUser)) validation.push(evalCase(sequence, i));
    for (const i of inTest.slice(0, targetsPerUser)) test.push(evalCase(sequence, i));
    if (inValidation.length) validationUsers++;
    if (inTest.length) testUsers++;
    capped += Math.max(0, inValidation.length - targetsPerUser) + Math.max(0, inTest.length - targetsPerUser);
  }
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const notes = [
    `temporal: train before ${day(validationCut)}, validation [${day(validationCut)}, ${day(testCut)}), test from ${day(testCut)}; same-time ties in ${ties === 'file' ? 'file order' : 'a seeded random order'}`,
    `${validation.length} validation targets (${validationUsers} users) and ${test.length} test targets (${testUsers} users): each user's first ${targetsPerUser} new items after the cut with a non-empty history`,
  ];
  if (capped) notes.push(`${capped} later new items beyond ${targetsPerUser} per user: not evaluated`);
  // What an ID-only model (SASRec, BPR, EASE, ItemKNN) cannot know: items with no training event.
  const trained = new Set<string>();
  for (const events of train.values()) for (const e of events) trained.add(e.itemId);
  const coldTargets = test.filter((c) => !trained.has(c.target.itemId)).length;
  const historyEvents = test.reduce((n, c) => n + Math.min(50, c.history.length), 0);
  const coldHistory = test.reduce((n, c) => n + c.history.slice(-50).filter((e) => !trained.has(e.itemId)).length, 0);
  const usersWithoutTraining = new Set(test.filter((c) => !train.has(c.user)).map((c) => c.user)).size;
  notes.push(
    `${coldTargets} of ${test.length} test targets (${pct(coldTargets, test.length)}) are items with no training event; ` +
      `${pct(coldHistory, historyEvents)} of the test histories' newest 50 events are such items; ${usersWithoutTraining} of ${testUsers} test users have no training event`,
  );
  return { kind: 'temporal', train, validation, test, notes };
}

const pct = (a: number, b: number) => `${b === 0 ? 0 : ((100 * a) / b).toFixed(1)}%`;

/** The cases of a seeded sample of at most `maxUsers` users (case order kept), for quick runs. */
export function sampleUsers(cases: readonly EvalCase[], maxUsers: number, seed: number): EvalCase[] {
  const users = [...new Set(cases.map((c) => c.user))];
  if (users.length <= maxUsers) return [...cases];
  const random = seededRandom(seed ^ 0x5eed);
  const keyed = users.map((user) => ({ user, key: random() }));
  keyed.sort((a, b) => a.key - b.key);
  const chosen = new Set(keyed.slice(0, maxUsers).map((x) => x.user));
  return cases.filter((c) => chosen.has(c.user));
}
