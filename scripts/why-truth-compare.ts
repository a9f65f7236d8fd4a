/**
 * `npx tsx scripts/why-truth-compare.ts A.json B.json`: two `npm run why:truth` reports on the
 * same histories (e.g. `--method samples` vs `--method tot`), read side by side: truth, who wrote
 * the headline, and the paired difference (B − A) of the shown headline's Thought Space score with
 * its standard error. Times come from each run's own machine load, so they are printed but not
 * paired: compare them only when both runs shared one load.
 */
import { readFileSync } from 'node:fs';
import { standardError } from '../src/eval/harness.ts';

interface TruthResult {
  label: string;
  kind: string;
  source: 'slm' | 'evidence';
  text: string;
  shownScore: number;
  ms: number;
}
interface TruthReport {
  summary: { command: string; method: string; trueByChecker: number; trueIndependently: number; modelWritten: number; histories: number; meanMs: number; medianMs: number };
  results: TruthResult[];
}

const [pathA, pathB] = process.argv.slice(2);
if (!pathA || !pathB) {
  console.error('usage: npx tsx scripts/why-truth-compare.ts A.json B.json');
  process.exit(2);
}
const [a, b] = [pathA, pathB].map((p) => JSON.parse(readFileSync(p, 'utf8')) as TruthReport) as [TruthReport, TruthReport];
if (a.results.length !== b.results.length || a.results.some((r, i) => r.label !== b.results[i]!.label || r.kind !== b.results[i]!.kind)) {
  throw new Error('the two reports are not on the same histories in the same order');
}
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const f4 = (x: number) => x.toFixed(4);
const row = (name: string, f: (r: TruthReport) => string) => `| ${name} | ${f(a)} | ${f(b)} |`;
const n = a.results.length;
const diffs = a.results.map((r, i) => b.results[i]!.shownScore - r.shownScore);
const bothModel = a.results.flatMap((r, i) => (r.source === 'slm' && b.results[i]!.source === 'slm' ? [b.results[i]!.shownScore - r.shownScore] : []));
console.log(
  [
    `| | A: ${a.summary.method} | B: ${b.summary.method} |`,
    '| --- | --- | --- |',
    row('command', (r) => `\`${r.summary.command}\``),
    row('true by the claim checker', (r) => `${r.summary.trueByChecker}/${n}`),
    row('true by the independent reading', (r) => `${r.summary.trueIndependently}/${n}`),
    row('written by the model', (r) => `${r.summary.modelWritten}/${n}`),
    row('Thought Space score of the shown headline, mean', (r) => f4(mean(r.results.map((x) => x.shownScore)))),
    row('time to write it, mean / median (own run, own load)', (r) => `${Math.round(r.summary.meanMs)} / ${Math.round(r.summary.medianMs)} ms`),
    '',
    `Paired over the ${n} histories (B − A): Thought Space score ${f4(mean(diffs))} (SE ${f4(standardError(diffs))}); ` +
      `over the ${bothModel.length} both wrote with the model: ${f4(mean(bothModel))} (SE ${f4(standardError(bothModel))}). ` +
      `B higher on ${diffs.filter((d) => d > 1e-9).length}, lower on ${diffs.filter((d) => d < -1e-9).length}, ` +
      `same text on ${a.results.filter((r, i) => r.text === b.results[i]!.text).length}.`,
  ].join('\n'),
);
