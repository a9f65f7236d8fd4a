import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blendedDeletions, blendedScores, buildBlendIndex, easeScores, historyConcentration, historyWeights, profileScores } from './pulse-blend.ts';
import { standardize } from './score-blend.ts';
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

test('focus weight 0 or absent: exactly the fixed-weight blend (old blend.json files score as before)', () => {
  const index = buildBlendIndex(catalog, sparsify(dense, 3, 2, ['a', 'b', 'c']));
  const events = [
    { type: 'rating' as const, value: 5, itemId: 'a', ts: 1 },
    { type: 'rating' as const, value: 5, itemId: 'b', ts: 2 },
  ];
  const ts = [0.1, 0.3, 0.2, 0.9];
  const old = { ease: 1, profile: 0.5 };
  // The formula before the focus weight: z(ts) + w_ease · z(ease) + w_profile · z(profile).
  const zt = standardize(ts);
  const ze = standardize(easeScores(index, [0, 1]));
  const zp = standardize(profileScores(index, historyWeights(events)));
  const expected = Float32Array.from(zt);
  for (let i = 0; i < expected.length; i++) expected[i]! += old.ease * ze[i]!;
  for (let i = 0; i < expected.length; i++) expected[i]! += old.profile * zp[i]!;
  assert.ok(historyConcentration(index, historyWeights(events)) > 0, 'a concentrated history, so a focus weight would change it');
  assert.deepEqual([...blendedScores(index, events, ts, old)], [...expected]);
  assert.deepEqual([...blendedScores(index, events, ts, { ...old, focus: 0 })], [...expected]);
  assert.notDeepEqual([...blendedScores(index, events, ts, { ...old, focus: 2 })], [...expected]);
});

test('concentration: five liked items of one rare category score high, a broad history low, a single item low; dislikes do not count', () => {
  // 100 items: 5 Western, the rest spread over Drama and Comedy.
  const wide = Array.from({ length: 100 }, (_, i) => ({ id: `m${i}`, categories: i < 5 ? ['Western', 'Drama'] : i % 2 ? ['Drama'] : ['Comedy'] }));
  const index = buildBlendIndex(wide, null);
  const liked = (ids: number[], value = 5, t0 = 0) => ids.map((i, k) => ({ type: 'rating' as const, value, itemId: `m${i}`, ts: t0 + k }));
  const c = (events: ReturnType<typeof liked>) => historyConcentration(index, historyWeights(events));
  const five = c(liked([0, 1, 2, 3, 4]));
  assert.ok(five > 0.5 && five < 1, `five Westerns: ${five}`); // lift ~0.82, cubed
  assert.ok(c(liked([0])) <= 0.5 ** 3 + 1e-12, 'one item is not agreement');
  const broad = c(liked([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
  assert.ok(broad < 0.01, `a history with the catalog's own mix: ${broad}`);
  // Five disliked comedies, then five Westerns: the dislikes say nothing about what the taste is about.
  assert.equal(c([...liked([6, 8, 10, 12, 14], 1, -10), ...liked([0, 1, 2, 3, 4])]), five);
  assert.equal(c([]), 0);
});
