import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWeights, encodeWeights } from './weights-file.ts';

test('weights round-trip: float32 exact, int8 within half a step, offsets aligned', () => {
  const tensors = {
    matrix: { shape: [3, 5], values: Float32Array.from({ length: 15 }, (_, i) => Math.sin(i) * 3) },
    bias: { shape: [3], values: Float32Array.from([0.1, -0.2, 1e-7]) },
  };
  const { entries, bytes } = encodeWeights(tensors, (name) => name === 'matrix');
  assert.ok(entries.every((e) => e.offset % 4 === 0));
  const back = decodeWeights(entries, bytes);
  assert.deepEqual([...back.bias!.values], [...tensors.bias.values]);
  const step = 3 / 127;
  back.matrix!.values.forEach((v, i) => assert.ok(Math.abs(v - tensors.matrix.values[i]!) <= step / 2 + 1e-6));
  assert.deepEqual(back.matrix!.shape, [3, 5]);
});

test('a truncated binary is an error naming the weight', () => {
  const { entries, bytes } = encodeWeights({ w: { shape: [4, 4], values: new Float32Array(16) } }, () => false);
  assert.throws(() => decodeWeights(entries, bytes.subarray(0, 10)), /weight "w"/);
});
