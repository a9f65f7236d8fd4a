import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyInit, readScriptConfig, runtimeUrl } from './config.ts';

const PAGE = 'https://shop.example/products/42.html';

test('every Pulse asset is resolved next to the script; the catalog against the page', () => {
  const config = readScriptConfig({ catalog: '/catalog.json' }, 'https://shop.example/vendor/pulse/pulse.js', PAGE);
  assert.equal(config.base, 'https://shop.example/vendor/pulse/');
  assert.equal(config.modelsUrl, 'https://shop.example/vendor/pulse/models');
  assert.equal(runtimeUrl(config), 'https://shop.example/vendor/pulse/pulse/runtime.js');
  assert.equal(config.catalogUrl, 'https://shop.example/catalog.json');
  assert.equal(config.consent, true, 'the documented default');
});

test('data-base overrides the script location; a script without a URL needs it', () => {
  const config = readScriptConfig({ base: '/static/pulse', catalog: 'catalog.json' }, 'https://shop.example/x/pulse.js', PAGE);
  assert.equal(runtimeUrl(config), 'https://shop.example/static/pulse/pulse/runtime.js');
  assert.equal(config.catalogUrl, 'https://shop.example/products/catalog.json');
  assert.throws(() => readScriptConfig({}, null, PAGE), /ConfigError|data-base/);
});

test('data-consent and init are checked, not guessed', () => {
  assert.equal(readScriptConfig({ consent: 'false' }, 'https://shop.example/pulse.js', PAGE).consent, false);
  assert.throws(() => readScriptConfig({ consent: 'no' }, 'https://shop.example/pulse.js', PAGE), /data-consent must be "true" or "false"/);
  const config = readScriptConfig({}, 'https://shop.example/pulse.js', PAGE);
  assert.throws(() => applyInit(config, { catalogue: 'x' } as never, PAGE), /unknown option "catalogue"/);
  assert.throws(() => applyInit(config, { backend: 'gpu' as never }, PAGE), /backend must be one of/);
  const moved = applyInit(config, { base: 'https://shop.example/cdn-free/', catalog: '/c.json', consent: false }, PAGE);
  assert.equal(moved.modelsUrl, 'https://shop.example/cdn-free/models', 'models follow a new base');
  assert.equal(moved.catalogUrl, 'https://shop.example/c.json');
  assert.equal(moved.consent, false);
});

test('the language model: data-slm turns it off or picks its device, init passes its options, both checked', () => {
  const at = 'https://shop.example/pulse.js';
  assert.deepEqual(readScriptConfig({ slm: 'off' }, at, PAGE).slm, { enabled: false });
  assert.deepEqual(readScriptConfig({ slm: 'wasm', slmModel: 'SmolLM2-135M-Instruct' }, at, PAGE).slm, { device: 'wasm', model: 'SmolLM2-135M-Instruct' });
  assert.equal(readScriptConfig({}, at, PAGE).slm, undefined, "absent: Pulse's defaults");
  assert.throws(() => readScriptConfig({ slm: 'gpu' }, at, PAGE), /data-slm must be off, auto, webgpu, wasm; got "gpu"/);
  const config = readScriptConfig({}, at, PAGE);
  assert.deepEqual(applyInit(config, { slm: false }, PAGE).slm, { enabled: false });
  assert.deepEqual(applyInit(config, { slm: { device: 'webgpu', candidates: 1 } }, PAGE).slm, { device: 'webgpu', candidates: 1 });
  assert.throws(() => applyInit(config, { slm: { devise: 'wasm' } as never }, PAGE), /slm: unknown option "devise"/);
  assert.throws(() => applyInit(config, { slm: { device: 'tpu' } as never }, PAGE), /slm.device must be one of auto, webgpu, wasm/);
  assert.deepEqual(applyInit(config, { slm: { method: 'tot' } }, PAGE).slm, { method: 'tot' });
  assert.throws(() => applyInit(config, { slm: { method: 'beam' } as never }, PAGE), /slm.method must be one of samples, tot/);
  assert.throws(() => applyInit(config, { slm: 'off' } as never, PAGE), /slm must be false or an options object/);
});

test('pulse.config.json: paths relative to the file; texts, thoughtSpace and slm checked like init', async () => {
  const { loadShopConfig, parseShopConfig } = await import('./config.ts');
  const url = 'https://shop.example/static/pulse/pulse.config.json';
  const tag = readScriptConfig({}, 'https://shop.example/static/pulse/pulse.js', PAGE);
  assert.equal(tag.configUrl, url, 'next to pulse.js by default');
  assert.equal(readScriptConfig({ config: '/cfg/pulse.config.json' }, 'https://shop.example/static/pulse/pulse.js', PAGE).configUrl, 'https://shop.example/cfg/pulse.config.json');
  const file = { format: 'pulse-config', version: 1, catalog: 'catalog.json', vectors: 'catalog.vectors.json', thoughtSpace: false, slm: false, texts: { popular: 'Beliebt im Shop' } };
  const config = applyInit(tag, parseShopConfig(file, url), PAGE);
  assert.equal(config.catalogUrl, 'https://shop.example/static/pulse/catalog.json');
  assert.equal(config.vectorsUrl, 'https://shop.example/static/pulse/catalog.vectors.json');
  assert.equal(config.thoughtSpace, false);
  assert.deepEqual(config.slm, { enabled: false });
  assert.deepEqual(config.texts, { popular: 'Beliebt im Shop' });
  assert.throws(() => applyInit(tag, parseShopConfig({ ...file, texts: { title: 'x' } }, url), PAGE), /texts: unknown text "title"/);
  assert.throws(() => parseShopConfig({ ...file, format: 'x' }, url), /pulse\.config\.json: "format" must be "pulse-config"/);
  assert.throws(() => parseShopConfig({ ...file, catalog: undefined }, url), /"catalog" is required/);
  const missing = await loadShopConfig(url, async () => new Response('', { status: 404 }));
  assert.equal(missing, null, 'no file: Pulse asks for a catalog instead');
});
