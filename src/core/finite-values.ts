/**
 * Load-time sanity for numbers that come from files: weights, vectors, scales. A corrupt or
 * hostile file can carry NaN or ±3e38 under a freshly recomputed hash; such values never
 * rank anything useful (NaN never wins a top-k slot, 3e38 overflows the first product to
 * ±Infinity), so they are refused at load with the file and tensor named. Platform-free.
 */

/**
 * Largest magnitude accepted in a loaded weight or vector value. The shipped Thought Space's
 * largest weight is 1.17 and its largest item-vector value 0.35; USE-lite rows are unit length.
 * 1e4 leaves four orders of magnitude for other trainings and stays far from float32 overflow
 * in a product over a few hundred dimensions.
 */
export const MAX_LOADED_MAGNITUDE = 1e4;

/** A number that is NaN, infinite or beyond MAX_LOADED_MAGNITUDE, in a named place. */
export class NonFiniteValueError extends Error {
  override name = 'NonFiniteValueError';
}

/** Index of the first value that is not finite or exceeds `bound` in magnitude; −1 when all are sane. */
export function firstInsaneValue(values: ArrayLike<number>, bound = MAX_LOADED_MAGNITUDE): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // Written so that NaN fails too (every comparison with NaN is false).
    if (!(v >= -bound && v <= bound)) return i;
  }
  return -1;
}

/** Throws NonFiniteValueError naming `what` and the first bad value's position. */
export function assertSaneValues(values: ArrayLike<number>, what: string, bound = MAX_LOADED_MAGNITUDE): void {
  const at = firstInsaneValue(values, bound);
  if (at < 0) return;
  const v = values[at]!;
  const problem = Number.isFinite(v) ? `${v}, beyond the ±${bound} a trained model stays within` : String(v);
  throw new NonFiniteValueError(`${what}: value ${at} of ${values.length} is ${problem} (a corrupt or foreign file)`);
}

/** How many of `scores` are not finite numbers (−Infinity marks "not rankable" and is allowed). */
export function countNonFiniteScores(scores: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s) || s === Number.POSITIVE_INFINITY) n++;
  }
  return n;
}
