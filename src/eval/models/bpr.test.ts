import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../core/random.ts';
import type { CatalogItem, Interaction } from '../../core/types.ts';
import type { EvalCase, TrainContext } from '../recommender.ts';
import { BprMf } from './bpr.ts';

/** 30 users who each pick 8 of items 0–19 or 8 of items 20–39: two tastes to learn. */
function context(seed: number): TrainContext {
  const random = seededRandom(seed);
  const catalog: CatalogItem[] = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, title: `I${i}`, text: 't', categories: [], year: null }));
  const train = new Map<string, Interaction[]>();
  for (let u = 0; u < 30; u++) {
    const base = u % 2 ? 20 : 0;
    const picks = new Set<number>();
    while (picks.size < 8) picks.add(base + Math.floor(random() * 20));
    train.set(`u${u}`, [...picks].map((i, t) => ({ user: `u${u}`, itemId: `i${i}`, type: 'purchase', ts: t })));
  }
  return {
    catalog,
    indexOf: new Map(catalog.map((c, i) => [c.id, i])),
    train,
    validation: [],
    textVectors: new Float32Array(40),
    textDims: 1,
    seed,
    log: () => {},
  };
}

const coldCase = (items: number[]): EvalCase => ({
  user: 'newcomer',
  history: items.map((i, t) => ({ user: 'newcomer', itemId: `i${i}`, type: 'purchase', ts: t })),
  target: { user: 'newcomer', itemId: 'i5', type: 'purchase', ts: 99 },
});

const mean = (xs: ArrayLike<number>, from: number, to: number) => {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i]!;
  return s / (to - from);
};

test('a user unseen in training is folded in from their history: their taste outranks the other', async () => {
  const model = new BprMf({ dims: 8, regs: [0.01], maxEpochs: 30, evalEvery: 30 });
  await model.fit(context(4));
  const [scores] = await model.score([coldCase([1, 2, 3])]);
  assert.ok(mean(scores!, 4, 20) > mean(scores!, 20, 40) + 0.5, `A ${mean(scores!, 4, 20)} vs B ${mean(scores!, 20, 40)}`);
  // Seeded: the same newcomer gets the same vector every time.
  const [again] = await model.score([coldCase([1, 2, 3])]);
  assert.deepEqual([...again!], [...scores!]);
});

test('without fold-in (or without history) a cold user gets the item biases alone', async () => {
  const model = new BprMf({ dims: 8, regs: [0.01], maxEpochs: 30, evalEvery: 30, foldInEpochs: 0 });
  await model.fit(context(4));
  const [a, b] = await model.score([coldCase([1, 2, 3]), coldCase([25, 26])]);
  assert.deepEqual([...a!], [...b!]);
});
