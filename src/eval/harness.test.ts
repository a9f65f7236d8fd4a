import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/random.ts';
import type { CatalogItem, Interaction } from '../core/types.ts';
import { evaluateModels, type HarnessData } from './harness.ts';
import { BprMf } from './models/bpr.ts';
import { ContentRecommender } from './models/content.ts';
import { ItemKnn } from './models/item-knn.ts';
import { MostPopular } from './models/popular.ts';
import { RandomRecommender } from './models/random.ts';
import type { Recommender } from './recommender.ts';
import { leaveOneOutSplit } from './split.ts';
import { summarize } from './summary.ts';

/**
 * A world with two tastes: items 0–19 ("A") and 20–39 ("B") point along two different text
 * directions, and each user only ever picks items of one taste. Popularity is the same for
 * both tastes, so MostPopular cannot tell users apart, while the content ranker (text),
 * ItemKNN and BPR (co-occurrence) can: they must win.
 */
function twoTasteWorld(seed: number): { data: HarnessData; log: Interaction[] } {
  const random = seededRandom(seed);
  const dims = 8;
  const catalog: CatalogItem[] = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, title: `Item ${i}`, text: `item ${i}`, categories: [i < 20 ? 'A' : 'B'], year: null }));
  const textVectors = new Float32Array(40 * dims);
  for (let i = 0; i < 40; i++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) {
      const v = (d === (i < 20 ? 0 : 1) ? 1 : 0) + 0.3 * (random() - 0.5);
      textVectors[i * dims + d] = v;
      norm += v * v;
    }
    for (let d = 0; d < dims; d++) textVectors[i * dims + d]! /= Math.sqrt(norm);
  }
  const log: Interaction[] = [];
  for (let u = 0; u < 80; u++) {
    const base = u % 2 === 0 ? 0 : 20;
    const picks = new Set<number>();
    while (picks.size < 8) picks.add(base + Math.floor(random() * 20));
    [...picks].forEach((item, t) => log.push({ user: `u${u}`, itemId: `i${item}`, type: 'purchase', ts: 1_000_000 * (u * 10 + t) }));
  }
  return { data: { catalog, indexOf: new Map(catalog.map((c, i) => [c.id, i])), textVectors, textDims: dims }, log };
}

test('end to end on a synthetic world: the models that can see taste beat popularity and random', async () => {
  const { data, log } = twoTasteWorld(3);
  const split = leaveOneOutSplit(log, 3);
  const models: { name: string; create: () => Recommender }[] = [
    { name: 'random', create: () => new RandomRecommender() },
    { name: 'pop', create: () => new MostPopular() },
    { name: 'content', create: () => new ContentRecommender() },
    { name: 'itemknn', create: () => new ItemKnn({ neighbours: [5, 20], shrinks: [0, 5] }) },
    { name: 'bpr', create: () => new BprMf({ dims: 8, regs: [0.01], maxEpochs: 40, evalEvery: 5 }) },
  ];
  const runs = await evaluateModels(data, split, models, { seed: 3 });
  const ndcg = Object.fromEntries(runs.map((r) => [r.model, r.full['NDCG@10']!]));
  for (const winner of ['content', 'itemknn', 'bpr']) {
    assert.ok(ndcg[winner]! > ndcg.pop! + 0.1, `${winner} ${ndcg[winner]} should beat pop ${ndcg.pop} clearly`);
    assert.ok(ndcg[winner]! > ndcg.random! + 0.1, `${winner} should beat random`);
  }
  for (const run of runs) {
    assert.equal(run.cases, 80);
    assert.ok(run.full['HR@20']! >= run.full['HR@10']! && run.full['HR@10']! >= run.full['HR@1']!);
    assert.ok(run.sampled20['HR@5']! >= run.sampled100['HR@5']!, 'fewer negatives cannot make a hit harder');
    assert.ok(run.sampled5['HR@1']! >= run.sampled20['HR@1']!, 'the 4 negatives are among the 19');
    assert.ok(run.coverage10 > 0 && run.coverage10 <= 1);
  }
  const pop = runs.find((r) => r.model === 'pop')!;
  // Every list comes from the 10 + 7 (longest test history) most popular items.
  assert.ok(pop.coverage10 <= 17 / 40, `MostPopular covers ${pop.coverage10}: more than its popular head`);
  const summary = summarize([runs, runs]);
  assert.equal(summary[0]!.full['NDCG@10']!.std, 0);
  assert.equal(summary.find((s) => s.model === 'pop')!.fitRatio, 1);
});

test('the harness rejects a model whose scores do not cover the catalog', async () => {
  const { data, log } = twoTasteWorld(1);
  const broken: Recommender = { name: 'broken', fit: async () => {}, score: async (cases) => cases.map(() => new Float32Array(3)) };
  await assert.rejects(evaluateModels(data, leaveOneOutSplit(log, 1), [{ name: 'broken', create: () => broken }], { seed: 1 }), /3 scores for a catalog of 40/);
});

test('models fit on training events only: a target-peeking log is never passed to fit', async () => {
  const { data, log } = twoTasteWorld(2);
  const split = leaveOneOutSplit(log, 2);
  const testEvents = new Set(split.test.map((c) => c.target));
  let sawTest = false;
  const spy: Recommender = {
    name: 'spy',
    fit: async (context) => {
      for (const events of context.train.values()) for (const e of events) if (testEvents.has(e)) sawTest = true;
      assert.ok(context.catalog.every((item) => item.popularity !== undefined), 'popularity is recomputed from train');
    },
    score: async (cases) => cases.map(() => new Float32Array(40)),
  };
  await evaluateModels(data, split, [{ name: 'spy', create: () => spy }], { seed: 2 });
  assert.equal(sawTest, false);
});
