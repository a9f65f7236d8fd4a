/**
 * Choosing α, how far the preference statement steers the query, from per-user validation
 * NDCG@10. Pure (no tfjs): the trainer and `--retune-alpha` share it.
 *
 * One-standard-error rule: the argmax of a sweep whose values differ by less than their noise
 * picks α by chance (the shipped model got α = 0 from a ±0.002 wobble, so the browser never
 * steered). Steering is what the rationale is for, so take the LARGEST α whose mean is not
 * worse than the best α's by more than one paired standard error of the per-user difference:
 * steer as much as costs nothing we can measure on these users.
 */
import { standardError } from '../eval/harness.ts';

export interface AlphaPoint {
  alpha: number;
  /** Mean validation NDCG@10 over the cases. */
  ndcg10: number;
  /** This α's mean minus the best α's (≤ 0). */
  delta: number;
  /** Standard error of the per-user difference with the best α (0 for the best itself). */
  se: number;
  /** Within one paired SE of the best: a candidate under the rule. */
  withinOneSe: boolean;
}

export interface AlphaSelection {
  rule: 'one-standard-error';
  /** The α of best mean (first of equals). */
  best: number;
  /** The α the rule chose. */
  alpha: number;
  cases: number;
  sweep: AlphaPoint[];
}

/**
 * `perUser[i]` holds NDCG@10 per validation case (same cases, same order) for `alphas[i]`.
 */
export function selectAlpha(alphas: readonly number[], perUser: readonly (readonly number[])[]): AlphaSelection {
  if (alphas.length === 0) throw new RangeError('selectAlpha: no α to choose from');
  if (perUser.length !== alphas.length) throw new RangeError(`selectAlpha: ${alphas.length} α values but ${perUser.length} result lists`);
  const cases = perUser[0]!.length;
  for (const [i, values] of perUser.entries()) {
    if (values.length !== cases) throw new RangeError(`selectAlpha: α=${alphas[i]} has ${values.length} cases, α=${alphas[0]} has ${cases}: not paired`);
  }
  const mean = (values: readonly number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  const means = perUser.map(mean);
  let bestIndex = 0;
  means.forEach((m, i) => {
    if (m > means[bestIndex]!) bestIndex = i;
  });
  const best = perUser[bestIndex]!;
  const sweep = alphas.map((alpha, i): AlphaPoint => {
    const diffs = perUser[i]!.map((v, u) => v - best[u]!);
    const delta = means[i]! - means[bestIndex]!;
    const se = i === bestIndex ? 0 : standardError(diffs);
    // The tiny tolerance keeps float noise in the means from excluding an exact tie.
    return { alpha, ndcg10: means[i]!, delta, se, withinOneSe: delta >= -se - 1e-12 };
  });
  const chosen = sweep.filter((p) => p.withinOneSe).reduce((a, b) => (b.alpha > a.alpha ? b : a));
  return { rule: 'one-standard-error', best: alphas[bestIndex]!, alpha: chosen.alpha, cases, sweep };
}

/** One log line: every α's mean, its paired SE against the best, and the choice. */
export function describeSelection(s: AlphaSelection): string {
  const points = s.sweep.map((p) => `α=${p.alpha}: ${p.ndcg10.toFixed(4)} (Δ ${p.delta >= 0 ? '+' : ''}${p.delta.toFixed(4)} ± ${p.se.toFixed(4)})`);
  return `${points.join(', ')} over ${s.cases} users; best α = ${s.best}; one-SE rule → α = ${s.alpha}`;
}
