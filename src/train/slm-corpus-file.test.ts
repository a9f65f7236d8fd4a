import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTokenizedCorpus, saveTokenizedCorpus, type TokenizedCorpus } from './slm-corpus-file.ts';

const corpus: TokenizedCorpus = {
  train: [
    { ids: [1, 2, 3, 4095], answerStart: 2 },
    { ids: [7], answerStart: 0 },
  ],
  heldOut: [{ ids: [9, 8, 7, 6, 5], answerStart: 3 }],
  padId: 0,
  vocabSize: 4096,
  tokenizerSha256: 'abc',
  stats: { trainExamples: 2, heldOutExamples: 1, trainTokens: 5, trainAnswerTokens: 3 },
};

test('a tokenised corpus survives the file round trip', async () => {
  const path = join(await mkdtemp(join(tmpdir(), 'corpus-')), 'c.bin');
  await saveTokenizedCorpus(path, corpus);
  assert.deepEqual(await loadTokenizedCorpus(path), corpus);
});

test('a truncated corpus file is refused, not read short', async () => {
  const path = join(await mkdtemp(join(tmpdir(), 'corpus-')), 'c.bin');
  await saveTokenizedCorpus(path, corpus);
  const bytes = await readFile(path);
  await writeFile(path, bytes.subarray(0, bytes.length - 4));
  await assert.rejects(loadTokenizedCorpus(path), /ids, the header accounts for/);
});

test('ids beyond 16 bits are refused when writing', async () => {
  const path = join(await mkdtemp(join(tmpdir(), 'corpus-')), 'c.bin');
  await assert.rejects(saveTokenizedCorpus(path, { ...corpus, train: [{ ids: [70000], answerStart: 0 }] }), /16 bits/);
});
