/**
 * The search alone, with a deterministic fake generator (a table from chain to continuations)
 * and a scorer that reads a number off the text: what is kept, pruned, rejected and chosen is
 * then known in advance. The shipped model runs the same search in rationale-writer.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstSentence, searchThoughtTree, sentenceEnd, THOUGHT_TREE_DEFAULTS, type ChainScorer, type ThoughtGenerator } from './thought-tree.ts';
import { GenerationStopped, NoRationaleError, UngroundedRationaleError } from './tot-lite.ts';

/** Continuations per chain (sentences joined by " | "); a missing branch ends the text (''). */
function fakeGenerator(table: Record<string, string[]>, calls: string[] = []): ThoughtGenerator {
  return async (sentences, branch) => {
    const key = sentences.join(' | ');
    calls.push(`${key}#${branch}`);
    return table[key]?.[branch] ?? '';
  };
}

/** Similarity: the sum of the numbers "[n]" in the text; a sentence with "FALSE" fails the checker. */
const scorer: ChainScorer = {
  check: (text) => (text.includes('FALSE') ? `it says “${text}”, which is false` : null),
  similarity: async (texts) => texts.map((t) => [...t.matchAll(/\[(\d+)\]/g)].reduce((a, m) => a + Number(m[1]), 0)),
};

test('the defaults are the paper’s shape: branching 3, beam 2, depth 3', () => {
  assert.deepEqual({ ...THOUGHT_TREE_DEFAULTS }, { branching: 3, beam: 2, depth: 3 });
});

test('each level grows 3 continuations of each of the 2 best chains, and the best complete chain of depth 3 wins', async () => {
  const calls: string[] = [];
  const table: Record<string, string[]> = {
    '': ['A [1].', 'B [5].', 'C [3].'],
    'B [5].': ['Ba [1].', 'Bb [2].', 'Bc [0].'],
    'C [3].': ['Ca [9].', 'Cb [1].', 'Cc [2].'],
    'C [3]. | Ca [9].': ['Caa [1].', 'Cab [4].', 'Cac [0].'],
    'B [5]. | Bb [2].': ['Bba [2].', 'Bbb [1].', 'Bbc [0].'],
  };
  const selection = await searchThoughtTree(fakeGenerator(table, calls), scorer);
  assert.equal(selection.best.text, 'C [3]. Ca [9]. Cab [4].');
  assert.deepEqual(selection.thoughts, ['C [3].', 'Ca [9].', 'Cab [4].']);
  assert.equal(selection.best.score, 16);
  // Level 1: the root's 3; level 2: B and C (A pruned) × 3; level 3: C·Ca and B·Bb (2 of 6 kept) × 3.
  assert.equal(selection.stats.generated, 3 + 6 + 6);
  assert.equal(selection.requested, 15);
  assert.ok(!calls.some((c) => c.startsWith('A [1].')), 'the pruned chain is never grown');
  assert.deepEqual(calls.filter((c) => c.split(' | ').length === 2 && c.includes('#')).map((c) => c.replace(/#\d$/, '')).filter((c, i, all) => all.indexOf(c) === i), ['C [3]. | Ca [9].', 'B [5]. | Bb [2].']);
  assert.equal(selection.stats.pruned, 1 + 4 + 4);
  // The two depth-3 chains kept are the complete ones.
  assert.deepEqual(selection.candidates.map((c) => c.text), ['C [3]. Ca [9]. Cab [4].', 'C [3]. Ca [9]. Caa [1].']);
  assert.equal(selection.method, 'tot');
  assert.equal(selection.truncated, false);
});

test('a chain with a false claim is dropped at once and never grown, even when it would score best', async () => {
  const calls: string[] = [];
  const table: Record<string, string[]> = {
    '': ['FALSE [99].', 'B [1].', 'C [2].'],
    'C [2].': ['Ca FALSE [50].', 'Cb [1].'],
    'B [1].': ['Ba [1].'],
  };
  const selection = await searchThoughtTree(fakeGenerator(table, calls), scorer, { depth: 2 });
  assert.ok(!calls.some((c) => c.startsWith('FALSE')));
  assert.equal(selection.best.text, 'C [2]. Cb [1].');
  assert.equal(selection.stats.rejected, 2);
  for (const c of selection.candidates) assert.ok(!c.text.includes('FALSE'), c.text);
});

test('when every first sentence is false the error says why; when nothing is written, that', async () => {
  await assert.rejects(searchThoughtTree(fakeGenerator({ '': ['FALSE one.', 'FALSE two.', 'FALSE three.'] }), scorer), (error: Error) => {
    assert.ok(error instanceof UngroundedRationaleError);
    assert.match(error.message, /no first sentence of 3 was grounded in the history: it says “FALSE one\.”/);
    return true;
  });
  await assert.rejects(searchThoughtTree(fakeGenerator({}), scorer), NoRationaleError);
});

test('a thought is one sentence: the rest of a continuation is dropped, and a continuation cut mid-sentence is no thought', async () => {
  const table: Record<string, string[]> = {
    '': ['A [1]. And more [50]. Even more.', 'B [2] and it goes on without a full', '<|im_end|>'],
    'A [1].': [' Favourites include “Mr. Smith Goes to Washington” (4.5★) [2]. Then [9].'],
  };
  const selection = await searchThoughtTree(fakeGenerator(table), scorer, { depth: 2 });
  assert.deepEqual(selection.thoughts, ['A [1].', 'Favourites include “Mr. Smith Goes to Washington” (4.5★) [2].']);
  assert.equal(selection.stats.unfinished, 1);
});

test('a chain the model ends (empty continuation) or that has no true continuation is complete before depth', async () => {
  const table: Record<string, string[]> = {
    '': ['A [3].', 'B [2].'],
    // A: the model ends it at once (branch 0 empty); its other branches are weaker but true.
    'A [3].': ['', 'Aa [0].'],
    // B: every continuation false, so B stands as it is.
    'B [2].': ['FALSE.', 'Bb FALSE.'],
    'A [3]. | Aa [0].': [''],
  };
  const selection = await searchThoughtTree(fakeGenerator(table), scorer, { branching: 2 });
  assert.deepEqual(selection.candidates.map((c) => c.text).sort(), ['A [3].', 'A [3]. Aa [0].', 'B [2].']);
  // Ties (A and A·Aa both 3) keep the chain completed first.
  assert.equal(selection.best.text, 'A [3].');
});

test('repeats of a chain’s own sentence or of a sibling are dropped; a chain past the length limit too', async () => {
  const table: Record<string, string[]> = {
    '': ['A [1].', 'A [1].', 'B [1].'],
    'A [1].': ['A [1].', `Long ${'x'.repeat(60)} [9].`, 'Ab [1].'],
    'B [1].': ['Bb [0].'],
  };
  const selection = await searchThoughtTree(fakeGenerator(table), scorer, { depth: 2, maxChars: 40 });
  assert.equal(selection.stats.duplicates, 2);
  assert.equal(selection.stats.unfinished, 1);
  assert.equal(selection.best.text, 'A [1]. Ab [1].');
});

test('a timeout keeps the best true chain so far; a timeout before any, and a cancel, propagate', async () => {
  let n = 0;
  const slow: ThoughtGenerator = async (sentences) => {
    if (n++ >= 4) throw new GenerationStopped('timeout', 'slow');
    return sentences.length === 0 ? `S${n} [${n}].` : `Next${n} [0].`;
  };
  const selection = await searchThoughtTree(slow, scorer);
  assert.equal(selection.truncated, true);
  assert.equal(selection.best.text, 'S3 [3]. Next4 [0].');
  await assert.rejects(searchThoughtTree(async () => { throw new GenerationStopped('timeout', 'slow'); }, scorer), { reason: 'timeout' });
  await assert.rejects(
    searchThoughtTree(async (s) => { if (s.length > 0) throw new GenerationStopped('cancelled', 'x'); return 'A.'; }, scorer),
    { reason: 'cancelled' },
  );
});

test('sentence ends are read outside quotations and parentheses, and a number being written is no full stop', () => {
  assert.equal(sentenceEnd('Averages 4.', false), -1);
  assert.equal(sentenceEnd('Averages 4.', true), 11);
  assert.equal(sentenceEnd('Averages 4.5★ per rating.', false), 25);
  assert.equal(sentenceEnd('Favourites include “Dr. No” (4.5', false), -1);
  assert.equal(sentenceEnd('Picks titles from the 1990s. Leans', false), 28);
  assert.equal(sentenceEnd('Loves "St. Elmo’s Fire".', true), 24);
  assert.equal(firstSentence('  <|im_end|> '), '');
  assert.equal(firstSentence('Leans towards War'), null);
});
