/**
 * Load-time validation of a Thought Space: a binary whose numbers are NaN or ±3e38 is refused
 * even when its hash was recomputed to match, and the error names the file and the tensor.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NonFiniteValueError } from '../core/finite-values.ts';
import { loadThoughtSpace, type ModelSource } from './thought-space-loader.ts';
import { THOUGHT_SPACE_MANIFEST, type ThoughtSpaceManifest } from './thought-space-file.ts';
import { bytesHash } from './weights-file.ts';

const DIR = join(import.meta.dirname, '..', '..', 'models', 'pulse-movielens');

/** The shipped model, with `edit` applied to its weight binary and the hash recomputed. */
function tampered(edit: (bytes: Uint8Array, manifest: ThoughtSpaceManifest) => void): ModelSource {
  const manifest = JSON.parse(readFileSync(join(DIR, THOUGHT_SPACE_MANIFEST), 'utf8')) as ThoughtSpaceManifest;
  const bin = new Uint8Array(readFileSync(join(DIR, manifest.bin)));
  edit(bin, manifest);
  manifest.binHash = bytesHash(bin);
  return {
    json: async (name) => (name === THOUGHT_SPACE_MANIFEST ? manifest : JSON.parse(readFileSync(join(DIR, name), 'utf8'))),
    bytes: async (name) => (name === manifest.bin ? bin : new Uint8Array(readFileSync(join(DIR, name)))),
  };
}

function fillFloat32(value: number) {
  return (bytes: Uint8Array, manifest: ThoughtSpaceManifest) => {
    const entry = manifest.weights.find((w) => w.dtype === 'float32');
    assert.ok(entry, 'the shipped model has float32 tensors');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = entry.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) view.setFloat32(entry.offset + 4 * i, value, true);
  };
}

test('NaN weights with a matching hash are refused, naming the file and tensor', async () => {
  await assert.rejects(loadThoughtSpace(tampered(fillFloat32(Number.NaN))), (error: unknown) => {
    assert.ok(error instanceof NonFiniteValueError, String(error));
    assert.match(error.message, /thought-space\.bin "[^"]+": value 0 of \d+ is NaN/);
    return true;
  });
});

test('±3e38 weights with a matching hash are refused', async () => {
  await assert.rejects(loadThoughtSpace(tampered(fillFloat32(3e38))), NonFiniteValueError);
  await assert.rejects(loadThoughtSpace(tampered(fillFloat32(-3e38))), /beyond the ±10000/);
});
