import { standardError, type ModelRun } from './harness.ts';
import { ndcgAt } from './metrics.ts';

/**
 * Mean ± sample standard deviation (n − 1) of every number a model reported, over seeds.
 * With one seed the std is 0 and reports say "1 seed".
 */
export interface Stat {
  mean: number;
  std: number;
}

export interface ModelSummary {
  model: string;
  seeds: number;
  cases: number;
  full: Record<string, Stat>;
  sampled100: Record<string, Stat>;
  sampled20: Record<string, Stat>;
  sampled5: Record<string, Stat>;
  /**
   * Paired comparison with the model of best mean NDCG@10: per seed, the mean over test cases of
   * (this model's NDCG@10 − the best's) and its standard error; then averaged over seeds.
   * |delta| < 2·se means the two are not told apart on these users.
   */
  versusBest: { model: string; delta: number; se: number };
  /** Mean over seeds of each run's standard error over cases. */
  standardError: { 'NDCG@10': number; 'HR@10': number };
  coverage10: Stat;
  popularity10: Stat;
  fitMs: Stat;
  scoreMs: Stat;
  /** Fit and score time over the reference model's (sasrec when present, else pop). */
  fitRatio: number;
  scoreRatio: number;
  chosen: unknown[];
}

export function stat(values: readonly number[]): Stat {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(variance) };
}

function statRecord(records: readonly Record<string, number>[]): Record<string, Stat> {
  const keys = Object.keys(records[0] ?? {});
  return Object.fromEntries(keys.map((k) => [k, stat(records.map((r) => r[k]!))]));
}

/** The timing reference: SASRec when it ran, else MostPopular, else the first model. */
export function referenceModel(models: readonly string[]): string {
  return models.includes('sasrec') ? 'sasrec' : models.includes('pop') ? 'pop' : models[0]!;
}

function pairedVersus(runsBySeed: readonly (readonly ModelRun[])[], model: string, best: string): ModelSummary['versusBest'] {
  const perSeed = runsBySeed.map((runs) => {
    const a = runs.find((r) => r.model === model)!.ranks;
    const b = runs.find((r) => r.model === best)!.ranks;
    const diffs = a.map((r, i) => ndcgAt(r, 10) - ndcgAt(b[i]!, 10));
    return { delta: stat(diffs).mean || 0, se: standardError(diffs) };
  });
  return { model: best, delta: stat(perSeed.map((p) => p.delta)).mean, se: stat(perSeed.map((p) => p.se)).mean };
}

/** `runsBySeed[s]` = every model's run for seed s, models in the same order each time. */
export function summarize(runsBySeed: readonly (readonly ModelRun[])[]): ModelSummary[] {
  const models = (runsBySeed[0] ?? []).map((r) => r.model);
  const summaries = models.map((model): ModelSummary => {
    const runs = runsBySeed.map((seedRuns) => {
      const run = seedRuns.find((r) => r.model === model);
      if (!run) throw new Error(`model ${model} is missing from a seed's runs`);
      return run;
    });
    return {
      model,
      seeds: runs.length,
      cases: Math.round(stat(runs.map((r) => r.cases)).mean),
      full: statRecord(runs.map((r) => r.full)),
      sampled100: statRecord(runs.map((r) => r.sampled100)),
      sampled20: statRecord(runs.map((r) => r.sampled20)),
      // Runs written before the 1 + 4 protocol existed have none.
      sampled5: statRecord(runs.map((r) => r.sampled5 ?? {})),
      standardError: {
        'NDCG@10': stat(runs.map((r) => r.standardError['NDCG@10'])).mean,
        'HR@10': stat(runs.map((r) => r.standardError['HR@10'])).mean,
      },
      coverage10: stat(runs.map((r) => r.coverage10)),
      popularity10: stat(runs.map((r) => r.popularity10)),
      fitMs: stat(runs.map((r) => r.fitMs)),
      scoreMs: stat(runs.map((r) => r.scoreMs)),
      fitRatio: NaN,
      scoreRatio: NaN,
      versusBest: { model, delta: 0, se: 0 },
      chosen: runs.map((r) => r.chosen ?? null),
    };
  });
  const best = summaries.reduce((a, b) => ((b.full['NDCG@10']?.mean ?? -1) > (a.full['NDCG@10']?.mean ?? -1) ? b : a), summaries[0]!);
  for (const s of summaries) s.versusBest = pairedVersus(runsBySeed, s.model, best.model);
  const reference = summaries.find((s) => s.model === referenceModel(models));
  for (const s of summaries) {
    s.fitRatio = reference ? s.fitMs.mean / reference.fitMs.mean : NaN;
    s.scoreRatio = reference ? s.scoreMs.mean / reference.scoreMs.mean : NaN;
  }
  return summaries;
}
