import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { test } from 'node:test';
import { env, type Tensor } from '@huggingface/transformers';
import type { CatalogItem, PulseEvent } from '../../core/types.ts';
import { gptParameterCount } from './gpt-config.ts';
import { loadLocalCausalLM, loadLocalTokenizer } from './local-transformers.ts';
import { buildPreferenceMessages } from '../../slm/prompt.ts';

/**
 * The shipped model folder (models/pulse-slm), loaded exactly as the worker will load it:
 * transformers.js, local files only, dtype q8 and fp32.
 */

const modelsDir = fileURLToPath(new URL('../../../models/', import.meta.url));
const folder = join(modelsDir, 'pulse-slm');

const catalog = new Map<string, CatalogItem>([
  ['1', { id: '1', title: 'Toy Story', text: '', categories: ['Adventure', 'Animation', 'Children', 'Comedy'], year: 1995 }],
  ['2', { id: '2', title: 'Heat', text: '', categories: ['Action', 'Crime', 'Thriller'], year: 1995 }],
  ['3', { id: '3', title: 'The Shining', text: '', categories: ['Horror'], year: 1980 }],
  ['4', { id: '4', title: 'Finding Nemo', text: '', categories: ['Adventure', 'Animation', 'Children', 'Comedy'], year: 2003 }],
]);
const history: PulseEvent[] = [
  { type: 'rating', itemId: '1', value: 5, ts: 1 },
  { type: 'view', itemId: '2', ts: 2 },
  { type: 'rating', itemId: '3', value: 1, ts: 3 },
  { type: 'rating', itemId: '4', value: 4.5, ts: 4 },
];

async function promptInputs() {
  const tokenizer = await loadLocalTokenizer(modelsDir, 'pulse-slm');
  const messages = buildPreferenceMessages(history, (id) => catalog.get(id));
  const text = tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
  return { tokenizer, inputs: tokenizer(text, { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor } };
}

test('the folder has the transformers.js layout and loads with remote loading off', async () => {
  for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'README.md']) {
    assert.ok((await stat(join(folder, file))).size > 0, file);
  }
  const lm = await loadLocalCausalLM(modelsDir, 'pulse-slm', 'q8');
  assert.equal(env.allowRemoteModels, false);
  const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8'));
  const session = (lm as unknown as { sessions: Record<string, { inputNames: string[]; outputNames: string[] }> }).sessions.model!;
  const cache = Array.from({ length: config.n_layer }, (_, i) => [`past_key_values.${i}.key`, `past_key_values.${i}.value`]).flat();
  assert.deepEqual(session.inputNames, ['input_ids', 'attention_mask', 'position_ids', ...cache]);
  assert.deepEqual(session.outputNames, ['logits', ...cache.map((n) => n.replace('past_key_values', 'present'))]);
  await lm.dispose();
});

test('README and training.json describe this model', async () => {
  const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8'));
  const report = JSON.parse(await readFile(join(folder, 'training.json'), 'utf8'));
  const readme = await readFile(join(folder, 'README.md'), 'utf8');
  const params = gptParameterCount({
    vocabSize: config.vocab_size,
    contextLength: config.n_positions,
    dModel: config.n_embd,
    nLayers: config.n_layer,
    nHeads: config.n_head,
    dFeedForward: config.n_inner,
    layerNormEpsilon: config.layer_norm_epsilon,
  });
  assert.equal(report.parameters, params);
  assert.equal(report.bytes.fp32, (await stat(join(folder, 'onnx/model.onnx'))).size);
  assert.equal(report.bytes.q8, (await stat(join(folder, 'onnx/model_quantized.onnx'))).size);
  assert.ok(readme.includes(params.toLocaleString('en')));
  assert.ok(readme.includes(report.heldOut.perplexity.toFixed(3)));
  assert.match(readme, /not a general assistant/);
  assert.equal(report.verification.greedyEqualPrompts, report.verification.prompts, 'export-time check: ONNX greedy = tfjs greedy');
});

test('a chat-templated history prompt generates a rationale that ends its turn', async () => {
  const { tokenizer, inputs } = await promptInputs();
  const lm = await loadLocalCausalLM(modelsDir, 'pulse-slm', 'q8');
  const out = (await lm.generate({ ...inputs, max_new_tokens: 96, do_sample: false })) as Tensor;
  const ids = Array.from(out.data as BigInt64Array, Number).slice(inputs.input_ids.dims[1]);
  assert.ok(ids.length > 3 && ids.length <= 96);
  const text = tokenizer.decode(ids, { skip_special_tokens: true }).trim();
  assert.ok(/\p{L}{3,}/u.test(text), `some words: ${text}`);
  assert.ok(!text.includes('<|'), 'no special tokens in the text');
  await lm.dispose();
});

test('apply_chat_template(return_dict) gives exactly the ids the model was trained on', async () => {
  const { tokenizer, inputs } = await promptInputs();
  const messages = buildPreferenceMessages(history, (id) => catalog.get(id));
  const direct = tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_dict: true }) as unknown as { input_ids: Tensor };
  assert.deepEqual(Array.from(direct.input_ids.data as BigInt64Array), Array.from(inputs.input_ids.data as BigInt64Array));
  const ids = Array.from(inputs.input_ids.data as BigInt64Array, Number);
  assert.deepEqual(ids.slice(-3), [1, tokenizer.encode('assistant', { add_special_tokens: false })[0], ids.at(-1)]);
  assert.equal(tokenizer.decode(ids.slice(-1)), '\n');
});

test('q8 and fp32 agree on the next token and stay close in logits', async () => {
  const { inputs } = await promptInputs();
  const last = async (dtype: 'fp32' | 'q8'): Promise<Float32Array> => {
    const lm = await loadLocalCausalLM(modelsDir, 'pulse-slm', dtype);
    const { logits } = (await lm(inputs)) as { logits: Tensor };
    const [, time, vocab] = logits.dims as [number, number, number];
    const row = (logits.data as Float32Array).slice((time - 1) * vocab, time * vocab);
    await lm.dispose();
    return row;
  };
  const a = await last('fp32');
  const b = await last('q8');
  const argmax = (x: Float32Array): number => x.indexOf(Math.max(...x));
  assert.equal(argmax(b), argmax(a));
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
  const range = Math.max(...a) - Math.min(...a);
  assert.ok(diff > 0 && diff < 0.1 * range, `max |Δlogit| ${diff}, logit range ${range}`);
});
