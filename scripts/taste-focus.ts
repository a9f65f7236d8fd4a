/**
 * Focused tastes: for five liked films that share one category (the five most-rated of it, 5★ each;
 * src/eval/taste-focus.ts), how many of the personal top 10 share it — ranked by the worker's own
 * ThoughtSpaceRanker, unsteered as the first list is, for the Thought Space alone and with the
 * model's blend (blend.json: EASE + category profile with its focus weight, src/model/pulse-blend.ts):
 *   npx tsx scripts/taste-focus.ts [--model models/pulse-movielens]
 * A measurement, not a test (src/worker/taste-focus.test.ts asserts ≥ 6 for all ten): one line each.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CatalogItem } from '../src/core/types.ts';
import { categoryShare, FOCUS_CATEGORIES, focusedHistory } from '../src/eval/taste-focus.ts';
import { loadBlend } from '../src/model/blend-file.ts';
import { useNodeBackend } from '../src/model/node-backend.ts';
import { dirSource } from '../src/model/node-model-files.ts';
import { loadThoughtSpace } from '../src/model/thought-space-loader.ts';
import { ThoughtSpaceRanker } from '../src/worker/thought-space-ranker.ts';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/pulse-movielens' } } });
await useNodeBackend('wasm');
const catalog = JSON.parse(readFileSync('public/catalog/movielens.json', 'utf8')) as CatalogItem[];
const byId = new Map(catalog.map((c) => [c.id, c] as const));
const source = dirSource(values.model!);
const space = await loadThoughtSpace(source);
const blend = await loadBlend(source);
console.log(`${values.model}: category share of the personal top 10 for five liked films of one category`);
for (const [label, ranker] of [['Thought Space alone', ThoughtSpaceRanker.fromSpace(space, catalog)], [`blend ${JSON.stringify(blend.manifest.weights)}`, ThoughtSpaceRanker.fromSpace(space, catalog, blend)]] as const) {
  const counts: string[] = [];
  for (const category of FOCUS_CATEGORIES) {
    const { items } = await ranker.rank(focusedHistory(catalog, category), 10, [], null, 1.4e12 + 10_000);
    counts.push(`${category} ${categoryShare(items.map((i) => byId.get(i.id)!), category)}`);
  }
  console.log(`${label}: ${counts.join(', ')}`);
}
space.dispose();
