import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvalArgs } from './cli-args.ts';

const base = ['--interactions', 'r.csv', '--catalog', 'c.json', '--out', 'out'];

test('eval flags: defaults, seeds, temporal cuts', () => {
  const a = parseEvalArgs(base);
  assert.equal(a.split, 'loo');
  assert.deepEqual(a.seeds, [1]);
  assert.deepEqual(a.models, ['pop', 'itemknn', 'bpr', 'content']);
  const b = parseEvalArgs([...base, '--split', 'temporal', '--seeds', '1,2,3', '--test-cut', '2016-01-01', '--val-cut', '0.8', '--models', 'pop,content', '--max-users', '100']);
  assert.deepEqual(b.seeds, [1, 2, 3]);
  assert.deepEqual(b.testCut, { at: Date.UTC(2016, 0, 1) });
  assert.deepEqual(b.validationCut, { quantile: 0.8 });
  assert.equal(b.maxUsers, 100);
});

test('with no paths, eval reads the committed MovieLens files (a clone runs as is)', async () => {
  const { access } = await import('node:fs/promises');
  const a = parseEvalArgs([]);
  assert.equal(a.interactions, 'data/movielens-small/ratings.csv');
  assert.equal(a.catalog, 'public/catalog/movielens.json');
  assert.equal(a.out, 'results/loo');
  assert.equal(a.ties, 'seeded');
  await access(a.interactions);
  await access(a.catalog);
  assert.equal(parseEvalArgs(['--ties', 'file']).ties, 'file');
});

test('bad eval flags are errors, not defaults', () => {
  assert.throws(() => parseEvalArgs([...base, '--ties', 'random']), /--ties must be/);
  assert.throws(() => parseEvalArgs([...base, '--split', 'random']), /--split must be/);
  assert.throws(() => parseEvalArgs([...base, '--seed', '1', '--seeds', '2,3']), /not both/);
  assert.throws(() => parseEvalArgs([...base, '--seeds', '1,1']), /repeats/);
  assert.throws(() => parseEvalArgs([...base, '--seeds', '1,x']), /non-negative integer/);
  assert.throws(() => parseEvalArgs([...base, '--default-type', 'wishlist']), /--default-type/);
  assert.throws(() => parseEvalArgs([...base, '--bogus']), /Unknown option/);
});
