import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeItemVectors, planItemVectors, validateItemVectorsManifest } from '../core/item-vectors.ts';
import { validateCatalog } from '../core/catalog.ts';
import { applyInit, parseShopConfig, readScriptConfig } from '../embed/config.ts';
import { buildShop } from './build.ts';
import { main } from './cli.ts';

const FEED = new URL('../../e2e/fixtures/kitchen-feed.tsv', import.meta.url).pathname;

/** A stand-in for `vite build`'s dist/: pulse build copies whatever is there. */
function fakeDist(): string {
  const dist = mkdtempSync(join(tmpdir(), 'pulse-dist-'));
  writeFileSync(join(dist, 'pulse.js'), '/* loader */');
  mkdirSync(join(dist, 'pulse', 'assets'), { recursive: true });
  writeFileSync(join(dist, 'pulse', 'runtime.js'), 'export {}');
  writeFileSync(join(dist, 'pulse', 'assets', 'worker-abc123.js'), '/* worker */');
  // ONNX Runtime, which only the language model uses (a shop folder has it off).
  for (const name of ['ort-wasm-simd-threaded-x1.wasm', 'ort-wasm-simd-threaded-x1.wasm.br', 'ort-wasm-simd-threaded.asyncify-x2.mjs']) {
    writeFileSync(join(dist, 'pulse', 'assets', name), 'ort');
  }
  return dist;
}

test('pulse build: the kitchen feed → a folder the loader reads (catalog, vectors for every item, config, runtime)', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'pulse-out-')), 'shop');
  const lines: string[] = [];
  const result = await buildShop({ feed: FEED, out, dist: fakeDist(), texts: { popular: 'Beliebt in diesem Shop' }, log: (line) => lines.push(line) });
  assert.equal(result.items.length, 40);
  assert.deepEqual(result.skipped.map((p) => p.reason), ['out of stock', 'out of stock']);
  // The catalog is what the page validates, display fields only.
  const catalog = validateCatalog(JSON.parse(readFileSync(join(out, 'catalog.json'), 'utf8')));
  assert.equal(catalog.length, 40);
  assert.ok(!catalog.some((item) => item.id === 'k06' || item.id === 'k22'), 'out-of-stock items are not in the catalog');
  // Every item has an up-to-date vector, so no shopper device embeds anything.
  const manifest = validateItemVectorsManifest(JSON.parse(readFileSync(join(out, 'catalog.vectors.json'), 'utf8')));
  const decoded = decodeItemVectors(manifest, readFileSync(join(out, manifest.bin)));
  assert.equal(planItemVectors(catalog, decoded.manifest).missing.length, 0);
  assert.equal(decoded.dims, 512);
  // USE-lite puts a chef's knife nearer the santoku than the French press.
  const row = (id: string) => decoded.vectors.subarray(catalog.findIndex((i) => i.id === id) * 512, (catalog.findIndex((i) => i.id === id) + 1) * 512);
  const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, v, d) => s + v * b[d]!, 0) / Math.sqrt(a.reduce((s, v) => s + v * v, 0) * b.reduce((s, v) => s + v * v, 0));
  assert.ok(cos(row('k08'), row('k09')) > cos(row('k08'), row('k18')), 'knife nearer knife than coffee press');
  // The runtime is copied as dist/ had it, whatever its file names.
  assert.ok(existsSync(join(out, 'pulse.js')) && existsSync(join(out, 'pulse', 'assets', 'worker-abc123.js')));
  // …except ONNX Runtime: the folder's config turns the language model off, so nothing would fetch it.
  assert.equal(result.config.slm, false);
  assert.deepEqual(result.files.filter((f) => f.path.includes('ort-wasm')), [], 'no ONNX Runtime file in a folder without a language model');
  assert.ok(existsSync(join(out, 'models', 'use-lite', 'model.json')));
  assert.ok(!existsSync(join(out, 'models', 'pulse-movielens')), 'the MovieLens Thought Space is not shipped to another shop');
  // pulse.config.json, read as the loader reads it from where the folder is hosted.
  const base = 'https://shop.example/pulse/';
  const config = applyInit(readScriptConfig({}, `${base}pulse.js`, 'https://shop.example/'), parseShopConfig(JSON.parse(readFileSync(join(out, 'pulse.config.json'), 'utf8')), `${base}pulse.config.json`), 'https://shop.example/');
  assert.equal(config.catalogUrl, `${base}catalog.json`);
  assert.equal(config.vectorsUrl, `${base}catalog.vectors.json`);
  assert.equal(config.modelsUrl, `${base}models`);
  assert.equal(config.thoughtSpace, false);
  assert.deepEqual(config.slm, { enabled: false });
  assert.deepEqual(config.texts, { heading: 'Recommended for you', popular: 'Beliebt in diesem Shop' });
  assert.match(lines[0]!, /read 42 rows from kitchen-feed\.tsv \(tsv\): 40 products, 2 skipped/);
});

test('pulse: --help on every command; usage mistakes exit 2, feed mistakes exit 1, without a stack', async () => {
  const errors: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = () => {};
  console.error = (line: string) => errors.push(String(line));
  try {
    assert.equal(await main(['--help']), 0);
    assert.equal(await main(['build', '--help']), 0);
    assert.equal(await main(['build', '--fed', 'x']), 2);
    assert.equal(await main(['build', '--feed', FEED]), 2);
    assert.equal(await main(['build', '--feed', '/nope/feed.tsv', '--out', '/tmp/never', '--dist', fakeDist()]), 1);
    assert.equal(await main(['build', '--feed', FEED, '--out', '/tmp/never', '--dist', '/nope']), 1);
  } finally {
    console.log = log;
    console.error = error;
  }
  assert.deepEqual(errors, [
    "pulse: Unknown option '--fed' (pulse build --help)",
    'pulse: pulse build needs --feed <file> and --out <folder> (pulse build --help)',
    'pulse: /nope/feed.tsv: no such file',
    'pulse: /nope/pulse.js is missing: build the runtime first (npx vite build), or pass --dist <folder with pulse.js and pulse/>',
  ]);
});
