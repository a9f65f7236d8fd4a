/**
 * Per-item reasons are faithful to the shipped Thought Space: the history item a reason names
 * is the one whose deletion lowers that item's score most, measured here independently of the
 * ranker's batched path (one history at a time, through the tower's own query and scores).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { useNodeBackend } from '../model/node-backend.ts';
import { dirSource } from '../model/node-model-files.ts';
import { loadBlend } from '../model/blend-file.ts';
import { blendedScores, buildBlendIndex } from '../model/pulse-blend.ts';
import { loadThoughtSpace } from '../model/thought-space-loader.ts';
import { ThoughtSpaceRanker } from './thought-space-ranker.ts';

const ROOT = join(import.meta.dirname, '..', '..');

test('the item a reason names is the one whose deletion lowers the score most (shipped Thought Space)', async () => {
  await useNodeBackend('wasm');
  const catalog = JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.json'), 'utf8')) as CatalogItem[];
  const space = await loadThoughtSpace(dirSource(join(ROOT, 'models/pulse-movielens')));
  const ranker = ThoughtSpaceRanker.fromSpace(space, catalog);
  const byGenre = (genre: string, n: number, skip = 0) => catalog.filter((c) => c.categories.includes(genre)).sort((a, b) => (b.popularity ?? 0) - (a.popularity ?? 0)).slice(skip, skip + n);
  const histories: PulseEvent[][] = [
    byGenre('War', 5).map((c, i) => ({ type: 'rating', itemId: c.id, value: 5, ts: i })),
    [...byGenre('Animation', 3), ...byGenre('Horror', 3)].map((c, i) => ({ type: 'rating', itemId: c.id, value: i < 3 ? 5 : 1, ts: i })),
    byGenre('Sci-Fi', 4).map((c, i) => ({ type: i % 2 ? 'cart' : 'purchase', itemId: c.id, ts: i })),
    [...byGenre('Comedy', 4, 5), ...byGenre('Crime', 4)].map((c, i) => ({ type: 'rating', itemId: c.id, value: 3.5 + (i % 4) / 2, ts: i })),
  ];
  try {
    let named = 0;
    for (const history of histories) {
      const { items } = await ranker.rank(history, 5, [], null, 10);
      const base = await space.scores(await space.query(await space.encodeHistory(history)));
      const ids = [...new Set(history.map((e) => e.itemId))];
      const deleted = await Promise.all(ids.map(async (id) => space.scores(await space.query(await space.encodeHistory(history.filter((e) => e.itemId !== id))))));
      for (const item of items) {
        const row = space.indexOf.get(item.id)!;
        const drops = ids.map((id, i) => ({ id, drop: base[row]! - deleted[i]![row]! }));
        const top = drops.reduce((a, b) => (b.drop > a.drop ? b : a));
        const why = item.why;
        assert.deepEqual(await ranker.explain(history, item.id, 10), why, `${item.id}: explain() and the list give one reason`);
        if (why.kind === 'similar') {
          named++;
          const mine = drops.find((d) => d.id === why.itemId)!;
          assert.ok(mine.drop >= top.drop - 1e-4, `${item.id}: names ${why.title} (drop ${mine.drop}), but deleting ${top.id} drops ${top.drop}`);
          assert.match(why.text, /^Because you (liked|bought|added|rated|clicked|viewed) “/);
          assert.match(why.text, / — (both .+|often chosen by people who (liked|bought|added|looked at) it( to their cart)?)$/);
        } else {
          // Only when the largest contributor is not something the shopper pulled towards (a
          // panned film whose deletion lowers the score cannot be "because you liked").
          const pulled = history.some((e) => e.itemId === top.id && (e.type !== 'rating' || (e.value ?? 0) > 3));
          assert.ok(top.drop <= 1e-4 || !pulled, `${item.id}: says "history as a whole" though deleting ${top.id} drops ${top.drop}`);
        }
      }
    }
    assert.ok(named >= 10, `${named} of 20 reasons name an item`);
  } finally {
    space.dispose();
  }
});

test('under the shipped blend, the item a reason names is the one whose deletion lowers the blended score most', async () => {
  await useNodeBackend('wasm');
  const catalog = JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.json'), 'utf8')) as CatalogItem[];
  const source = dirSource(join(ROOT, 'models/pulse-movielens'));
  const space = await loadThoughtSpace(source);
  const blend = await loadBlend(source);
  const ranker = ThoughtSpaceRanker.fromSpace(space, catalog, blend);
  assert.ok(ranker.blended);
  const index = buildBlendIndex(catalog, blend.ease);
  const byGenre = (genre: string, n: number, skip = 0) => catalog.filter((c) => c.categories.includes(genre)).sort((a, b) => (b.popularity ?? 0) - (a.popularity ?? 0)).slice(skip, skip + n);
  const histories: PulseEvent[][] = [
    byGenre('War', 5).map((c, i) => ({ type: 'rating', itemId: c.id, value: 5, ts: i })),
    [...byGenre('Animation', 3), ...byGenre('Horror', 3)].map((c, i) => ({ type: 'rating', itemId: c.id, value: i < 3 ? 5 : 1, ts: i })),
    [...byGenre('Comedy', 4, 5), ...byGenre('Crime', 4)].map((c, i) => ({ type: 'rating', itemId: c.id, value: 3.5 + (i % 4) / 2, ts: i })),
  ];
  // Independently of the ranker's batched path: one history at a time through the towers' own
  // query and scores on tfjs, then the pure blend of the shortened history.
  const blendedOf = async (history: PulseEvent[]) => {
    const s = await space.scores(await space.query(await space.encodeHistory(history)));
    return blendedScores(index, history, Float32Array.from(catalog, (c) => { const r = space.indexOf.get(c.id); return r === undefined ? -Infinity : s[r]!; }), blend.manifest.weights);
  };
  const rowOf = new Map(catalog.map((c, i) => [c.id, i] as const));
  try {
    let named = 0;
    for (const history of histories) {
      const { items } = await ranker.rank(history, 5, [], null, 10);
      const base = await blendedOf(history);
      const ids = [...new Set(history.map((e) => e.itemId))];
      const deleted = await Promise.all(ids.map((id) => blendedOf(history.filter((e) => e.itemId !== id))));
      for (const item of items) {
        const row = rowOf.get(item.id)!;
        assert.ok(Math.abs(item.score - base[row]!) < 1e-3, `${item.id}: ranked with ${item.score}, blended score ${base[row]}`);
        const drops = ids.map((id, i) => ({ id, drop: base[row]! - deleted[i]![row]! }));
        const top = drops.reduce((a, b) => (b.drop > a.drop ? b : a));
        const why = item.why;
        assert.deepEqual(await ranker.explain(history, item.id, 10), why, `${item.id}: explain() and the list give one reason`);
        if (why.kind === 'similar') {
          named++;
          const mine = drops.find((d) => d.id === why.itemId)!;
          assert.ok(mine.drop >= top.drop - 1e-3, `${item.id}: names ${why.title} (drop ${mine.drop}), but deleting ${top.id} drops ${top.drop}`);
        } else {
          const pulled = history.some((e) => e.itemId === top.id && (e.type !== 'rating' || (e.value ?? 0) > 3));
          assert.ok(top.drop <= 1e-3 || !pulled, `${item.id}: says "history as a whole" though deleting ${top.id} drops ${top.drop}`);
        }
      }
    }
    assert.ok(named >= 8, `${named} of 15 reasons name an item`);
  } finally {
    space.dispose();
  }
});
