/**
 * Focused tastes in the worker as shipped (issue 11 item 6): five liked films of one category
 * (the five most-rated, 5★ each) → at least 6 of the personal top 10 carry that category, for the
 * shipped Thought Space with its blend (models/pulse-movielens, blend.json), ranked unsteered as
 * the first list is — every one of the ten categories of src/eval/taste-focus.ts (Sci-Fi, Animation,
 * War, Horror, Romance, Western, Crime, Children, Documentary, Musical). The numbers:
 * models/pulse-movielens/README.md (`npx tsx scripts/taste-focus.ts`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CatalogItem } from '../core/types.ts';
import { categoryShare, FOCUS_CATEGORIES, focusedHistory } from '../eval/taste-focus.ts';
import { loadBlend } from '../model/blend-file.ts';
import { useNodeBackend } from '../model/node-backend.ts';
import { dirSource } from '../model/node-model-files.ts';
import { loadThoughtSpace } from '../model/thought-space-loader.ts';
import { ThoughtSpaceRanker } from './thought-space-ranker.ts';

const ROOT = join(import.meta.dirname, '..', '..');

test('five liked films of any of the ten focus categories bring at least 6 of 10 of it (shipped blend)', async () => {
  await useNodeBackend('wasm');
  const catalog = JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.json'), 'utf8')) as CatalogItem[];
  const source = dirSource(join(ROOT, 'models/pulse-movielens'));
  const space = await loadThoughtSpace(source);
  const ranker = ThoughtSpaceRanker.fromSpace(space, catalog, await loadBlend(source));
  const byId = new Map(catalog.map((c) => [c.id, c] as const));
  try {
    for (const category of FOCUS_CATEGORIES) {
      const history = focusedHistory(catalog, category);
      const { items } = await ranker.rank(history, 10, [], null, 1.4e12 + 10_000);
      const share = categoryShare(items.map((i) => byId.get(i.id)!), category);
      assert.ok(share >= 6, `${category}: ${share} of 10 (${items.map((i) => byId.get(i.id)!.title).join('; ')})`);
    }
  } finally {
    space.dispose();
  }
});
