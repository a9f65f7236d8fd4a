import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dequantizeInt8, quantizeInt8 } from './int8-quantize.ts';

test('per-column int8 round trip is within half a step of each column’s own scale', () => {
  // Column 0 is tiny, column 1 large: one shared scale would flatten column 0 to zero.
  const values = Float32Array.from([0.001, 10, -0.002, -20, 0.0005, 5]);
  const q = quantizeInt8(values, [3, 2], 1);
  assert.deepEqual(Array.from(q.scales, (s) => Number(s.toPrecision(4))), [0.002 / 127, 20 / 127].map((s) => Number(s.toPrecision(4))));
  const back = dequantizeInt8(q, [3, 2], 1);
  values.forEach((v, i) => assert.ok(Math.abs(back[i]! - v) <= q.scales[i % 2]! / 2 + 1e-9, `value ${i}: ${back[i]} vs ${v}`));
  assert.ok(Math.abs(back[0]!) > 0, 'the small column keeps its information');
});

test('per-row quantisation and all-zero rows', () => {
  const values = Float32Array.from([0, 0, 0, 1, -0.5, 0.25]);
  const q = quantizeInt8(values, [2, 3], 0);
  assert.equal(q.scales[0], 1, 'a zero row keeps scale 1 rather than 0');
  assert.deepEqual(Array.from(q.values), [0, 0, 0, 127, -64, 32]);
});
