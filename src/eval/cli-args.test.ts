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

test('bad eval flags are errors, not defaults', () => {
  assert.throws(() => parseEvalArgs(['--catalog', 'c.json', '--out', 'o']), /--interactions is required/);
  assert.throws(() => parseEvalArgs([...base, '--split', 'random']), /--split must be/);
  assert.throws(() => parseEvalArgs([...base, '--seed', '1', '--seeds', '2,3']), /not both/);
  assert.throws(() => parseEvalArgs([...base, '--seeds', '1,1']), /repeats/);
  assert.throws(() => parseEvalArgs([...base, '--seeds', '1,x']), /non-negative integer/);
  assert.throws(() => parseEvalArgs([...base, '--default-type', 'like']), /--default-type/);
  assert.throws(() => parseEvalArgs([...base, '--bogus']), /Unknown option/);
});
