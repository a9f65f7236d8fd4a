import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseEvent } from '../core/types.ts';
import { GenerationStopped, NoRationaleError, samplingPlan, selectRationale, type ThoughtScorer } from './tot-lite.ts';

const HISTORY: PulseEvent[] = [{ type: 'rating', itemId: '1', value: 5, ts: 1 }];

/** Scores by how many times the word "animated" appears: deterministic and easy to reason about. */
const countingScorer: ThoughtScorer = {
  async score(_history, rationales) {
    return rationales.map((text) => (text.match(/animated/g) ?? []).length);
  },
};

test('keeps the candidate the scorer likes best, and reports all of them', async () => {
  const outputs = ['You like films.', 'You like animated, animated films.', 'You like animated films.'];
  const selection = await selectRationale(HISTORY, async (i) => outputs[i]!, countingScorer, { k: 3 });
  assert.equal(selection.best.text, 'You like animated, animated films.');
  assert.equal(selection.best.score, 2);
  assert.deepEqual(selection.candidates.map((c) => c.score), [0, 2, 1]);
  assert.equal(selection.truncated, false);
});

test('ties keep the earlier (greedy) candidate; duplicates and empties are dropped before scoring', async () => {
  const seen: string[][] = [];
  const scorer: ThoughtScorer = { score: async (_h, r) => (seen.push(r), r.map(() => 0.5)) };
  const outputs = ['First.<|im_end|>', '  ', 'First.', 'Second.'];
  const selection = await selectRationale(HISTORY, async (i) => outputs[i]!, scorer, { k: 4 });
  assert.deepEqual(seen, [['First.', 'Second.']]);
  assert.equal(selection.best.text, 'First.');
});

test('a timeout after one candidate still selects; a cancel or a timeout with nothing propagates', async () => {
  const timeoutAfterFirst = async (i: number) => {
    if (i === 0) return 'You like animated films.';
    throw new GenerationStopped('timeout', 'timed out');
  };
  const selection = await selectRationale(HISTORY, timeoutAfterFirst, countingScorer, { k: 3 });
  assert.equal(selection.best.text, 'You like animated films.');
  assert.equal(selection.truncated, true);
  const cancelled = async (i: number) => {
    if (i === 0) return 'Something.';
    throw new GenerationStopped('cancelled', 'cancelled');
  };
  await assert.rejects(selectRationale(HISTORY, cancelled, countingScorer, { k: 3 }), { reason: 'cancelled' });
  await assert.rejects(
    selectRationale(HISTORY, async () => { throw new GenerationStopped('timeout', 'slow'); }, countingScorer, { k: 2 }),
    { reason: 'timeout' },
  );
  await assert.rejects(selectRationale(HISTORY, async () => ' <|endoftext|> ', countingScorer, { k: 2 }), NoRationaleError);
});

test('candidate 0 is greedy; the others sample with distinct fixed seeds', () => {
  assert.deepEqual(samplingPlan(0), { do_sample: false });
  const a = samplingPlan(1, 7);
  const b = samplingPlan(2, 7);
  assert.equal(a.do_sample, true);
  assert.notEqual(a.seed, b.seed);
  assert.deepEqual(samplingPlan(1, 7), a);
});
