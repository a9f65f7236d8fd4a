import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Tensor } from '@huggingface/transformers';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { trainByteLevelBpe } from './bpe-trainer.ts';
import { SPECIAL_TOKENS } from './chat-format.ts';
import type { GptConfig } from './gpt-config.ts';
import { initGptWeights } from './gpt-init.ts';
import { GptModel } from './gpt-tfjs.ts';
import { loadLocalCausalLM, loadLocalTokenizer } from './local-transformers.ts';
import { writeModelFiles, writeTokenizerFiles } from './model-folder.ts';

/**
 * The export contract, on a small random model so it runs in seconds: the folder the repo
 * writes loads in transformers.js (remote loading off) and its ONNX graph — KV cache,
 * masks, positions — computes what the tfjs model computes.
 */

const bpe = trainByteLevelBpe(['Leans towards Drama and Comedy, mostly from the 1990s.'], { vocabSize: 300, specialTokens: SPECIAL_TOKENS, minFrequency: 1 });
const config: GptConfig = { vocabSize: bpe.vocab.size, contextLength: 64, dModel: 32, nLayers: 2, nHeads: 4, dFeedForward: 64, layerNormEpsilon: 1e-5 };
// Large init spreads the logits, so greedy choices are not decided by float rounding.
const weights = initGptWeights(config, 11, 0.3);
let dir = '';
let model: GptModel;

before(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'pulse-gpt-onnx-'));
  await writeTokenizerFiles(join(dir, 'tiny'), bpe, config.contextLength);
  await writeModelFiles(join(dir, 'tiny'), config, weights);
  model = new GptModel(config, weights);
});

after(async () => {
  model.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('config.json maps to GPT2LMHeadModel with the graph’s shape', async () => {
  const json = JSON.parse(await readFile(join(dir, 'tiny', 'config.json'), 'utf8'));
  assert.equal(json.model_type, 'gpt2');
  assert.equal(json.n_layer, 2);
  assert.equal(json.num_attention_heads, 4);
  assert.equal(json.head_dim, 8);
});

test('fp32 logits from transformers.js equal the tfjs model’s', async () => {
  const lm = await loadLocalCausalLM(dir, 'tiny', 'fp32');
  const ids = [5, 40, 7, 99, 12, 3];
  const input_ids = new (await import('@huggingface/transformers')).Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
  const attention_mask = new (await import('@huggingface/transformers')).Tensor('int64', BigInt64Array.from(ids.map(() => 1n)), [1, ids.length]);
  const { logits } = (await lm({ input_ids, attention_mask })) as { logits: Tensor };
  const reference = model.logits(tf.tensor2d([ids], [1, ids.length], 'int32'));
  const expected = await reference.data();
  reference.dispose();
  const actual = logits.data as Float32Array;
  assert.equal(actual.length, expected.length);
  let maxDiff = 0;
  for (let i = 0; i < actual.length; i++) maxDiff = Math.max(maxDiff, Math.abs(actual[i]! - expected[i]!));
  assert.ok(maxDiff < 1e-4, `max |Δlogit| ${maxDiff}`);
  await lm.dispose();
});

test('greedy generation with the KV cache equals the tfjs model’s uncached greedy loop', async () => {
  const tokenizer = await loadLocalTokenizer(dir, 'tiny');
  const lm = await loadLocalCausalLM(dir, 'tiny', 'fp32');
  const { input_ids, attention_mask } = tokenizer('Leans towards Drama', { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor };
  const promptIds = Array.from(input_ids.data as BigInt64Array, Number);
  const output = (await lm.generate({ input_ids, attention_mask, max_new_tokens: 12, do_sample: false, eos_token_id: -1 } as never)) as Tensor;
  const generated = Array.from(output.data as BigInt64Array, Number).slice(promptIds.length);
  assert.deepEqual(generated, await model.greedy(promptIds, 12));
  await lm.dispose();
});

test('left-padded batches decode like single prompts (attention_mask reaches the graph)', async () => {
  const tokenizer = await loadLocalTokenizer(dir, 'tiny');
  tokenizer.padding_side = 'left';
  const lm = await loadLocalCausalLM(dir, 'tiny', 'fp32');
  const prompts = ['Leans towards Drama and Comedy', 'Comedy'];
  const batch = tokenizer(prompts, { add_special_tokens: false, padding: true }) as { input_ids: Tensor; attention_mask: Tensor };
  const out = (await lm.generate({ ...batch, max_new_tokens: 6, do_sample: false, eos_token_id: -1 } as never)) as Tensor;
  const width = out.dims[1]!;
  const rows = Array.from(out.data as BigInt64Array, Number);
  for (const [i, prompt] of prompts.entries()) {
    const ids = tokenizer.encode(prompt, { add_special_tokens: false });
    assert.deepEqual(rows.slice(i * width + width - 6, (i + 1) * width), await model.greedy(ids, 6), `prompt ${i}`);
  }
  await lm.dispose();
});

test('the int8 model is a quarter of the size and its logits stay close to fp32', async () => {
  const fp32Bytes = (await readFile(join(dir, 'tiny', 'onnx', 'model.onnx'))).length;
  const q8Bytes = (await readFile(join(dir, 'tiny', 'onnx', 'model_quantized.onnx'))).length;
  assert.ok(q8Bytes < fp32Bytes * 0.4, `${q8Bytes} vs ${fp32Bytes}`);
  const { Tensor: T } = await import('@huggingface/transformers');
  const ids = [5, 40, 7, 99, 12, 3];
  const input_ids = new T('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
  const attention_mask = new T('int64', BigInt64Array.from(ids.map(() => 1n)), [1, ids.length]);
  const a = (((await (await loadLocalCausalLM(dir, 'tiny', 'fp32'))({ input_ids, attention_mask })) as { logits: Tensor }).logits.data) as Float32Array;
  const b = (((await (await loadLocalCausalLM(dir, 'tiny', 'q8'))({ input_ids, attention_mask })) as { logits: Tensor }).logits.data) as Float32Array;
  let maxDiff = 0;
  let range = 0;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    range = Math.max(range, Math.abs(a[i]!));
  }
  assert.ok(maxDiff > 0, 'q8 really is a different (quantised) graph');
  assert.ok(maxDiff < 0.05 * range, `max |Δlogit| ${maxDiff} vs |logit| up to ${range}`);
});
