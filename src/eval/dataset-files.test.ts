import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeItemVectors } from '../core/item-vectors.ts';
import type { CatalogItem } from '../core/types.ts';
import { loadEvalDataset } from './dataset-files.ts';

const item = (id: string): CatalogItem => ({ id, title: `T${id}`, text: `text ${id}`, categories: [], year: null });

async function withFiles(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-eval-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeVectors(dir: string, items: CatalogItem[], vectors: number[]): Promise<void> {
  const { manifest, bytes } = encodeItemVectors(items, Float32Array.from(vectors), { dims: 2, model: 'test', bin: 'c.vectors.bin' });
  await writeFile(join(dir, 'c.vectors.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'c.vectors.bin'), bytes);
}

test('vectors are aligned to catalog order whatever the file order; unknown items are skipped and reported', async () => {
  await withFiles(async (dir) => {
    await writeFile(join(dir, 'c.json'), JSON.stringify([item('a'), item('b')]));
    await writeVectors(dir, [item('b'), item('a')], [0, 1, 1, 0]); // file rows: b = (0, 1), a = (1, 0)
    await writeFile(join(dir, 'r.csv'), 'userId,movieId,rating,timestamp\n1,a,4,100\n1,zzz,3,101\n1,b,5,102\n');
    const data = await loadEvalDataset({ interactions: join(dir, 'r.csv'), catalog: join(dir, 'c.json') });
    assert.deepEqual([...data.textVectors].map((v) => Math.round(v)), [1, 0, 0, 1]);
    assert.equal(data.textDims, 2);
    assert.deepEqual(data.interactions.map((e) => e.itemId), ['a', 'b']);
    assert.deepEqual(data.skipped, [{ reason: 'item not in the catalog', count: 1, lines: [3] }]);
  });
});

test('a catalog item without an up-to-date vector stops the run, naming it', async () => {
  await withFiles(async (dir) => {
    await writeFile(join(dir, 'c.json'), JSON.stringify([item('a'), { ...item('b'), text: 'changed' }]));
    await writeVectors(dir, [item('a'), item('b')], [1, 0, 0, 1]);
    await writeFile(join(dir, 'r.csv'), 'user,item,timestamp\n1,a,100\n');
    await assert.rejects(loadEvalDataset({ interactions: join(dir, 'r.csv'), catalog: join(dir, 'c.json') }), /1 catalog item\(s\) have no up-to-date vector \(e\.g\. b\)/);
  });
});

test('a CSV feed loads as a catalog (title → text); with --vectors it embeds nothing', async () => {
  await withFiles(async (dir) => {
    await writeFile(join(dir, 'items.csv'), 'item,title,categories\na,Alpha,\nb,Beta,x|y\n');
    const items: CatalogItem[] = [
      { id: 'a', title: 'Alpha', text: 'Alpha.', categories: [], year: null },
      { id: 'b', title: 'Beta', text: 'Beta. Categories: x, y.', categories: ['x', 'y'], year: null },
    ];
    await writeVectors(dir, items, [1, 0, 0, 1]);
    await writeFile(join(dir, 'i.csv'), 'user,item,timestamp\nu1,a,1405296000\nu1,b,1405296000\nu1,zz,1405296000\n');
    const data = await loadEvalDataset({ interactions: join(dir, 'i.csv'), catalog: join(dir, 'items.csv'), vectors: join(dir, 'c.vectors.json') });
    assert.deepEqual(data.catalog, items);
    assert.deepEqual([...data.textVectors], [1, 0, 0, 1]);
    assert.equal(data.interactions.length, 2);
    assert.equal(data.interactions[0]!.type, 'purchase');
    assert.deepEqual(data.skipped.map((s) => s.count), [1]);
  });
});
