import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blendedDeletions, blendedScores, buildBlendIndex, easeScores, profileScores } from './pulse-blend.ts';
import { decodeSparseEase, encodeSparseEase, sparsify } from './sparse-ease.ts';

const catalog = [
  { id: 'a', categories: ['War'] },
  { id: 'b', categories: ['War', 'Drama'] },
  { id: 'c', categories: ['Drama'] },
  { id: 'd', categories: ['Comedy'] },
];
// Dense EASE over a, b, c (d not modelled): row i is what item i adds to each item.
const dense = Float32Array.from([0, 0.5, 0.1, 0.4, 0, -0.2, 0.3, 0.2, 0]);

test('sparsify keeps the K largest positive weights; the int8 file round-trips within a step', () => {
  const sparse = sparsify(dense, 3, 1, ['a', 'b', 'c']);
  assert.deepEqual([...sparse.neighbours], [1, 0, 0]); // |0.5| > |0.1|; |0.4| > |−0.2|; |0.3| > |0.2|
  const back = decodeSparseEase({ bin: 'ease.bin', lambda: 1, k: 1, items: ['a', 'b', 'c'] }, encodeSparseEase(sparse));
  assert.deepEqual([...back.neighbours], [1, 0, 0]);
  back.weights.forEach((w, i) => assert.ok(Math.abs(w - sparse.weights[i]!) < 0.5 / 127 + 1e-7));
  assert.throws(() => decodeSparseEase({ bin: 'ease.bin', lambda: 1, k: 2, items: ['a', 'b', 'c'] }, encodeSparseEase(sparse)), /bytes/);
});

test('EASE scores sum the history rows; unmodelled items are −∞', () => {
  const index = buildBlendIndex(catalog, sparsify(dense, 3, 2, ['a', 'b', 'c']));
  const s = easeScores(index, [0, 1]);
  assert.ok(Math.abs(s[0]! - 0.4) < 1e-6 && Math.abs(s[1]! - 0.5) < 1e-6 && Math.abs(s[2]! + 0.1) < 1e-6); // 0.1 from a, −0.2 from b
  assert.equal(s[3], Number.NEGATIVE_INFINITY);
});

test('the category profile favours the liked category, and a panned one pushes away', () => {
  const index = buildBlendIndex(catalog, null);
  const p = profileScores(index, new Map([['a', 1], ['d', -1]]));
  assert.ok(p[0]! > p[1]! && p[1]! > p[2]! && p[2]! > p[3]!);
});

test('deletion drops are exactly base minus the blend of the shortened history', () => {
  const index = buildBlendIndex(catalog, sparsify(dense, 3, 2, ['a', 'b', 'c']));
  const events = [
    { type: 'rating' as const, value: 5, itemId: 'a', ts: 1 },
    { type: 'rating' as const, value: 4, itemId: 'c', ts: 2 },
  ];
  const ts = [0.1, 0.3, 0.2, 0.9];
  const tsWithout = (id: string) => (id === 'a' ? [0, 0.1, 0.4, 0.5] : [0.2, 0.2, 0.2, 0.3]);
  const weights = { ease: 1, profile: 0.5 };
  const [drops] = blendedDeletions(index, events, ts, tsWithout, weights, [1]);
  const base = blendedScores(index, events, ts, weights)[1]!;
  for (const { itemId, drop } of drops!) {
    const without = blendedScores(index, events.filter((e) => e.itemId !== itemId), tsWithout(itemId), weights)[1]!;
    assert.ok(Math.abs(drop - (base - without)) < 1e-6);
  }
  assert.deepEqual(drops!.map((d) => d.itemId), ['a', 'c']);
});
