/**
 * Symmetric per-channel int8 quantisation of a row-major matrix: one float scale per slice
 * along `axis` (0 = per row, 1 = per column), zero point 0. Matches ONNX DequantizeLinear
 * with that `axis`: value = int8 × scale[channel].
 */
export interface Int8Matrix {
  values: Int8Array;
  scales: Float32Array;
}

export function quantizeInt8(values: Float32Array, shape: readonly number[], axis: 0 | 1): Int8Matrix {
  if (shape.length !== 2) throw new Error(`quantizeInt8: a matrix is needed, got [${shape.join(', ')}]`);
  const [rows, cols] = shape as [number, number];
  const channels = axis === 0 ? rows : cols;
  const maxAbs = new Float32Array(channels);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const channel = axis === 0 ? r : c;
      maxAbs[channel] = Math.max(maxAbs[channel]!, Math.abs(values[r * cols + c]!));
    }
  }
  // An all-zero channel keeps scale 1 so that dequantisation never divides by or multiplies 0/0.
  const scales = maxAbs.map((m) => (m > 0 ? m / 127 : 1));
  const out = new Int8Array(values.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const scale = scales[axis === 0 ? r : c]!;
      out[r * cols + c] = Math.max(-127, Math.min(127, Math.round(values[r * cols + c]! / scale)));
    }
  }
  return { values: out, scales: Float32Array.from(scales) };
}

export function dequantizeInt8(matrix: Int8Matrix, shape: readonly number[], axis: 0 | 1): Float32Array {
  const [rows, cols] = shape as [number, number];
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = matrix.values[r * cols + c]! * matrix.scales[axis === 0 ? r : c]!;
  }
  return out;
}
