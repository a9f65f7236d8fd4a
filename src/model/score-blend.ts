/**
 * Blending two rankers' full-catalog scores (the Thought Space and an item–item model): each
 * list is standardised (z-score over its finite entries) so a weight means the same thing
 * whatever the scales, then `a + weight · b`. Pure; the same code blends in evaluation and
 * wherever a blend is served. An item one ranker rules out (−∞) gets that ranker's lowest
 * finite standardised score, so the other ranker can still order it.
 */
export function standardize(scores: ArrayLike<number>): Float32Array {
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  let min = Infinity;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
  }
  const out = new Float32Array(scores.length);
  if (n === 0) return out;
  const mean = sum / n;
  const std = Math.sqrt(Math.max(sumSq / n - mean * mean, 0)) || 1;
  for (let i = 0; i < scores.length; i++) {
    const v = scores[i]!;
    out[i] = ((Number.isFinite(v) ? v : min) - mean) / std;
  }
  return out;
}

export function blendScores(a: ArrayLike<number>, b: ArrayLike<number>, weight: number): Float32Array {
  if (a.length !== b.length) throw new RangeError(`blend: ${a.length} scores vs ${b.length}`);
  const za = standardize(a);
  if (weight === 0) return za;
  const zb = standardize(b);
  for (let i = 0; i < za.length; i++) za[i]! += weight * zb[i]!;
  return za;
}
