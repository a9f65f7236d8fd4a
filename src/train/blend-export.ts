/**
 * `npm run blend -- --model models/pulse-movielens`: makes the blend the worker ships next to an
 * exported Thought Space (src/model/pulse-blend.ts): a sparse EASE artifact (`ease.bin`) and the
 * weights (`blend.json`), all chosen on the validation split the Thought Space trained on
 * (LOO seed 1 for the shipped MovieLens model; ShippedThoughtSpace checks it is that split).
 *
 *  1. EASE on that training split, λ from a grid (validation NDCG@10 of EASE alone), dense;
 *  2. K neighbours per item: validation NDCG@10 of the blend at each K of a grid vs dense EASE;
 *     the largest K whose file fits the size budget, unless a smaller K is as good (within 1 paired SE);
 *  3. weights (EASE, category profile) on a grid: the best validation NDCG@10, then, among the
 *     weights not told apart from it (within --se, default 2, paired standard errors: the reports'
 *     own "not told apart" convention; 1 SE left five liked animated films at 5 of 10), the one whose focused tastes show most (mean share over the categories)
 *     (src/eval/taste-focus.ts, ten categories) — a focused taste is worth as much as costs no
 *     measurable accuracy;
 *  4. test NDCG@10 (never used for a choice) of every step, for the model card.
 * Prints the tables for the README and writes blend.json, ease.bin and blend-report.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { topK } from '../core/topk.ts';
import { DEFAULT_DATA } from '../eval/cli-args.ts';
import { loadEvalDataset } from '../eval/dataset-files.ts';
import { standardError, trainContext } from '../eval/harness.ts';
import { fullRank, ndcgAt } from '../eval/metrics.ts';
import { Ease } from '../eval/models/ease.ts';
import { ShippedThoughtSpace } from '../eval/models/thought-space-shipped.ts';
import type { EvalCase } from '../eval/recommender.ts';
import { leaveOneOutSplit } from '../eval/split.ts';
import { categoryShare, FOCUS_CATEGORIES, focusedHistory } from '../eval/taste-focus.ts';
import { historyIndices } from '../eval/train-matrix.ts';
import { dirSource } from '../model/node-model-files.ts';
import { buildBlendIndex, easeScores, historyRows, historyWeights, profileScores, type BlendIndex } from '../model/pulse-blend.ts';
import { BLEND_MANIFEST, EASE_BIN, type BlendManifest } from '../model/blend-file.ts';
import { standardize } from '../model/score-blend.ts';
import { encodeSparseEase, sparsify, type SparseEase } from '../model/sparse-ease.ts';
import { loadThoughtSpace } from '../model/thought-space-loader.ts';
import { TextVectorCache } from './text-vector-cache.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/pulse-movielens' },
    lambdas: { type: 'string', default: '150,300,600' },
    ks: { type: 'string', default: '16,32,48,64,96' },
    'ease-weights': { type: 'string', default: '0.5,1,1.5,2,3' },
    'profile-weights': { type: 'string', default: '0,0.1,0.2,0.35,0.5,0.75,1,1.5' },
    'max-bytes': { type: 'string', default: '600000' },
    se: { type: 'string', default: '2' },
  },
});
const dir = values.model!;
const nums = (s: string) => s.split(',').map(Number);
const log = (line: string) => console.error(`[blend] ${line}`);
const report = JSON.parse(await readFile(join(dir, 'train-report.json'), 'utf8')) as { seed: number; command: string };
const seed = report.seed;
const data = await loadEvalDataset(DEFAULT_DATA);
const split = leaveOneOutSplit(data.interactions, seed);
const context = trainContext(data, split, seed, log);
const catalog = context.catalog;

// 1. EASE, dense; the inversions are minutes each here, so the chosen λ's weights are cached on disk.
const lambdas = nums(values.lambdas!);
const cacheFile = `.cache/ease-dense-seed${seed}-${lambdas.join('_')}.bin`;
const ease = new Ease({ lambdas });
let modelled: Int32Array;
let dense: Float32Array;
let lambda: number;
if (existsSync(cacheFile)) {
  const bytes = readFileSync(cacheFile);
  const header = JSON.parse(readFileSync(`${cacheFile}.json`, 'utf8')) as { lambda: number; modelled: number[] };
  modelled = Int32Array.from(header.modelled);
  lambda = header.lambda;
  dense = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  log(`EASE from ${cacheFile}: λ ${lambda}`);
} else {
  await ease.fit(context);
  ({ modelled, weights: dense } = ease.dense);
  lambda = ease.chosen!.lambda;
  await mkdir('.cache', { recursive: true });
  await writeFile(cacheFile, new Uint8Array(dense.buffer, dense.byteOffset, dense.byteLength));
  await writeFile(`${cacheFile}.json`, JSON.stringify({ lambda, modelled: [...modelled], chosen: ease.chosen }));
}
const n = modelled.length;
const items = [...modelled].map((i) => catalog[i]!.id);

// The Thought Space's scores of every validation and test case, as the harness scores the shipped model.
const shipped = new ShippedThoughtSpace('pulse-shipped', dir, new TextVectorCache().encode);
await shipped.fit(context);
const pulseOf = async (cases: readonly EvalCase[]) => {
  const out: Float32Array[] = [];
  for (let s = 0; s < cases.length; s += 128) out.push(...(await shipped.score(cases.slice(s, s + 128))));
  return out.map(standardize);
};
log('scoring validation and test with the Thought Space');
const pulse = { validation: await pulseOf(split.validation), test: await pulseOf(split.test) };

/** Per case: target row, mask, z(Thought Space), z(EASE) for an index, z(profile). */
interface Prepared {
  target: number;
  mask: number[];
  pulse: Float32Array;
  ease: Float32Array;
  profile: Float32Array;
}
function prepare(index: BlendIndex, cases: readonly EvalCase[], pulseZ: Float32Array[]): Prepared[] {
  return cases.map((c, i) => ({
    target: data.indexOf.get(c.target.itemId)!,
    mask: historyIndices(c, data.indexOf),
    pulse: pulseZ[i]!,
    ease: standardize(easeScores(index, historyRows(index, c.history))),
    profile: standardize(profileScores(index, historyWeights(c.history))),
  }));
}
function ndcgs(cases: readonly Prepared[], wEase: number, wProfile: number): number[] {
  const s = new Float32Array(catalog.length);
  return cases.map((c) => {
    for (let i = 0; i < s.length; i++) s[i] = c.pulse[i]! + wEase * c.ease[i]! + wProfile * c.profile[i]!;
    return ndcgAt(fullRank(s, c.target, c.mask), 10);
  });
}
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const pairedSe = (a: readonly number[], b: readonly number[]) => standardError(a.map((x, i) => x - b[i]!));
const denseCase = (c: EvalCase) => {
  const scores = new Float32Array(catalog.length).fill(Number.NEGATIVE_INFINITY);
  const row = new Float32Array(n);
  const slotOf = new Map([...modelled].map((item, slot) => [item, slot] as const));
  for (const i of historyIndices(c, data.indexOf)) {
    const slot = slotOf.get(i);
    if (slot === undefined) continue;
    for (let j = 0; j < n; j++) row[j]! += dense[slot * n + j]!;
  }
  modelled.forEach((item, slot) => (scores[item] = row[slot]!));
  return standardize(scores);
};
const BLEND_W = 1.5; // the weight the dense blend chose on validation (docs/results/movielens-loo-seed1)

// 2. K: the blend (EASE weight 1.5, no profile) with dense EASE vs each K.
log('dense EASE per case');
const withDense = (cases: readonly EvalCase[], z: Float32Array[]) =>
  cases.map((c, i) => ({ target: data.indexOf.get(c.target.itemId)!, mask: historyIndices(c, data.indexOf), pulse: z[i]!, ease: denseCase(c), profile: new Float32Array(catalog.length) }));
const dv = withDense(split.validation, pulse.validation);
const dt = withDense(split.test, pulse.test);
const denseRow = {
  k: 'dense' as number | string,
  bytes: n * n * 4,
  easeVal: mean(ndcgs(dv, 1e6, 0)),
  easeTest: mean(ndcgs(dt, 1e6, 0)),
  blendVal: ndcgs(dv, BLEND_W, 0),
  blendTest: ndcgs(dt, BLEND_W, 0),
};
const kRows: (typeof denseRow & { sparse?: SparseEase; index?: BlendIndex })[] = [denseRow];
for (const k of nums(values.ks!)) {
  const sparse = sparsify(dense, n, k, items);
  const index = buildBlendIndex(catalog, sparse);
  const v = prepare(index, split.validation, pulse.validation);
  const t = prepare(index, split.test, pulse.test);
  const row = { k, bytes: encodeSparseEase(sparse).length, easeVal: mean(ndcgs(v, 1e6, 0)), easeTest: mean(ndcgs(t, 1e6, 0)), blendVal: ndcgs(v, BLEND_W, 0), blendTest: ndcgs(t, BLEND_W, 0), sparse, index };
  log(`K ${k}: EASE alone val ${row.easeVal.toFixed(4)} test ${row.easeTest.toFixed(4)}; blend val ${mean(row.blendVal).toFixed(4)} test ${mean(row.blendTest).toFixed(4)}; ${row.bytes} bytes`);
  kRows.push(row);
}
const maxBytes = Number(values['max-bytes']);
const fitting = kRows.filter((r) => r.k !== 'dense' && r.bytes <= maxBytes);
if (fitting.length === 0) throw new Error(`no K fits ${maxBytes} bytes`);
const largest = fitting[fitting.length - 1]!;
const chosenK = fitting.find((r) => mean(largest.blendVal) - mean(r.blendVal) <= pairedSe(largest.blendVal, r.blendVal)) ?? largest; // 1 SE: a smaller file only when as good
log(`chose K ${chosenK.k}`);
const index = chosenK.index!;
const sparse = chosenK.sparse!;

// 3. Weights on validation, focus as the tie-break within one SE.
const val = prepare(index, split.validation, pulse.validation);
const test = prepare(index, split.test, pulse.test);
const space = await loadThoughtSpace(dirSource(dir));
const focusParts = await Promise.all(
  FOCUS_CATEGORIES.map(async (category) => {
    const events = focusedHistory(data.catalog, category);
    const spaceScores = await space.scores(await space.query(await space.encodeHistory(events), null));
    const ts = Float32Array.from(catalog, (m) => {
      const row = space.indexOf.get(m.id);
      return row === undefined ? Number.NEGATIVE_INFINITY : spaceScores[row]!;
    });
    const liked = new Set(events.map((e) => data.indexOf.get(e.itemId)!));
    return { category, liked, pulse: standardize(ts), ease: standardize(easeScores(index, liked)), profile: standardize(profileScores(index, historyWeights(events))) };
  }),
);
space.dispose();
function focus(wEase: number, wProfile: number): number[] {
  return focusParts.map((f) => {
    const s = Float32Array.from(f.pulse, (p, i) => p + wEase * f.ease[i]! + wProfile * f.profile[i]!);
    return categoryShare(topK(s, 10, (r) => f.liked.has(r)).map((r) => data.catalog[r.index]!), f.category);
  });
}
const grid = nums(values['ease-weights']!).flatMap((e) => nums(values['profile-weights']!).map((p) => ({ ease: e, profile: p, val: ndcgs(val, e, p), focus: focus(e, p) })));
const best = grid.reduce((a, b) => (mean(b.val) > mean(a.val) ? b : a));
const seRule = Number(values.se);
const within = grid.filter((g) => mean(best.val) - mean(g.val) <= seRule * pairedSe(best.val, g.val));
const minFocus = (g: (typeof grid)[number]) => Math.min(...g.focus);
const chosen = within.reduce((a, b) => (mean(b.focus) > mean(a.focus) || (mean(b.focus) === mean(a.focus) && minFocus(b) > minFocus(a)) ? b : a));
log(`best validation: ease ${best.ease} profile ${best.profile} (${mean(best.val).toFixed(4)}); chose ease ${chosen.ease} profile ${chosen.profile} (${mean(chosen.val).toFixed(4)}, focus ${chosen.focus.join(',')})`);

// 4. Test, for the card.
const testOf = (e: number, p: number) => ndcgs(test, e, p);
const pulseTest = testOf(0, 0);
const chosenTest = testOf(chosen.ease, chosen.profile);
const noProfileTest = testOf(chosen.ease, 0);
const pulseFocus = focus(0, 0);

const manifest: BlendManifest = {
  format: 'pulse-blend',
  version: 1,
  weights: { ease: chosen.ease, profile: chosen.profile },
  ease: { bin: EASE_BIN, lambda, k: sparse.k, items },
  seed,
  validationNdcg10: Number(mean(chosen.val).toFixed(4)),
};
const bin = encodeSparseEase(sparse);
await writeFile(join(dir, EASE_BIN), bin);
await writeFile(join(dir, BLEND_MANIFEST), `${JSON.stringify(manifest)}\n`);
const f4 = (x: number) => x.toFixed(4);
const lines = [
  `EASE λ ${lambda} (grid ${lambdas.join(', ')}, validation NDCG@10 of EASE alone), ${n} items modelled.`,
  '',
  '| K | ease.bin | EASE alone val | EASE alone test | blend val | blend test |',
  '| --- | --- | --- | --- | --- | --- |',
  ...kRows.map((r) => `| ${r.k === chosenK.k ? `**${r.k}**` : r.k} | ${(r.bytes / 1024).toFixed(0)} KiB | ${f4(r.easeVal)} | ${f4(r.easeTest)} | ${f4(mean(r.blendVal))} | ${f4(mean(r.blendTest))} |`),
  '',
  `Weights (validation NDCG@10; focus = of the top 10 for five liked films of one category, how many carry it: ${FOCUS_CATEGORIES.join(', ')}):`,
  '',
  '| EASE | profile | val NDCG@10 | Δ vs best (paired SE) | focus min | focus mean |',
  '| --- | --- | --- | --- | --- | --- |',
  ...grid.map((g) => {
    const mark = g === chosen ? '**' : '';
    return `| ${mark}${g.ease}${mark} | ${mark}${g.profile}${mark} | ${f4(mean(g.val))} | ${f4(mean(g.val) - mean(best.val))} (${f4(pairedSe(best.val, g.val))}) | ${minFocus(g)} | ${mean(g.focus).toFixed(1)} |`;
  }),
  '',
  `Test (671 users, never used for a choice): Thought Space alone ${f4(mean(pulseTest))}; + EASE (K ${sparse.k}, weight ${chosen.ease}) ${f4(mean(noProfileTest))}; + profile ${chosen.profile}: **${f4(mean(chosenTest))}** (Δ vs Thought Space ${f4(mean(chosenTest) - mean(pulseTest))} ± ${f4(pairedSe(chosenTest, pulseTest))}; the profile's Δ ${f4(mean(chosenTest) - mean(noProfileTest))} ± ${f4(pairedSe(chosenTest, noProfileTest))}).`,
  `Focus, unsteered (${FOCUS_CATEGORIES.join(', ')}): Thought Space alone ${pulseFocus.join(', ')}; shipped blend ${chosen.focus.join(', ')}.`,
  `Files: ease.bin ${bin.length} bytes, blend.json ${JSON.stringify(manifest).length + 1} bytes.`,
];
console.log(lines.join('\n'));
await writeFile(
  join(dir, 'blend-report.json'),
  `${JSON.stringify({ command: `npm run blend -- --model ${dir}`, lambda, k: sparse.k, weights: manifest.weights, validation: mean(chosen.val), test: { thoughtSpace: mean(pulseTest), easeOnly: mean(noProfileTest), blend: mean(chosenTest) }, focus: Object.fromEntries(FOCUS_CATEGORIES.map((c, i) => [c, { thoughtSpace: pulseFocus[i], blend: chosen.focus[i] }])), table: lines }, null, 1)}\n`,
);
