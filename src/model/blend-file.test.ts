import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BLEND_MANIFEST, loadBlend, LOWRANK_EASE_BIN, validateBlendManifest } from './blend-file.ts';
import { encodeLowRankEase, lowRankEase } from './lowrank-ease.ts';
import { buildBlendIndex, easeScores } from './pulse-blend.ts';
import { encodeSparseEase, sparsify } from './sparse-ease.ts';
import type { ModelSource } from './thought-space-loader.ts';

const items = ['a', 'b', 'c'];
// F for three items, two columns (|F_i|² < 1, as EASE's factors always are).
const factors = Float64Array.from([0.5, 0.1, 0.4, -0.3, 0.2, 0.6]);
const lowrank = lowRankEase(items, factors, 2, 2);
const source = (files: Record<string, unknown>): ModelSource => ({
  json: async (name) => {
    if (!(name in files)) throw new Error(`${name}: missing`);
    return files[name];
  },
  bytes: async (name) => {
    if (!(name in files)) throw new Error(`${name}: missing`);
    return files[name] as Uint8Array;
  },
});
const manifest = (ease: object) => ({ format: 'pulse-blend', version: 1, weights: { ease: 1, profile: 2 }, ease, seed: 1, validationNdcg10: 0.05 });

test('a low-rank blend loads and scores as the worker reads it: c_j · F_i · F_j, unmodelled items −∞', async () => {
  const files = { [BLEND_MANIFEST]: manifest({ form: 'lowrank', bin: LOWRANK_EASE_BIN, lambda: 1, rank: 2, items }), [LOWRANK_EASE_BIN]: encodeLowRankEase(lowrank) };
  const blend = await loadBlend(source(files));
  assert.equal(blend.ease.form, 'lowrank');
  const catalog = ['d', 'a', 'b', 'c'].map((id) => ({ id, categories: [] }));
  const index = buildBlendIndex(catalog, blend.ease);
  const s = easeScores(index, [1]); // history: a (catalog row 1)
  assert.equal(s[0], Number.NEGATIVE_INFINITY);
  assert.ok(Math.abs(s[1]!) < 1e-6, 'an item does not vote for itself');
  const dot = (i: number, j: number) => factors[2 * i]! * factors[2 * j]! + factors[2 * i + 1]! * factors[2 * j + 1]!;
  assert.ok(Math.abs(s[2]! - lowrank.itemScale[1]! * dot(0, 1)) < 0.02);
  assert.ok(Math.abs(s[3]! - lowrank.itemScale[2]! * dot(0, 2)) < 0.02);
});

test('a sparse blend made before the low-rank form (no ease.form) still loads', async () => {
  const dense = Float32Array.from([0, 0.5, 0.1, 0.4, 0, -0.2, 0.3, 0.2, 0]);
  const files = { [BLEND_MANIFEST]: manifest({ bin: 'ease.bin', lambda: 1, k: 1, items }), 'ease.bin': encodeSparseEase(sparsify(dense, 3, 1, items)) };
  assert.equal((await loadBlend(source(files))).ease.form, 'sparse');
});

test('corrupt manifests and truncated files are refused with the file named', async () => {
  assert.throws(() => validateBlendManifest(manifest({ form: 'lowrank', bin: LOWRANK_EASE_BIN, lambda: 1, items })), /low-rank ease needs its rank/);
  assert.throws(() => validateBlendManifest(manifest({ form: 'dense', bin: 'x.bin', lambda: 1, items })), /unknown ease.form "dense"/);
  assert.throws(() => validateBlendManifest(manifest({ bin: 'ease.bin', lambda: 1, items })), /sparse ease needs its k/);
  assert.throws(() => validateBlendManifest(manifest({ form: 'lowrank', bin: '../x', lambda: 1, rank: 2, items })), /file name/);
  const bytes = encodeLowRankEase(lowrank);
  const files = { [BLEND_MANIFEST]: manifest({ form: 'lowrank', bin: LOWRANK_EASE_BIN, lambda: 1, rank: 2, items }), [LOWRANK_EASE_BIN]: bytes.subarray(0, bytes.length - 3) };
  await assert.rejects(loadBlend(source(files)), /ease-lowrank\.bin: \d+ bytes, expected \d+ for 3 items × rank 2/);
});

test('the focus weight is optional; present, it must be a finite number', () => {
  const ease = { form: 'lowrank', bin: LOWRANK_EASE_BIN, lambda: 1, rank: 2, items };
  assert.equal(validateBlendManifest(manifest(ease)).weights.focus, undefined, 'a file made before the focus weight loads as it was');
  assert.equal(validateBlendManifest({ ...manifest(ease), weights: { ease: 1, profile: 0, focus: 16 } }).weights.focus, 16);
  for (const bad of ['16', null, Number.NaN])
    assert.throws(() => validateBlendManifest({ ...manifest(ease), weights: { ease: 1, profile: 0, focus: bad } }), /weights\.focus must be a finite number/);
});
