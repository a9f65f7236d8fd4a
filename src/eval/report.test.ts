import { test } from 'node:test';
import assert from 'node:assert/strict';
import { standardError, type ModelRun } from './harness.ts';
import { markdownReport } from './report-markdown.ts';
import { svgChart } from './report-svg.ts';
import { summarize } from './summary.ts';

const run = (model: string, ndcg: number, fitMs: number): ModelRun => ({
  model,
  full: { 'HR@10': ndcg * 2, 'NDCG@10': ndcg },
  sampled100: { 'HR@10': 0.5 },
  sampled20: { 'HR@5': 0.7, 'HR@1': 0.3 },
  sampled5: { 'HR@1': 0.5, 'HR@3': 0.8 },
  standardError: { 'NDCG@10': 0.01, 'HR@10': 0.02 },
  coverage10: 0.1,
  popularity10: 50,
  fitMs,
  scoreMs: 10,
  cases: 4,
  ranks: [1, 3, 20, 2],
});

test('standard error of a mean, by hand', () => {
  // values 0,0,1,1: sample variance 1/3, SE = sqrt(1/3 / 4)
  assert.ok(Math.abs(standardError([0, 0, 1, 1]) - Math.sqrt(1 / 12)) < 1e-12);
  assert.equal(standardError([0.5]), 0);
});

test('summaries: mean ± sample std over seeds, times as ratios to pop when there is no sasrec', () => {
  const summaries = summarize([
    [run('pop', 0.02, 100), run('knn', 0.03, 1000)],
    [run('pop', 0.04, 100), run('knn', 0.05, 3000)],
  ]);
  const knn = summaries.find((s) => s.model === 'knn')!;
  assert.ok(Math.abs(knn.full['NDCG@10']!.mean - 0.04) < 1e-12);
  assert.ok(Math.abs(knn.full['NDCG@10']!.std - Math.SQRT2 * 0.01) < 1e-12);
  assert.equal(knn.fitRatio, 20);
  assert.equal(knn.versusBest.model, 'knn');
  assert.equal(summaries.find((s) => s.model === 'pop')!.versusBest.delta, 0, 'same ranks → no difference');
  const withSasrec = summarize([[run('pop', 0.02, 100), run('sasrec', 0.03, 400)]]);
  assert.equal(withSasrec.find((s) => s.model === 'pop')!.fitRatio, 0.25);
});

test('the markdown table and the SVG name every model and mark the best', () => {
  const summaries = summarize([[run('pop', 0.02, 100), run('knn', 0.03, 1000)]]);
  const md = markdownReport({ title: 'T', lines: ['a line'] }, summaries);
  assert.match(md, /\| knn \| .*\*\*0\.0300\*\*/);
  assert.match(md, /\| pop \| .*\| 0\.0200 \|/);
  assert.match(md, /fit ÷ pop/);
  assert.match(md, /HR@1 \(1\+4\)/);
  assert.match(md, /\| knn \| \*\*0\.5000\*\* \| 0\.8000 \|/);
  const svg = svgChart('t <1>', summaries);
  assert.match(svg, /^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal((svg.match(/<rect [^>]*><title>/g) ?? []).length, 4); // 2 models × 2 metrics
  assert.match(svg, /t &lt;1&gt;/);
});

test('paired comparison with the best model, by hand', () => {
  const a = { ...run('a', 0.3, 1), ranks: [1, 3] };
  const b = { ...run('b', 0.2, 1), ranks: [2, 20] };
  const [, sb] = summarize([[a, b]]);
  // NDCG@10 per case: a = [1, 0.5], b = [1/log2(3), 0] → differences b − a = [1/log2(3) − 1, −0.5].
  const d = [1 / Math.log2(3) - 1, -0.5];
  const mean = (d[0]! + d[1]!) / 2;
  assert.equal(sb!.versusBest.model, 'a');
  assert.ok(Math.abs(sb!.versusBest.delta - mean) < 1e-12);
  assert.ok(Math.abs(sb!.versusBest.se - Math.abs(d[0]! - d[1]!) / 2) < 1e-12); // n = 2: SE = |d0 − d1| / 2
});

test('results.json keeps number arrays on one line and parses back to the same value', async () => {
  const { resultsJson } = await import('./report-json.ts');
  const value = { a: [1, 2.5, -3e-7], b: [{ c: 'x', d: [4] }], e: [], f: ['s', 't'] };
  const text = resultsJson(value);
  assert.deepEqual(JSON.parse(text), value);
  assert.match(text, /"a": \[1,2\.5,-3e-7\]/);
  assert.match(text, /"d": \[4\]/);
  assert.match(text, /"f": \[\n/);
});
