import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/random.ts';
import type { CatalogItem, Interaction } from '../../core/types.ts';
import { evaluateModels, type HarnessData } from '../harness.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { leaveOneOutSplit } from '../split.ts';
import { FittedPulseBlend } from './pulse-blend-fit.ts';
import { MostPopular } from './popular.ts';

/**
 * Two tastes, told only by category: users pick 8 items of one category (A: 0–19, B: 20–39),
 * and the popular head (40–43, no category) is bought by everyone. Co-occurrence and the category
 * profile both carry the taste; popularity does not.
 */
function world(seed: number): { data: HarnessData; log: Interaction[] } {
  const random = seededRandom(seed);
  const catalog: CatalogItem[] = Array.from({ length: 44 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, text: `item ${i}`, categories: i < 20 ? ['A'] : i < 40 ? ['B'] : [], year: null }));
  const log: Interaction[] = [];
  for (let u = 0; u < 60; u++) {
    const base = u % 2 === 0 ? 0 : 20;
    const picks = new Set<number>([40 + (u % 4)]);
    while (picks.size < 9) picks.add(base + Math.floor(random() * 20));
    [...picks].forEach((item, t) => log.push({ user: `u${u}`, itemId: `i${item}`, type: 'purchase', ts: 1_000_000 * (u * 10 + t) }));
  }
  const dims = 4;
  const textVectors = new Float32Array(44 * dims).fill(0.5);
  return { data: { catalog, indexOf: new Map(catalog.map((c, i) => [c.id, i])), textVectors, textDims: dims }, log };
}

/** Stands in for the towers only to watch what the blend hands them: noise scores, every case recorded. */
class WatchingTowers implements Recommender {
  readonly name = 'towers';
  fitContext: TrainContext | null = null;
  scored: EvalCase[] = [];
  async fit(context: TrainContext): Promise<void> {
    this.fitContext = context;
  }
  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    this.scored.push(...cases);
    const random = seededRandom(this.scored.length);
    return cases.map(() => Float32Array.from({ length: 44 }, () => random()));
  }
}

test('the refitted blend learns the taste from training and validation only, and beats popularity', async () => {
  const { data, log } = world(5);
  const split = leaveOneOutSplit(log, 5);
  const towers = new WatchingTowers();
  let scoredInFit = 0;
  const blend = new FittedPulseBlend('pulse-blend-fit', { towers: () => towers, lambdas: [1, 10], easeWeights: [0, 1], profileWeights: [0, 1], eigenCache: false, knnWeights: [1] });
  const wrapped: Recommender = {
    name: 'pulse-blend-fit',
    fit: async (context) => {
      await blend.fit(context);
      scoredInFit = towers.scored.length;
    },
    score: (cases) => blend.score(cases),
  };
  const runs = await evaluateModels(data, split, [
    { name: 'pop', create: () => new MostPopular() },
    { name: 'pulse-blend-fit', create: () => wrapped },
    { name: 'notowers', create: () => new FittedPulseBlend('notowers', { towers: null, lambdas: [1, 10], easeWeights: [0, 1], profileWeights: [0, 1], eigenCache: false }) },
  ], { seed: 5 });
  const ndcg = Object.fromEntries(runs.map((r) => [r.model, r.full['NDCG@10']!]));
  assert.ok(ndcg['pulse-blend-fit']! > ndcg.pop! + 0.05, `blend ${ndcg['pulse-blend-fit']} vs pop ${ndcg.pop}`);
  assert.ok(ndcg.notowers! > ndcg.pop! + 0.05, `ablation ${ndcg.notowers} vs pop ${ndcg.pop}`);
  // Noise towers: the search must lean on the parts that carry the taste.
  // (the profile may come in through its focus weight alone: these histories are all of one category).
  assert.ok(blend.chosen!.easeWeight !== 0 || blend.chosen!.profileWeight !== 0 || blend.chosen!.focusWeight !== 0, JSON.stringify(blend.chosen));
  assert.match(String(blend.chosen!.knnDeltaSweep), /^1: /);
  // Fit saw no test target: not in the towers' training events, nor among the cases scored while fitting.
  const testKeys = new Set(split.test.map((c) => `${c.user}|${c.target.itemId}|${c.target.ts}`));
  for (const [user, events] of towers.fitContext!.train) for (const e of events) assert.ok(!testKeys.has(`${user}|${e.itemId}|${e.ts}`));
  const validationKeys = new Set(split.validation.map((c) => `${c.user}|${c.target.itemId}`));
  const fitCases = towers.scored.slice(0, scoredInFit);
  assert.equal(fitCases.length, split.validation.length, 'fit scores the validation cases (no focus cases on this catalog)');
  for (const c of fitCases) assert.ok(validationKeys.has(`${c.user}|${c.target.itemId}`), `fit scored ${c.user} ${c.target.itemId}, not a validation case`);
});

test("EASE from the items' side (Amazon: more users than items) is the same model as through the users", async () => {
  const { data, log } = world(7);
  const split = leaveOneOutSplit(log, 7);
  const fitted = async (easeSide: 'users' | 'items') => {
    const blend = new FittedPulseBlend(easeSide, { towers: null, lambdas: [1, 10], easeWeights: [1], profileWeights: [0], eigenCache: false, easeSide });
    const runs = await evaluateModels(data, split, [{ name: easeSide, create: () => blend }], { seed: 7 });
    return { chosen: blend.chosen!, scores: await blend.score(split.test.slice(0, 12)), ndcg: runs[0]!.full['NDCG@10']! };
  };
  const users = await fitted('users');
  const items = await fitted('items');
  assert.equal(users.chosen.easeSide, 'users', JSON.stringify([users.chosen, items.chosen]));
  assert.equal(items.chosen.easeSide, 'items');
  assert.equal(items.chosen.lambda, users.chosen.lambda);
  assert.equal(items.chosen.easeItems, users.chosen.easeItems);
  assert.equal(items.ndcg, users.ndcg);
  users.scores.forEach((row, c) => row.forEach((v, j) => assert.ok(Math.abs(v - items.scores[c]![j]!) < 1e-3, `case ${c} item ${j}: ${v} vs ${items.scores[c]![j]}`)));
});
