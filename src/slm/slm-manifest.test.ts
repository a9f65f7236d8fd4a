import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chooseSlmModel, isModelName, parseSlmManifest } from './slm-manifest.ts';

test('the shipped models/slm.json parses and names a folder that the manifest describes', () => {
  const manifest = parseSlmManifest(JSON.parse(readFileSync(new URL('../../models/slm.json', import.meta.url), 'utf8')));
  assert.equal(manifest.model, 'pulse-slm');
  assert.ok(manifest.models['pulse-slm']?.dtypes?.includes('q8'));
});

test('naming a dropped-in folder switches the model; the option wins over the file', () => {
  const manifest = parseSlmManifest({ model: 'SmolLM2-135M-Instruct', models: { 'pulse-slm': { dtypes: ['fp32', 'q8'] } } });
  assert.deepEqual(chooseSlmModel(undefined, manifest), { model: 'SmolLM2-135M-Instruct', dtypes: null, source: 'manifest' });
  assert.deepEqual(chooseSlmModel('pulse-slm', manifest), { model: 'pulse-slm', dtypes: ['fp32', 'q8'], source: 'option' });
  assert.deepEqual(chooseSlmModel(undefined, null), { model: 'pulse-slm', dtypes: null, source: 'default' });
});

test('paths, URLs and bad dtypes are refused with the field named', () => {
  for (const bad of ['../etc', 'https://x.test/m', 'a/b/c', '', '..', 'a/..']) assert.equal(isModelName(bad), false, bad);
  assert.equal(isModelName('HuggingFaceTB/SmolLM2-135M-Instruct'), true);
  assert.throws(() => parseSlmManifest({ model: '../x' }), /"model" must be a folder name/);
  assert.throws(() => parseSlmManifest({ model: 'm', models: { m: { dtypes: ['fp64'] } } }), /models\.m\.dtypes/);
  assert.throws(() => chooseSlmModel('/abs', null), /slm\.model must be a folder name/);
});
