import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstSentence, searchThoughtTree, THOUGHT_TREE_DEFAULTS, type ChainScorer, type ThoughtGenerator } from './thought-tree.ts';
import { GenerationStopped, NoRationaleError, UngroundedRationaleError } from './tot-lite.ts';

/**
 * A deterministic tree: the continuations of a chain are looked up by its sentences joined
 * with '|' ('' is the root); a branch past the listed ones writes nothing (the model ends).
 * Every call is recorded so a test can see which chains were grown.
 */
function treeGenerator(tree: Record<string, string[]>): { generate: ThoughtGenerator; calls: string[] } {
  const calls: string[] = [];
  const generate: ThoughtGenerator = async (sentences, branch) => {
    const key = sentences.join('|');
    calls.push(`${key}#${branch}`);
    return tree[key]?.[branch] ?? '';
  };
  return { generate, calls };
}

/** Scores a chain by the digits in it (their sum): easy to read off a test. False: any "FALSE". */
const digitScorer: ChainScorer = {
  check: (text) => (text.includes('FALSE') ? 'says something false' : null),
  similarity: async (texts) => texts.map((text) => [...text].filter((c) => /\d/.test(c)).reduce((sum, c) => sum + Number(c), 0)),
};

test('the defaults are the paper shape: branching 3, beam 2, depth 3', () => {
  assert.deepEqual({ ...THOUGHT_TREE_DEFAULTS }, { branching: 3, beam: 2, depth: 3 });
  assert.ok(Object.isFrozen(THOUGHT_TREE_DEFAULTS));
});

test('keeps the best 2 chains per level and grows only those', async () => {
  const { generate, calls } = treeGenerator({
    '': ['Low 1.', 'High 9.', 'Mid 5.'],
    'High 9.': ['Then 1.', 'Then 2.', 'Then 3.'],
    'Mid 5.': ['And 7.', 'And 8.', 'And 0.'],
    'High 9.|Then 3.': ['Last 1.', 'Last 2.', 'Last 3.'],
    'High 9.|Then 2.': ['End 4.', 'End 1.', 'End 0.'],
  });
  const selection = await searchThoughtTree(generate, digitScorer);
  // Level 1: 3 calls at the root. Level 2: 3 each for the best two (High 9, Mid 5), never Low 1.
  assert.ok(!calls.some((call) => call.startsWith('Low 1.#')));
  assert.deepEqual(calls.filter((call) => !call.includes('|') && call !== '#0' && call !== '#1' && call !== '#2').sort(), [
    'High 9.#0', 'High 9.#1', 'High 9.#2', 'Mid 5.#0', 'Mid 5.#1', 'Mid 5.#2',
  ]);
  // Level 2 ranks: High 9+Then 3 = 12, High 9+Then 2 = 11, … Mid 5+And 8 = 13, Mid 5+And 7 = 12.
  // Best two: "Mid 5. And 8." (13), then the first-found 12 ("High 9. Then 3."); level 3 grows those.
  const grownAtLevel3 = new Set(calls.filter((call) => call.split('|').length === 2).map((call) => call.split('#')[0]));
  assert.deepEqual([...grownAtLevel3].sort(), ['High 9.|Then 3.', 'Mid 5.|And 8.']);
  // "Mid 5. And 8." has no continuation: it is complete at 13. The best depth-3 chain is 9+3+3 = 15.
  assert.equal(selection.best.text, 'High 9. Then 3. Last 3.');
  assert.deepEqual(selection.thoughts, ['High 9.', 'Then 3.', 'Last 3.']);
  assert.equal(selection.best.score, 15);
  assert.equal(selection.method, 'tot');
  assert.equal(selection.requested, 15);
  assert.equal(selection.stats.generated, 15);
  assert.equal(selection.stats.levels, 3);
  assert.ok(selection.candidates.some((c) => c.text === 'Mid 5. And 8.' && c.score === 13));
});

test('a chain with a false claim is dropped, never grown and never chosen, however well it scores', async () => {
  const { generate, calls } = treeGenerator({
    '': ['FALSE 9.', 'True 1.', 'True 2.'],
    'True 2.': ['FALSE 99.', 'Ok 1.'],
    'True 1.': ['Fine 3.'],
  });
  const selection = await searchThoughtTree(generate, digitScorer, { depth: 2 });
  assert.ok(!calls.some((call) => call.startsWith('FALSE')));
  assert.equal(selection.best.text, 'True 1. Fine 3.');
  assert.ok(selection.candidates.every((c) => !c.text.includes('FALSE')));
  assert.equal(selection.stats.rejected, 2);
});

test('when every first thought is false the search says so (ungrounded), not "nothing written"', async () => {
  const { generate } = treeGenerator({ '': ['FALSE 1.', 'FALSE 2.', 'FALSE 3.'] });
  await assert.rejects(searchThoughtTree(generate, digitScorer), UngroundedRationaleError);
});

test('a generator that writes nothing gives NoRationaleError; so does one that only writes fragments', async () => {
  await assert.rejects(searchThoughtTree(async () => '', digitScorer), NoRationaleError);
  await assert.rejects(searchThoughtTree(async () => 'You like war films and', digitScorer), NoRationaleError);
});

test('each thought is one sentence: the rest of a continuation is dropped, and an unfinished one is not a thought', async () => {
  const { generate } = treeGenerator({
    '': ['You rated “Mr. Smith Goes to Washington” (4.5★) highly. Then more 9.', 'Cut sho', 'Two 1! Three 2.'],
  });
  const selection = await searchThoughtTree(generate, digitScorer, { depth: 1 });
  assert.deepEqual(
    selection.candidates.map((c) => c.text),
    ['You rated “Mr. Smith Goes to Washington” (4.5★) highly.', 'Two 1!'],
  );
  assert.equal(selection.stats.unfinished, 1);
  assert.equal(firstSentence('Rated 4.5★ on average. More.'), 'Rated 4.5★ on average.');
  assert.equal(firstSentence('Rated 4.'), 'Rated 4.');
  assert.equal(firstSentence('  <|im_end|>'), '');
  assert.equal(firstSentence('no end mark'), null);
});

test('a repeated sentence is not a new thought, and the chain it would extend is complete as it stands', async () => {
  const { generate } = treeGenerator({ '': ['One 1.', 'One 1.'], 'One 1.': ['One 1.'] });
  const selection = await searchThoughtTree(generate, digitScorer);
  assert.equal(selection.best.text, 'One 1.');
  assert.equal(selection.stats.duplicates, 2);
});

test('a chain past the length limit is not kept', async () => {
  const { generate } = treeGenerator({ '': ['Short 1.'], 'Short 1.': ['A much longer second sentence 9.'] });
  const selection = await searchThoughtTree(generate, digitScorer, { maxChars: 20 });
  assert.equal(selection.best.text, 'Short 1.');
});

test('ties keep the chain found first (the greedy branch)', async () => {
  const { generate } = treeGenerator({ '': ['Greedy 5.', 'Sampled 5.', 'Other 5.'] });
  const selection = await searchThoughtTree(generate, digitScorer, { depth: 1 });
  assert.equal(selection.best.text, 'Greedy 5.');
});

test('a timeout keeps the best true chain so far; a timeout before any, and a cancel, propagate', async () => {
  let calls = 0;
  const timingOut: ThoughtGenerator = async (sentences) => {
    if (++calls > 4) throw new GenerationStopped('timeout', 'out of time');
    return sentences.length === 0 ? `Root ${calls}.` : `Next ${calls}.`;
  };
  const selection = await searchThoughtTree(timingOut, digitScorer);
  assert.equal(selection.truncated, true);
  // Root 3 scored best at level 1; its greedy continuation "Next 4." came before the timeout.
  assert.equal(selection.best.text, 'Root 3. Next 4.');
  await assert.rejects(
    searchThoughtTree(async () => {
      throw new GenerationStopped('timeout', 'out of time');
    }, digitScorer),
    (error: unknown) => error instanceof GenerationStopped && error.reason === 'timeout',
  );
  await assert.rejects(
    searchThoughtTree(async (s) => {
      if (s.length > 0) throw new GenerationStopped('cancelled', 'cancelled');
      return 'Root 1.';
    }, digitScorer),
    (error: unknown) => error instanceof GenerationStopped && error.reason === 'cancelled',
  );
});

test('the shape can be set: branching 1, beam 1 is a single greedy chain', async () => {
  const { generate, calls } = treeGenerator({ '': ['A 1.', 'B 9.'], 'A 1.': ['C 1.'], 'A 1.|C 1.': ['D 1.'] });
  const selection = await searchThoughtTree(generate, digitScorer, { branching: 1, beam: 1 });
  assert.deepEqual(calls, ['#0', 'A 1.#0', 'A 1.|C 1.#0']);
  assert.equal(selection.best.text, 'A 1. C 1. D 1.');
  assert.equal(selection.requested, 3);
});
