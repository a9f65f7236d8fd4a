import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ItemVectorsError,
  decodeItemVectors,
  dequantizeVectors,
  encodeItemVectors,
  itemVectorsByteLength,
  planItemVectors,
  quantizeVectors,
  type ItemVectorsManifest,
} from './item-vectors.ts';

const DIMS = 8;

function randomVectors(count: number, dims: number, seed = 7): Float32Array {
  let s = seed;
  const out = new Float32Array(count * dims);
  for (let i = 0; i < out.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * (1 + (i % 5)); // rows with uneven ranges
  }
  return out;
}

const items = [
  { id: 'a', text: 'Toy Story (1995). Genres: Animation.' },
  { id: 'b', text: 'Heat (1995). Genres: Action, Crime.' },
  { id: 'c', text: 'Alien (1979). Genres: Horror, Sci-Fi.' },
];

function encoded() {
  return encodeItemVectors(items, randomVectors(items.length, DIMS), { dims: DIMS, model: 'use-lite', bin: 'x.vectors.bin' });
}

test('round trip stays within half a quantization step per element', () => {
  const f32 = randomVectors(50, 64);
  const q = quantizeVectors(f32, 64);
  const back = dequantizeVectors(q);
  for (let r = 0; r < 50; r++) {
    let max = 0;
    for (let d = 0; d < 64; d++) max = Math.max(max, Math.abs(f32[r * 64 + d]!));
    for (let d = 0; d < 64; d++) {
      const err = Math.abs(f32[r * 64 + d]! - back[r * 64 + d]!);
      assert.ok(err <= max / 254 + 1e-7, `row ${r} dim ${d}: error ${err} > ${max / 254}`);
    }
  }
});

test('an all-zero row survives as zeros; non-finite input is refused', () => {
  const q = quantizeVectors(new Float32Array(4), 4);
  assert.equal(q.scales[0], 0);
  assert.deepEqual(Array.from(dequantizeVectors(q)), [0, 0, 0, 0]);
  assert.throws(() => quantizeVectors(new Float32Array([0, NaN]), 2), ItemVectorsError);
  assert.throws(() => quantizeVectors(new Float32Array(5), 2), /rows of 2/);
});

test('encode → decode gives the quantized vectors back, with the byte layout documented', () => {
  const f32 = randomVectors(items.length, DIMS);
  const { manifest, bytes } = encodeItemVectors(items, f32, { dims: DIMS, model: 'use-lite', bin: 'x.bin' });
  assert.equal(bytes.byteLength, itemVectorsByteLength(3, DIMS));
  assert.equal(bytes.byteLength, 3 * 4 + 3 * DIMS);
  // Layout: scales (float32 LE) first, then int8 rows.
  const view = new DataView(bytes.buffer);
  const q = quantizeVectors(f32, DIMS);
  assert.equal(view.getFloat32(4, true), q.scales[1]);
  assert.equal(view.getInt8(12 + DIMS + 3), q.values[DIMS + 3]);
  // Through JSON, as a device would read it.
  const decoded = decodeItemVectors(JSON.parse(JSON.stringify(manifest)), bytes.slice().buffer);
  assert.equal(decoded.count, 3);
  assert.equal(decoded.dims, DIMS);
  assert.deepEqual(Array.from(decoded.vectors), Array.from(dequantizeVectors(q)));
  assert.deepEqual(decoded.manifest.ids, ['a', 'b', 'c']);
});

test('a short or corrupt binary is rejected with a clear message', () => {
  const { manifest, bytes } = encoded();
  assert.throws(() => decodeItemVectors(manifest, bytes.subarray(0, bytes.length - 1)), (e: unknown) => {
    assert.ok(e instanceof ItemVectorsError);
    assert.match(e.message, /is 35 bytes; 3 rows × \(4 \+ 8\) need 36/);
    return true;
  });
  const flipped = bytes.slice();
  flipped[20] = flipped[20]! ^ 1;
  assert.throws(() => decodeItemVectors(manifest, flipped), /does not match its manifest/);
  const nanScale = bytes.slice();
  new DataView(nanScale.buffer).setFloat32(4, NaN, true);
  const { binHash: _ignored, ...noHash } = manifest;
  assert.throws(() => decodeItemVectors(noHash, nanScale), /row 1 \("b"\) has scale NaN/);
});

test('a manifest of the wrong kind is rejected with a clear message', () => {
  const { manifest, bytes } = encoded();
  const bad = (patch: Partial<Record<keyof ItemVectorsManifest, unknown>>) => ({ ...manifest, ...patch });
  assert.throws(() => decodeItemVectors(bad({ format: 'other' }), bytes), /not an item-vectors manifest/);
  assert.throws(() => decodeItemVectors(bad({ version: 2 }), bytes), /version 2 is not supported/);
  assert.throws(() => decodeItemVectors(bad({ dtype: 'float32' }), bytes), /dtype "float32"/);
  assert.throws(() => decodeItemVectors(bad({ dims: 0 }), bytes), /dims must be a positive integer/);
  assert.throws(() => decodeItemVectors(bad({ ids: ['a', 'b', 'a'] }), bytes), /ids\[2\] "a" duplicates ids\[0\]/);
  assert.throws(() => decodeItemVectors(bad({ textHashes: ['x'] }), bytes), /"textHashes" has 1 entries; count is 3/);
  assert.throws(() => decodeItemVectors(bad({ bin: '../secret.bin' }), bytes), /relative to the manifest/);
  assert.throws(() => decodeItemVectors(bad({ bin: 'file:///etc/passwd' }), bytes), /relative to the manifest/);
  assert.throws(() => decodeItemVectors(null, bytes), ItemVectorsError);
  assert.throws(
    () => encodeItemVectors([items[0]!, items[0]!], randomVectors(2, DIMS), { dims: DIMS, model: 'm', bin: 'b.bin' }),
    /duplicates/,
  );
});

test('plan: unchanged items come from the file; added, changed and removed items are handled', () => {
  const { manifest } = encoded();
  const catalog = [
    { id: 'c', text: items[2]!.text }, // unchanged, moved to the front
    { id: 'new', text: 'Added (2024).' }, // added
    { id: 'a', text: 'Toy Story (1995). Genres: Animation, Children.' }, // text changed
    // "b" removed: its row is simply unused
  ];
  const p = planItemVectors(catalog, manifest);
  assert.deepEqual([...p.fromFile], [[0, 2]]);
  assert.deepEqual(p.missing, [1, 2]);
  assert.deepEqual(planItemVectors(catalog, manifest, { model: 'another-model' }).missing, [0, 1, 2]);
  assert.equal(planItemVectors(items, manifest, { model: 'use-lite' }).fromFile.size, 3);
});
