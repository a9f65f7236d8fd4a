import { seededRandom } from '../core/random.ts';
import { topK } from '../core/topk.ts';
import type { CatalogItem } from '../core/types.ts';
import { beyondAccuracy, fullRank, hitAt, ndcgAt, rankMetrics, sampledRank } from './metrics.ts';
import { drawNegatives } from './negatives.ts';
import type { EvalCase, Recommender, TrainContext } from './recommender.ts';
import type { Split } from './split.ts';
import { buildTrainMatrix, historyIndices } from './train-matrix.ts';

/**
 * One evaluation run: every model fitted on the same split, scored on the same test cases,
 * judged by the same rules (metrics.ts) against the same sampled negatives.
 */
export interface HarnessData {
  catalog: readonly CatalogItem[];
  indexOf: ReadonlyMap<string, number>;
  textVectors: Float32Array;
  textDims: number;
}

export interface ModelRun {
  model: string;
  /** Full ranking over all items the user has not interacted with before the target. */
  full: Record<string, number>;
  /** 1 positive + 99 random unseen negatives. */
  sampled100: Record<string, number>;
  /** 1 positive + 19 random unseen negatives. */
  sampled20: Record<string, number>;
  /** 1 positive + 4 random unseen negatives: the PULSE paper's protocol (HR@1 of 5 candidates). */
  sampled5: Record<string, number>;
  /**
   * Standard error of the full-ranking NDCG@10 and HR@10 means over this run's cases
   * (std / √cases): the sampling noise of the user set, which seeds do not show.
   */
  standardError: { 'NDCG@10': number; 'HR@10': number };
  /** Share of the catalog in at least one top-10 list. */
  coverage10: number;
  /** Mean training interaction count of a top-10 item. */
  popularity10: number;
  fitMs: number;
  scoreMs: number;
  cases: number;
  /** Full-ranking rank of each test case's target, in split.test order: for paired comparisons. */
  ranks: number[];
  /** What the model chose on validation, when it tunes (e.g. {neighbours: 100, shrink: 10}). */
  chosen?: unknown;
}

export interface HarnessOptions {
  seed: number;
  log?: (line: string) => void;
  /** Cases per score() call: bounds memory (cases × catalog floats). Default 128. */
  batchSize?: number;
}

const SAMPLED_HITS = [1, 5, 10];
const SAMPLED_NDCG = [5, 10];

/** What every model is fitted on: `split`'s training and validation events, and the catalog. */
export function trainContext(data: HarnessData, split: Split, seed: number, log: (line: string) => void): TrainContext {
  const counts = buildTrainMatrix({ catalog: data.catalog, indexOf: data.indexOf, train: split.train }).counts;
  // Models see popularity as of training time only: the catalog's own field may count test events.
  const catalog = data.catalog.map((item, i) => ({ ...item, popularity: counts[i]! }));
  return { catalog, indexOf: data.indexOf, train: split.train, validation: split.validation, textVectors: data.textVectors, textDims: data.textDims, seed, log };
}

/** Every model's result on `split.test`; models come as factories so each run starts fresh. */
export async function evaluateModels(
  data: HarnessData,
  split: Split,
  models: readonly { name: string; create: () => Recommender }[],
  options: HarnessOptions,
): Promise<ModelRun[]> {
  const log = options.log ?? (() => {});
  const batchSize = options.batchSize ?? 128;
  const shared = trainContext(data, split, options.seed, (line) => log(`  ${line}`));
  const catalog = shared.catalog;
  // Training-time popularity, as trainContext set it on the catalog.
  const counts = Float32Array.from(catalog, (item) => item.popularity ?? 0);
  const targets = split.test.map((c) => targetIndex(c, data.indexOf));
  const masks = split.test.map((c) => historyIndices(c, data.indexOf));
  const random = seededRandom(options.seed ^ 0x99);
  const negatives = split.test.map((_, i) => drawNegatives(catalog.length, 99, new Set([...masks[i]!, targets[i]!]), random));
  const runs: ModelRun[] = [];
  for (const { name, create } of models) {
    const model = create();
    const context: TrainContext = { ...shared };
    log(`${name}: fitting on ${split.train.size} users' training events`);
    const t0 = performance.now();
    await model.fit(context);
    const fitMs = performance.now() - t0;
    const full: number[] = [];
    const s100: number[] = [];
    const s20: number[] = [];
    const s5: number[] = [];
    const tops: number[][] = [];
    let scoreMs = 0;
    for (let start = 0; start < split.test.length; start += batchSize) {
      const batch = split.test.slice(start, start + batchSize);
      const t1 = performance.now();
      const scores = await model.score(batch);
      scoreMs += performance.now() - t1;
      if (scores.length !== batch.length) throw new Error(`${name}: score() returned ${scores.length} arrays for ${batch.length} cases`);
      scores.forEach((s, b) => {
        const i = start + b;
        if (s.length !== catalog.length) throw new Error(`${name}: ${s.length} scores for a catalog of ${catalog.length}`);
        full.push(fullRank(s, targets[i]!, masks[i]!));
        s100.push(sampledRank(s, targets[i]!, negatives[i]!));
        s20.push(sampledRank(s, targets[i]!, negatives[i]!.subarray(0, 19)));
        s5.push(sampledRank(s, targets[i]!, negatives[i]!.subarray(0, 4)));
        const masked = new Set(masks[i]!);
        tops.push(topK(s, 10, (j) => masked.has(j)).map((r) => r.index));
      });
    }
    const beyond = beyondAccuracy(tops, catalog.length, counts);
    const run: ModelRun = {
      model: name,
      full: rankMetrics(full),
      sampled100: rankMetrics(s100, { hits: SAMPLED_HITS, ndcg: SAMPLED_NDCG }),
      sampled20: rankMetrics(s20, { hits: SAMPLED_HITS, ndcg: SAMPLED_NDCG }),
      sampled5: rankMetrics(s5, { hits: [1, 3], ndcg: [] }),
      standardError: { 'NDCG@10': standardError(full.map((r) => ndcgAt(r, 10))), 'HR@10': standardError(full.map((r) => hitAt(r, 10))) },
      coverage10: beyond.coverage,
      popularity10: beyond.meanPopularity,
      fitMs,
      scoreMs,
      cases: split.test.length,
      ranks: full,
    };
    const chosen = (model as { chosen?: unknown }).chosen;
    if (chosen !== undefined && chosen !== null) run.chosen = chosen;
    log(`${name}: NDCG@10 ${run.full['NDCG@10']!.toFixed(4)}, HR@10 ${run.full['HR@10']!.toFixed(4)} (fit ${(fitMs / 1000).toFixed(1)} s, score ${(scoreMs / 1000).toFixed(1)} s)`);
    runs.push(run);
  }
  return runs;
}

export function standardError(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) / n);
}

function targetIndex(c: EvalCase, indexOf: ReadonlyMap<string, number>): number {
  const index = indexOf.get(c.target.itemId);
  if (index === undefined) throw new RangeError(`test target "${c.target.itemId}" (user ${c.user}) is not in the catalog`);
  return index;
}
