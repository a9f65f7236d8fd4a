/**
 * Focused tastes: for five liked films that share one genre (the five most-rated of it, 5★ each),
 * how many of the personal top 10 share that genre — for the exported Thought Space alone (as the
 * worker ranks, unsteered) and blended with the worker's text scores (src/model/score-blend.ts;
 * the content ranker of src/core at the shipped popularity prior 0.1):
 *   npx tsx scripts/taste-focus.ts [--model models/pulse-movielens] [--weights 0,0.5,1,2]
 * A measurement, not a test: it prints one line per weight.
 */
import { parseArgs } from 'node:util';
import { itemSignals } from '../src/core/profile.ts';
import { buildRankingIndex, jsScorer, userVector } from '../src/core/ranker.ts';
import { topK } from '../src/core/topk.ts';
import { centerRows } from '../src/core/vector-math.ts';
import { DEFAULT_DATA } from '../src/eval/cli-args.ts';
import { loadEvalDataset } from '../src/eval/dataset-files.ts';
import { useNodeBackend } from '../src/model/node-backend.ts';
import { dirSource } from '../src/model/node-model-files.ts';
import { blendScores } from '../src/model/score-blend.ts';
import { loadThoughtSpace } from '../src/model/thought-space-loader.ts';

const { values } = parseArgs({ options: { model: { type: 'string', default: 'models/pulse-movielens' }, weights: { type: 'string', default: '0,0.5,1,2' } } });
const GENRES = ['Sci-Fi', 'Animation', 'War', 'Horror', 'Romance', 'Western', 'Crime', 'Children', 'Documentary', 'Musical'];
await useNodeBackend('wasm');
const data = await loadEvalDataset(DEFAULT_DATA);
const catalog = data.catalog;
const vectors = Float32Array.from(data.textVectors);
centerRows(vectors, data.textDims); // as the worker's text index
const index = buildRankingIndex(catalog, vectors, data.textDims);
const scorer = jsScorer(index);
const space = await loadThoughtSpace(dirSource(values.model!));
const byPopularity = [...catalog].sort((a, b) => (b.popularity ?? 0) - (a.popularity ?? 0));
console.log(`${values.model}: genre share of the top 10 for five liked films of one genre`);
for (const weight of values.weights!.split(',').map(Number)) {
  const counts: string[] = [];
  for (const genre of GENRES) {
    const liked = byPopularity.filter((m) => m.categories.includes(genre)).slice(0, 5);
    const events = liked.map((m, i) => ({ type: 'rating' as const, value: 5, itemId: m.id, ts: 1.4e12 + i * 1000 }));
    const spaceScores = await space.scores(await space.query(await space.encodeHistory(events), null));
    const byRow = Float32Array.from(catalog, (m) => {
      const row = space.indexOf.get(m.id);
      return row === undefined ? -Infinity : spaceScores[row]!;
    });
    const text = await scorer.score(userVector(itemSignals(events, 1.4e12 + 10_000), index)!, 0.1);
    const scores = weight === 0 ? byRow : blendScores(byRow, text, weight);
    const liked_ = new Set(liked.map((m) => m.id));
    const top = topK(scores, 10, (r) => liked_.has(catalog[r]!.id)).map((r) => catalog[r.index]!);
    counts.push(`${genre} ${top.filter((m) => m.categories.includes(genre)).length}`);
  }
  console.log(`text weight ${weight}: ${counts.join(', ')}`);
}
space.dispose();
