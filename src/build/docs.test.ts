/**
 * docs/catalog.md against the code: the options it names exist in `pulse build --help`, the
 * pulse.config.json it shows is what the build writes and what the loader accepts, and the
 * texts it lists are the ones the config takes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseShopConfig, parseShopTexts } from '../embed/config.ts';
import { DEFAULT_SHOP_TEXTS } from './build.ts';
import { BUILD_USAGE } from './cli.ts';

const doc = readFileSync(new URL('../../docs/catalog.md', import.meta.url), 'utf8');

test('every pulse build option docs/catalog.md names is in --help, and the other way round', () => {
  // The sections about pulse build (the schema section also names `npm run embed`'s options).
  const buildPart = doc.slice(0, doc.indexOf('## Catalog schema'));
  const documented = new Set([...buildPart.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]!));
  const real = new Set([...BUILD_USAGE.matchAll(/^ {2}(?:-[a-z], )?(--[a-z-]+)/gm)].map((m) => m[1]!));
  for (const option of documented) assert.ok(real.has(option), `docs/catalog.md names ${option}, which pulse build does not have`);
  for (const option of ['--feed', '--out', '--currency', '--logs', '--texts', '--strict']) assert.ok(documented.has(option), `docs/catalog.md does not explain ${option}`);
});

test("docs/catalog.md's pulse.config.json is what the build writes, and the loader reads it", () => {
  const block = /### `pulse\.config\.json`\s+```json\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'the example block');
  const example = JSON.parse(block[1]!) as { texts: object };
  assert.deepEqual(example.texts, DEFAULT_SHOP_TEXTS);
  const init = parseShopConfig(example, 'https://shop.example/pulse/pulse.config.json');
  assert.equal(init.catalog, 'https://shop.example/pulse/catalog.json');
  const listed = /\(`heading`, `popular`, `loading`, `empty`, `error`\)/.test(doc);
  assert.ok(listed, 'the texts are listed');
  for (const key of ['heading', 'popular', 'loading', 'empty', 'error']) parseShopTexts({ [key]: 'x' });
});
