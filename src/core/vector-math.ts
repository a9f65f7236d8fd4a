/** Dense row-major vector helpers shared by the worker and Node commands. */

export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dims: number): number {
  let s = 0;
  for (let i = 0; i < dims; i++) s += a[aOffset + i]! * b[bOffset + i]!;
  return s;
}

/** Scales `v` in place to unit length; a zero vector stays zero. Returns the original norm. */
export function normalize(v: Float32Array, offset = 0, dims = v.length): number {
  const norm = Math.sqrt(dot(v, offset, v, offset, dims));
  if (norm > 0) for (let i = 0; i < dims; i++) v[offset + i]! /= norm;
  return norm;
}

/**
 * Subtracts the catalog mean from every row and re-normalises, in place.
 * Why: sentence-encoder vectors of one catalog share a large common direction (every item
 * reads "Title (year). Genres: …"), which squeezes all cosines into a narrow band; centring
 * spreads them so that what differs between items decides the ranking.
 */
export function centerRows(matrix: Float32Array, dims: number): Float32Array {
  const rows = matrix.length / dims;
  const mean = new Float32Array(dims);
  for (let r = 0; r < rows; r++) for (let i = 0; i < dims; i++) mean[i]! += matrix[r * dims + i]!;
  for (let i = 0; i < dims; i++) mean[i]! /= Math.max(1, rows);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < dims; i++) matrix[r * dims + i]! -= mean[i]!;
    normalize(matrix, r * dims, dims);
  }
  return mean;
}
