import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ProtoWriter } from './protobuf-writer.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

test('varint fields encode as in the protobuf spec (field 1 = 150 → 08 96 01)', () => {
  assert.equal(hex(new ProtoWriter().int(1, 150).finish()), '089601');
});

test('negative int64 takes ten bytes of two’s complement', () => {
  assert.equal(hex(new ProtoWriter().int(3, -1).finish()), `18${'ff'.repeat(9)}01`);
});

test('strings and nested messages are length-delimited', () => {
  assert.equal(hex(new ProtoWriter().string(2, 'testing').finish()), '120774657374696e67');
  const nested = new ProtoWriter().message(3, (w) => w.int(1, 150)).finish();
  assert.equal(hex(nested), '1a03089601');
});

test('floats are little-endian fixed32 and packed ints share one length prefix', () => {
  assert.equal(hex(new ProtoWriter().float(2, 1).finish()), '150000803f');
  assert.equal(hex(new ProtoWriter().packedInts(4, [3, 270, 86942]).finish()), '2206038e029ea705');
});
