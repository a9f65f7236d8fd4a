import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge } from './train-space.ts';

const baselines = [
  { model: 'pop', ndcg10: 0.1559 },
  { model: 'itemknn', ndcg10: 0.509 },
  { model: 'content', ndcg10: 0.4356 },
];

test('the Thought Space is used when it beats text similarity, the ranker the page has without it', () => {
  const verdict = judge(0.4915, baselines);
  assert.equal(verdict.use, true);
  assert.equal(verdict.verdict, 'test NDCG@10: pulse 0.4915, pop 0.1559, itemknn 0.5090, content 0.4356 — the Thought Space beats text similarity, so the page uses it; itemknn is stronger on these logs but does not run in the page');
});

test('a Thought Space that loses to text similarity is not used, and the build says so', () => {
  const verdict = judge(0.4, baselines);
  assert.equal(verdict.use, false);
  assert.match(verdict.verdict, /does not beat text similarity \(content\), so pulse\.config\.json keeps text similarity/);
});

test('a malformed or foreign log stops before any training, naming the file and line', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { trainShopThoughtSpace } = await import('./train-space.ts');
  const dir = mkdtempSync(join(tmpdir(), 'pulse-logs-'));
  writeFileSync(join(dir, 'catalog.json'), JSON.stringify([{ id: 'k01' }, { id: 'k02' }]));
  const run = (log: string) => {
    writeFileSync(join(dir, 'logs.csv'), log);
    const lines: string[] = [];
    return { lines, done: trainShopThoughtSpace({ logs: join(dir, 'logs.csv'), catalog: join(dir, 'catalog.json'), vectors: join(dir, 'none.json'), out: join(dir, 'out'), minutes: 1, log: (l) => lines.push(l) }) };
  };
  await assert.rejects(run('user,item,timestamp\nu1,k01,1700000000\nu1,k02\n').done, /logs\.csv: line 3: 2 fields, the header has 3$/);
  const foreign = run('user,item,timestamp\nu1,zz,1700000000\n');
  await assert.rejects(foreign.done, /logs\.csv: no interaction names a product of this feed$/);
  assert.match(foreign.lines[0]!, /skipped 1 row\(s\): item not in the catalog \(lines 2\)/);
});
