import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Degradation } from '../client/api.ts';
import { buildRankingIndex, jsScorer } from '../core/ranker.ts';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { RankingChain, type TextRanker } from './ranking-chain.ts';

const items: CatalogItem[] = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, title: id.toUpperCase(), text: id, categories: [], year: 2000, popularity: [5, 50, 0, 20][i]! }));
const liked: PulseEvent[] = [{ type: 'rating', itemId: 'a', value: 5, ts: Date.now() }];
// a and b close, c and d close: liking a should bring b first.
const vectors = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9]);
const text = (): TextRanker => {
  const index = buildRankingIndex(items, vectors, 2);
  return { index, scorer: jsScorer(index) };
};

function chain(load: () => Promise<TextRanker>, catalog = items) {
  const problems: Degradation[] = [];
  const loads = { count: 0 };
  const c = new RankingChain({
    catalog: buildRankingIndex(catalog, new Float32Array(0), 0),
    space: null,
    text: () => {
      loads.count++;
      return load();
    },
    degrade: (problem) => problems.push(problem),
  });
  return { c, problems, loads };
}

test('text similarity ranks a personal history; a cold start never loads it', async () => {
  const { c, loads } = chain(async () => text());
  const cold = await c.rank([], { k: 2, exclude: [], rationaleVector: null }, false);
  assert.equal(cold.ranker, 'popularity');
  assert.deepEqual(cold.items.map((i) => i.id), ['b', 'd']);
  assert.equal(loads.count, 0);
  const warm = await c.rank(liked, { k: 1, exclude: [], rationaleVector: null }, false);
  assert.equal(warm.ranker, 'text-similarity');
  assert.deepEqual(warm.items.map((i) => i.id), ['b']);
  assert.equal(c.best(), 'text-similarity');
});

test('text similarity that cannot load is reported once and popularity ranks', async () => {
  const { c, problems, loads } = chain(() => Promise.reject(new Error('/catalog/x.vectors.json: HTTP 500')));
  for (let i = 0; i < 2; i++) {
    const r = await c.rank(liked, { k: 2, exclude: [], rationaleVector: null }, false);
    assert.equal(r.ranker, 'popularity');
    assert.deepEqual(r.items.map((item) => item.id), ['b', 'd'], 'the liked item is excluded');
  }
  assert.equal(loads.count, 1);
  assert.deepEqual(problems, [{ component: 'text-similarity', reason: '/catalog/x.vectors.json: HTTP 500; lists rank by popularity instead' }]);
  assert.equal(c.best(), 'popularity');
  assert.deepEqual(await c.explain(liked, 'c'), { kind: 'popular', text: 'Popular in this shop' });
});

test('NaN scores drop text similarity for popularity instead of an empty list', async () => {
  const { c, problems } = chain(async () => ({ ...text(), scorer: { score: async () => { throw new (await import('../core/finite-values.ts')).NonFiniteValueError('text similarity scored 4 of 4 items NaN'); } } }));
  const r = await c.rank(liked, { k: 3, exclude: [], rationaleVector: null }, false);
  assert.equal(r.ranker, 'popularity');
  assert.equal(r.items.length, 3);
  assert.match(problems[0]!.reason, /NaN; lists rank by popularity instead/);
});

test('without popularity figures the last link is catalog order', async () => {
  const bare = items.map(({ popularity: _, ...item }) => item);
  const { c } = chain(() => Promise.reject(new Error('none')), bare);
  assert.equal(c.hasPopularity, false);
  const r = await c.rank(liked, { k: 3, exclude: [], rationaleVector: null }, false);
  assert.equal(r.ranker, 'catalog-order');
  assert.deepEqual(r.items.map((i) => i.id), ['b', 'c', 'd']);
});
