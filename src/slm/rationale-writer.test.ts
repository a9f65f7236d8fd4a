/**
 * The worker's rationale path with the fixture LM (e2e/fixtures/tiny-lm.ts) on
 * onnxruntime-node: the Tree-of-Thought method asks the model for one sentence after each
 * chain (its prefix), and stops where the model ends the answer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { FIXTURE_ANSWER, writeTinyLm } from '../../e2e/fixtures/tiny-lm.ts';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { writeRationale } from './rationale-writer.ts';
import { SlmModel } from './slm-model.ts';
import type { TreeSelection } from './thought-tree.ts';

const ITEMS: CatalogItem[] = [
  { id: '1', title: 'Toy Story', text: '', categories: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'], year: 1995 },
  { id: '588', title: 'Aladdin', text: '', categories: ['Adventure', 'Animation', 'Children', 'Comedy', 'Musical'], year: 1992 },
  { id: '364', title: 'The Lion King', text: '', categories: ['Adventure', 'Animation', 'Children', 'Drama', 'Musical'], year: 1994 },
];
const HISTORY: PulseEvent[] = ITEMS.map((item, i) => ({ type: 'rating', itemId: item.id, value: 5, ts: i + 1 }));

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'pulse-writer-'));
  writeTinyLm(join(root, 'tiny-lm'));
  env.localModelPath = `${root}/`;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
});
after(() => rmSync(root, { recursive: true, force: true }));

test('method tot: the model writes the chain a sentence at a time; a chain the model ends is complete', async () => {
  const model = await SlmModel.load({ model: 'tiny-lm', device: 'cpu', dtype: 'fp32', remote: false });
  const prefixes: (string | undefined)[] = [];
  const seen = { generate: (messages: Parameters<SlmModel['generate']>[0], options: Parameters<SlmModel['generate']>[1]) => (prefixes.push(options.prefix), model.generate(messages, options)) };
  const selection = (await writeRationale(seen, {
    history: HISTORY,
    lookup: (id) => ITEMS.find((item) => item.id === id),
    knownCategories: [...new Set(ITEMS.flatMap((item) => item.categories))],
    method: 'tot',
    candidates: 3,
    maxNewTokens: 80,
    scorer: { score: async (_h, texts) => texts.map((t) => t.length) },
  })) as TreeSelection;
  assert.equal(selection.method, 'tot');
  assert.equal(selection.best.text, FIXTURE_ANSWER);
  assert.deepEqual(selection.thoughts, [FIXTURE_ANSWER]);
  // Level 1 at the root (no prefix); level 2 after the one distinct chain, where the model ends.
  assert.deepEqual(prefixes, [undefined, undefined, undefined, FIXTURE_ANSWER, FIXTURE_ANSWER, FIXTURE_ANSWER]);
  assert.equal(selection.stats.levels, 2);
  await model.dispose();
});
