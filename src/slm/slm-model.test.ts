/**
 * The transformers.js path in Node (onnxruntime-node, CPU) with the fixture LM: chat
 * template → generate, streaming, interrupt, and the errors for broken folders.
 * The browser runs the same class on wasm and WebGPU (e2e/slm.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { env } from '@huggingface/transformers';
import { FIXTURE_ANSWER, writeTinyLm } from '../../e2e/fixtures/tiny-lm.ts';
import { GenerationControl } from './generation-control.ts';
import { SlmLoadError, SlmModel } from './slm-model.ts';
import { GenerationStopped } from './tot-lite.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'pulse-slm-'));
  writeTinyLm(join(root, 'tiny-lm'));
  writeTinyLm(join(root, 'no-template'), { chatTemplate: false });
  writeTinyLm(join(root, 'corrupt'));
  writeFileSync(join(root, 'corrupt', 'onnx', 'model.onnx'), 'this is not an onnx file');
  env.localModelPath = `${root}/`;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
});
after(() => rmSync(root, { recursive: true, force: true }));

const MESSAGES = [
  { role: 'system', content: 'You describe what a shopper seems to want.' },
  { role: 'user', content: 'History, most recent first:\n- Toy Story\nWhat does this shopper seem to want?' },
];

test('a local folder loads with remote loading off, and greedy decoding gives the known answer, streamed', async () => {
  const phases: string[] = [];
  const model = await SlmModel.load({ model: 'tiny-lm', device: 'cpu', dtype: 'fp32', remote: false, onProgress: (p) => phases.push(p.phase) });
  assert.ok(phases.includes('compile'));
  assert.ok(model.report.totalMs > 0);
  const pieces: string[] = [];
  const report = await model.generate(MESSAGES, { maxNewTokens: 16, sampling: { do_sample: false }, onText: (t) => pieces.push(t) });
  assert.equal(report.text.trim(), FIXTURE_ANSWER);
  assert.equal(report.newTokens, FIXTURE_ANSWER.split(' ').length + 1, 'one token a word, and the end token');
  assert.ok(pieces.length >= 1);
  assert.equal(pieces.join('').trim(), FIXTURE_ANSWER);
  assert.ok(report.firstTokenMs <= report.totalMs);
  await model.dispose();
});

test('the chat template formats the prompt the instruct way (ChatML, generation prompt last)', async () => {
  const model = await SlmModel.load({ model: 'tiny-lm', device: 'cpu', dtype: 'fp32', remote: false });
  const prompt = model.formatPrompt(MESSAGES);
  assert.ok(prompt.startsWith('<|im_start|>system\nYou describe'));
  assert.ok(prompt.includes('<|im_end|>\n<|im_start|>user\nHistory, most recent first:'));
  assert.ok(prompt.endsWith('<|im_start|>assistant\n'));
  await model.dispose();
});

test('a stopped generation throws GenerationStopped with its reason', async () => {
  const model = await SlmModel.load({ model: 'tiny-lm', device: 'cpu', dtype: 'fp32', remote: false });
  const control = new GenerationControl();
  let tokens = 0;
  const run = model.generate(MESSAGES, {
    maxNewTokens: 16,
    sampling: { do_sample: false },
    control,
    onText: () => {
      if (++tokens === 1) control.stop('cancelled');
    },
  });
  await assert.rejects(run, (error: unknown) => error instanceof GenerationStopped && error.reason === 'cancelled');
  await model.dispose();
});

test('a corrupt weight file or a missing chat template is a clear SlmLoadError', async () => {
  await assert.rejects(SlmModel.load({ model: 'corrupt', device: 'cpu', dtype: 'fp32', remote: false }), (error: unknown) => {
    assert.ok(error instanceof SlmLoadError);
    assert.match(error.message, /SLM "corrupt" \(onnx\/model\.onnx, fp32 on cpu\): could not load the model/);
    return true;
  });
  await assert.rejects(SlmModel.load({ model: 'no-template', device: 'cpu', dtype: 'fp32', remote: false }), /has no chat_template/);
  await assert.rejects(SlmModel.load({ model: 'missing-folder', device: 'cpu', dtype: 'fp32', remote: false }), /could not load tokenizer/);
});

test('with a prefix the model continues the answer so far (a Tree-of-Thought chain) and returns only the new text', async () => {
  const model = await SlmModel.load({ model: 'tiny-lm', device: 'cpu', dtype: 'fp32', remote: false });
  const pieces: string[] = [];
  const report = await model.generate(MESSAGES, { maxNewTokens: 16, sampling: { do_sample: false }, prefix: 'Leans towards', stopAtSentenceEnd: true, onText: (t) => pieces.push(t) });
  // (The fixture's tokenizer splits punctuation off, so the prefix stops before the first comma.)
  assert.equal(report.text.trim(), 'Adventure, Animation, Children, Comedy and Musical.');
  assert.equal(pieces.join('').trim(), 'Adventure, Animation, Children, Comedy and Musical.');
  await model.dispose();
});
