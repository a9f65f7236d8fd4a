import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../core/random.ts';
import { blendedScores, buildBlendIndex } from '../model/pulse-blend.ts';
import { sparsify } from '../model/sparse-ease.ts';
import { blendCase, blendNdcgs, chooseWeights, weightGrid, type BlendCase } from './blend-search.ts';
import { fullRank, ndcgAt } from './metrics.ts';

/** 60 cases over 50 items; the target scores high in `signal` only, the other parts are noise. */
function cases(signal: 'ease' | 'profile', seed: number): BlendCase[] {
  const random = seededRandom(seed);
  const noise = () => Float32Array.from({ length: 50 }, () => random() * 2 - 1);
  return Array.from({ length: 60 }, (_, i) => {
    const target = i % 50;
    const c = { target, mask: [(target + 1) % 50], thoughtSpace: noise(), ease: noise(), profile: noise(), concentration: 0 };
    c[signal][target] = 2 + random(); // a clear lift, well above the noise
    return c;
  });
}

test('the weight search picks the part that carries the signal, and not the one that does not', () => {
  const onProfile = chooseWeights(weightGrid(cases('profile', 1), [0, 1, 2], [0, 1, 3]), 2);
  assert.equal(onProfile.best.profile, 3);
  assert.equal(onProfile.best.ease, 0);
  const onEase = chooseWeights(weightGrid(cases('ease', 2), [0, 1, 3], [0, 1, 2]), 2);
  assert.equal(onEase.best.ease, 3);
  assert.equal(onEase.best.profile, 0);
  // Without focus cases the rule is the best validation point.
  assert.equal(onEase.chosen, onEase.best);
});

test('among points not told apart, the rule takes the most focused one when none meets the target', () => {
  const flat = cases('ease', 3);
  const grid = weightGrid(flat, [3], [0, 0.01]);
  // Fake focus: the second point shows the taste more; both are within 2 SE of each other.
  grid[0]!.tastes = [2, 2];
  grid[1]!.tastes = [4, 5];
  assert.equal(chooseWeights(grid, 2).chosen, grid[1]);
  // A more focused point that costs accuracy beyond 2 paired SE is not taken.
  const costly = weightGrid(flat, [3], [0, 100]);
  costly[0]!.tastes = [2, 2];
  costly[1]!.tastes = [9, 9];
  const rule = chooseWeights(costly, 2);
  assert.equal(rule.best, costly[0]);
  assert.equal(rule.chosen, costly[0]);
  assert.deepEqual(rule.within, [costly[0]]);
});

test('among points not told apart that meet the focus target, the rule takes the most accurate', () => {
  const flat = cases('ease', 3);
  const grid = weightGrid(flat, [3], [0, 0.01, 0.02]);
  // Equal validation: the first meeting point wins over a more focused one; one below target never does.
  grid[0]!.tastes = [9, 3];
  grid[1]!.tastes = [6, 7];
  grid[2]!.tastes = [10, 10];
  grid[2]!.val = grid[2]!.val.map((v) => v - 1e-6);
  assert.equal(chooseWeights(grid, 2).chosen, grid[1]);
});

test('the search ranks by exactly what blendedScores returns (one scoring path)', () => {
  const catalog = Array.from({ length: 6 }, (_, i) => ({ id: `m${i}`, categories: i < 3 ? ['War'] : ['Comedy', i === 5 ? 'Drama' : 'Romance'] }));
  const dense = Float32Array.from({ length: 36 }, (_, k) => (k % 7 === 0 ? 0 : ((k * 13) % 11) / 10 - 0.3));
  const index = buildBlendIndex(catalog, sparsify(dense, 6, 3, catalog.map((c) => c.id)));
  const indexOf = new Map(catalog.map((c, i) => [c.id, i] as const));
  const history = [
    { user: 'u', type: 'rating' as const, value: 5, itemId: 'm0', ts: 1 },
    { user: 'u', type: 'rating' as const, value: 2, itemId: 'm4', ts: 2 },
  ];
  const thoughtSpace = Float32Array.from([0.1, -0.4, 0.9, 0.3, -1, 0.2]);
  const c = { user: 'u', history, target: { user: 'u', type: 'view' as const, itemId: 'm2', ts: 3 } };
  const prepared = blendCase(index, c, indexOf, thoughtSpace);
  for (const w of [{ ease: 1.5, profile: 2.5 }, { ease: 2, profile: 0 }, { ease: 0, profile: 1 }, { ease: 1.5, profile: 0, focus: 16 }, { ease: 0, profile: 1, focus: 4 }]) {
    const worker = blendedScores(index, history, thoughtSpace, w);
    const expected = ndcgAt(fullRank(worker, 2, [0, 4]), 10);
    assert.equal(blendNdcgs([prepared], w)[0], expected);
  }
  assert.deepEqual(prepared.mask, [0, 4]);
});
