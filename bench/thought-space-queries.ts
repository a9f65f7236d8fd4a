/**
 * The shipped Thought Space queried three ways on the leave-one-out (seed 1) validation and test cases,
 * through the worker's loader: behaviour only, steered by the preference statement (the manifest's α, and
 * α = 0.3), and the rationale view alone (the `ratonly` ablation). Usage: tsx bench/thought-space-queries.ts [model dir]
 */
import { composePreference } from '../src/core/evidence-composer.ts';
import { loadEvalDataset } from '../src/eval/dataset-files.ts';
import { leaveOneOutSplit } from '../src/eval/split.ts';
import { dirSource } from '../src/model/node-model-files.ts';
import { loadThoughtSpace } from '../src/model/thought-space-loader.ts';
import { fullRank, ndcgAt } from '../src/eval/metrics.ts';
import { TextVectorCache } from '../src/train/text-vector-cache.ts';
import { ensureTrainingBackend } from '../src/train/training-backend.ts';
await ensureTrainingBackend();
const data = await loadEvalDataset({ interactions: process.env.RATINGS ?? '../shared/data/movielens-small/ratings.csv', catalog: 'public/catalog/movielens.json' });
const split = leaveOneOutSplit(data.interactions, 1);
const space = await loadThoughtSpace(dirSource(process.argv[2] ?? 'models/pulse-movielens'));
const ctx = { catalog: data.catalog, indexOf: data.indexOf, textVectors: data.textVectors, textDims: data.textDims };
for (const [name, cases] of [['validation', split.validation], ['test', split.test]] as const) {
  const prefs = await new TextVectorCache().encode(cases.map((c) => composePreference(c.history, ctx)));
  const sums = { behaviour: 0, steered: 0, alpha03: 0, rationaleOnly: 0 };
  for (const [i, c] of cases.entries()) {
    const b = await space.encodeHistory(c.history);
    const r = await space.encodeRationale(prefs.subarray(i * 512, (i + 1) * 512));
    const seen = new Set(c.history.map((e) => space.indexOf.get(e.itemId)!));
    const t = space.indexOf.get(c.target.itemId)!;
    const n = async (q: Float32Array) => ndcgAt(fullRank(await space.scores(q), t, seen), 10);
    sums.behaviour += await n(await space.query(b, null));
    sums.steered += await n(await space.query(b, r));
    sums.alpha03 += await n(await space.query(b, r, 0.3));
    sums.rationaleOnly += await n(r);
  }
  console.log(name, 'alpha', space.manifest.alpha, Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, +(v / cases.length).toFixed(4)])));
}
