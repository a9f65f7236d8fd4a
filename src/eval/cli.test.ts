import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeItemVectors } from '../core/item-vectors.ts';
import type { CatalogItem } from '../core/types.ts';

const run = promisify(execFile);

test('npm run eval end to end: files in, markdown/JSON/SVG out, skipped rows reported', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-eval-cli-'));
  try {
    const catalog: CatalogItem[] = Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, title: `M${i}`, text: `movie ${i}`, categories: [], year: 2000 }));
    const vectors = Float32Array.from({ length: 12 * 4 }, (_, k) => ((k * 7919) % 13) / 13 - 0.5);
    const { manifest, bytes } = encodeItemVectors(catalog, vectors, { dims: 4, model: 'test', bin: 'c.vectors.bin' });
    await writeFile(join(dir, 'c.json'), JSON.stringify(catalog));
    await writeFile(join(dir, 'c.vectors.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'c.vectors.bin'), bytes);
    const rows = ['userId,movieId,rating,timestamp'];
    for (let u = 0; u < 6; u++) for (let t = 0; t < 5; t++) rows.push(`${u},m${(u + 2 * t) % 12},${1 + ((u + t) % 5)},${1_400_000_000 + u * 1000 + t}`);
    rows.push('5,unknown,4,1400009999');
    await writeFile(join(dir, 'r.csv'), rows.join('\n') + '\n');
    const out = join(dir, 'out');
    const { stdout, stderr } = await run(process.execPath, [
      '--import', 'tsx', 'src/eval/cli.ts',
      '--interactions', join(dir, 'r.csv'), '--catalog', join(dir, 'c.json'),
      '--models', 'pop,content', '--seeds', '1,2', '--out', out,
    ]);
    assert.match(stdout, /\| pop \|/);
    assert.match(stderr, /skipped 1 row\(s\): item not in the catalog \(e\.g\. line 32\)/);
    const json = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
    assert.deepEqual(json.summaries.map((s: { model: string }) => s.model), ['pop', 'content']);
    assert.equal(json.runsBySeed.length, 2);
    // After seed 1 of 2 a partial report was written; the finished run removes it.
    assert.match(stderr, /seeds 1 done: wrote .*partial/);
    await assert.rejects(readFile(join(out, 'partial', 'results.md'), 'utf8'), /ENOENT/);
    assert.equal(json.summaries[0].cases, 6);
    assert.match(await readFile(join(out, 'results.md'), 'utf8'), /mean ± std over 2 seeds/);
    assert.match(await readFile(join(out, 'ndcg10.svg'), 'utf8'), /<svg/);
    await assert.rejects(run(process.execPath, ['--import', 'tsx', 'src/eval/cli.ts', '--catalog', 'x', '--out', out]), /no such file or directory, open 'x'/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
