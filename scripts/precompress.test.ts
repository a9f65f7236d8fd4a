import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { precompressDir } from './precompress.ts';

test('compressible files get .br and .gz copies that decode to the original; noise and tiny files do not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'precompress-'));
  try {
    mkdirSync(join(dir, 'pulse', 'assets'), { recursive: true });
    const script = Buffer.from('export const words = ['.concat(Array.from({ length: 2000 }, (_, i) => `"w${i % 50}"`).join(','), '];'));
    writeFileSync(join(dir, 'pulse', 'assets', 'worker-abc.js'), script);
    writeFileSync(join(dir, 'noise.bin'), randomBytes(64 * 1024));
    writeFileSync(join(dir, 'tiny.json'), '{"a":1}');
    const summary = await precompressDir(dir);
    const js = join(dir, 'pulse', 'assets', 'worker-abc.js');
    assert.deepEqual(brotliDecompressSync(readFileSync(`${js}.br`)), script);
    assert.deepEqual(gunzipSync(readFileSync(`${js}.gz`)), script);
    assert.equal(existsSync(join(dir, 'noise.bin.br')) || existsSync(join(dir, 'noise.bin.gz')), false, 'random bytes do not compress');
    assert.equal(existsSync(join(dir, 'tiny.json.gz')), false);
    assert.equal(summary.files, 1);
    assert.equal(summary.rawBytes, script.length);
    // A second run neither compresses the copies again nor fails on them.
    await precompressDir(dir);
    assert.equal(existsSync(`${js}.br.br`) || existsSync(`${js}.gz.gz`), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
