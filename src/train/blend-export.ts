/**
 * `npm run blend -- --model models/pulse-movielens`: makes the blend the worker ships next to an
 * exported Thought Space (src/model/pulse-blend.ts): an EASE artifact and the weights
 * (`blend.json`), all chosen on the validation split the Thought Space trained on (LOO seed 1 for
 * the shipped MovieLens model; ShippedThoughtSpace checks it is that split).
 *
 *  1. EASE on that training split through the users (src/train/user-space-eigen.ts: exact, an
 *     m × m eigendecomposition for m users, cached in .cache/), λ from a grid (validation NDCG@10 of
 *     exact EASE alone);
 *  2. its browser form: low-rank (F cut to r columns, int8; per-item scale from all or the kept
 *     columns; src/model/lowrank-ease.ts) or top-K sparse (sparse-ease.ts), each measured as the
 *     worker reads it (encoded, decoded, scored by pulse-blend.ts): validation NDCG@10 of the blend
 *     (EASE weight 1.5, no profile) vs exact EASE; among the forms whose gzipped file fits
 *     --max-bytes, the best, unless a smaller file is as good (within 1 paired SE);
 *  3. weights (EASE, category profile, focus: the profile weight a fully focused history adds,
 *     pulse-blend.ts historyConcentration) on a grid: the best validation NDCG@10, then, among the
 *     weights not told apart from it (within --se, default 2, paired standard errors: the reports'
 *     own "not told apart" convention; 1 SE left five liked animated films at 5 of 10), the one whose focused tastes show most (mean share over the categories)
 *     (src/eval/taste-focus.ts, ten categories) — a focused taste is worth as much as costs no
 *     measurable accuracy;
 *  4. test NDCG@10 (never used for a choice) of every step, for the model card.
 * Prints the tables for the README (with the validation and test Δ against the weights of the
 * blend.json it replaces, when there is one) and writes blend.json, the EASE file and blend-report.json.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DEFAULT_DATA } from '../eval/cli-args.ts';
import { loadEvalDataset } from '../eval/dataset-files.ts';
import { blendCase, blendNdcgs, chooseWeights, focusCase, focusShares, mean, pairedSe, weightGrid, type BlendCase, type FocusCase, type GridPoint } from '../eval/blend-search.ts';
import { trainContext } from '../eval/harness.ts';
import { ShippedThoughtSpace } from '../eval/models/thought-space-shipped.ts';
import type { EvalCase } from '../eval/recommender.ts';
import { leaveOneOutSplit } from '../eval/split.ts';
import { FOCUS_CATEGORIES, focusedHistory } from '../eval/taste-focus.ts';
import { dirSource } from '../model/node-model-files.ts';
import { buildBlendIndex, type BlendIndex, type BlendWeights, type ItemItemEase } from '../model/pulse-blend.ts';
import { BLEND_MANIFEST, EASE_BIN, LOWRANK_EASE_BIN, type BlendManifest } from '../model/blend-file.ts';
import { decodeLowRankEase, encodeLowRankEase, lowRankEase } from '../model/lowrank-ease.ts';
import { decodeSparseEase, encodeSparseEase, sparsify } from '../model/sparse-ease.ts';
import { loadThoughtSpace } from '../model/thought-space-loader.ts';
import { TextVectorCache } from './text-vector-cache.ts';
import { easeThroughUsers } from './ease-through-users.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/pulse-movielens' },
    lambdas: { type: 'string', default: '100,300,1000' },
    /** How many items EASE models: the most popular in training, or `all` seen in training. */
    items: { type: 'string', default: '3000' },
    ranks: { type: 'string', default: '128,192,256,320' },
    diags: { type: 'string', default: 'truncated,exact' },
    /** Sparse top-K forms to compare (empty: none); each needs the dense n × n B. */
    ks: { type: 'string', default: '' },
    'ease-weights': { type: 'string', default: '0.5,1,1.5,2,3' },
    'profile-weights': { type: 'string', default: '0,0.1,0.2,0.35,0.5,0.75,1,1.5' },
    /** The profile weight a fully focused history adds (pulse-blend.ts historyConcentration); 0 alone: the fixed-weight blend. */
    'focus-weights': { type: 'string', default: '0,2,4,8,16' },
    /** Budget of the EASE file, gzipped (what a browser downloads from a compressing server). */
    'max-bytes': { type: 'string', default: '1200000' },
    se: { type: 'string', default: '2' },
  },
});
const dir = values.model!;
const nums = (s: string) => (s === '' ? [] : s.split(',').map(Number));
const log = (line: string) => console.error(`[blend] ${line}`);
const report = JSON.parse(await readFile(join(dir, 'train-report.json'), 'utf8')) as { seed: number; command: string };
const seed = report.seed;
const data = await loadEvalDataset(DEFAULT_DATA);
const split = leaveOneOutSplit(data.interactions, seed);
const context = trainContext(data, split, seed, log);
const catalog = context.catalog;

// 1. EASE through the users: the modelled items (by distinct training users, as src/eval/models/ease.ts orders them), their eigenpairs.
const easeFit = easeThroughUsers(context, values.items === 'all' ? 'all' : Number(values.items), (n) => `.cache/user-eigen-seed${seed}-${n}.bin`, log);
const { items } = easeFit;
const n = items.length;
const m = easeFit.rank;
const eig = easeFit;
log(`${n} items, ${m} eigenpairs; eigenvalues ${[0, 50, 100, 200, 400].filter((k) => k < m).map((k) => `#${k} ${eig.values[k]!.toFixed(0)}`).join(', ')}`);
const factorsAt = (lambda: number) => easeFit.factorsAt(lambda);

// The Thought Space's scores of every validation and test case, as the harness scores the shipped model.
const shipped = new ShippedThoughtSpace('pulse-shipped', dir, new TextVectorCache().encode);
await shipped.fit(context);
const pulseOf = async (cases: readonly EvalCase[]) => {
  const out: Float32Array[] = [];
  for (let s = 0; s < cases.length; s += 128) out.push(...(await shipped.score(cases.slice(s, s + 128))));
  return out;
};
log('scoring validation and test with the Thought Space');
const pulse = { validation: await pulseOf(split.validation), test: await pulseOf(split.test) };
/** Per case: target row, mask and the standardised parts (src/eval/blend-search.ts, as blendedScores computes them). */
const prepare = (index: BlendIndex, which: 'validation' | 'test'): BlendCase[] => split[which].map((c, i) => blendCase(index, c, data.indexOf, pulse[which][i]!));
const ndcgs = (cases: readonly BlendCase[], wEase: number, wProfile: number, wFocus = 0) => blendNdcgs(cases, { ease: wEase, profile: wProfile, focus: wFocus });
const BLEND_W = 1.5; // the weight the dense blend chose on validation (docs/results/movielens-loo-seed1)

// λ on validation, exact EASE alone (every eigenpair, float).
const lambdas = nums(values.lambdas!);
const lambdaRows = lambdas.map((lambda) => {
  const index = buildBlendIndex(catalog, lowRankEase(items, factorsAt(lambda), m, m));
  const val = mean(ndcgs(prepare(index, 'validation'), 1e6, 0));
  log(`λ ${lambda}: exact EASE alone validation NDCG@10 ${val.toFixed(4)}`);
  return { lambda, val };
});
const lambda = lambdaRows.reduce((a, b) => (b.val > a.val ? b : a)).lambda;
const f = factorsAt(lambda);
log(`chose λ ${lambda}`);

// 2. The browser form: each candidate encoded and decoded, so what is measured is what ships.
interface Form {
  label: string;
  bin: string;
  bytes: Uint8Array | null;
  model: ItemItemEase;
  manifest: BlendManifest['ease'];
}
const forms: Form[] = [{ label: `exact (rank ${m}, float)`, bin: '', bytes: null, model: lowRankEase(items, f, m, m), manifest: { form: 'lowrank', bin: '', lambda, rank: m, items } }];
for (const r of nums(values.ranks!).filter((r) => r < m)) {
  for (const diag of values.diags!.split(',') as ('exact' | 'truncated')[]) {
    const manifest = { form: 'lowrank' as const, bin: LOWRANK_EASE_BIN, lambda, rank: r, items };
    const bytes = encodeLowRankEase(lowRankEase(items, f, m, r, diag));
    forms.push({ label: `rank ${r}, ${diag} diagonal`, bin: LOWRANK_EASE_BIN, bytes, model: decodeLowRankEase(manifest, bytes), manifest });
  }
}
if (nums(values.ks!).length > 0) {
  // Dense B from F: B[i][j] = c_j F_i·F_j (lowrank-ease.ts), n × n float32.
  const exact = forms[0]!.model as ReturnType<typeof lowRankEase>;
  const dense = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      let s = 0;
      for (let k = 0; k < m; k++) s += f[i * m + k]! * f[j * m + k]!;
      dense[i * n + j] = exact.itemScale[j]! * s;
    }
  }
  for (const k of nums(values.ks!)) {
    const manifest = { bin: EASE_BIN, lambda, k, items };
    const bytes = encodeSparseEase(sparsify(dense, n, k, items));
    forms.push({ label: `sparse top-${k}`, bin: EASE_BIN, bytes, model: decodeSparseEase(manifest, bytes), manifest });
  }
}
const formRows = forms.map((form) => {
  const index = buildBlendIndex(catalog, form.model);
  const v = prepare(index, 'validation');
  const t = prepare(index, 'test');
  const gz = form.bytes ? gzipSync(form.bytes, { level: 9 }).length : Number.POSITIVE_INFINITY;
  const row = { form, raw: form.bytes?.length ?? n * n * 4, gz, easeVal: mean(ndcgs(v, 1e6, 0)), easeTest: mean(ndcgs(t, 1e6, 0)), blendVal: ndcgs(v, BLEND_W, 0), blendTest: ndcgs(t, BLEND_W, 0) };
  log(`${form.label}: EASE alone val ${row.easeVal.toFixed(4)} test ${row.easeTest.toFixed(4)}; blend val ${mean(row.blendVal).toFixed(4)} test ${mean(row.blendTest).toFixed(4)}; ${row.raw} bytes, ${gz} gzipped`);
  return row;
});
const maxBytes = Number(values['max-bytes']);
const fitting = formRows.filter((r) => r.form.bytes && r.gz <= maxBytes);
if (fitting.length === 0) throw new Error(`no EASE form fits ${maxBytes} bytes gzipped`);
const bestForm = fitting.reduce((a, b) => (mean(b.blendVal) > mean(a.blendVal) ? b : a));
const chosenForm = [...fitting].sort((a, b) => a.gz - b.gz).find((r) => mean(bestForm.blendVal) - mean(r.blendVal) <= pairedSe(bestForm.blendVal, r.blendVal))!; // 1 SE: a smaller file only when as good
log(`chose ${chosenForm.form.label} (best: ${bestForm.form.label})`);
const index = buildBlendIndex(catalog, chosenForm.form.model);

// 3. Weights on validation, focus as the tie-break within one SE.
const val = prepare(index, 'validation');
const test = prepare(index, 'test');
const space = await loadThoughtSpace(dirSource(dir));
const focusParts: FocusCase[] = await Promise.all(
  FOCUS_CATEGORIES.map(async (category) => {
    const events = focusedHistory(data.catalog, category);
    const spaceScores = await space.scores(await space.query(await space.encodeHistory(events), null));
    const ts = Float32Array.from(catalog, (m) => {
      const row = space.indexOf.get(m.id);
      return row === undefined ? Number.NEGATIVE_INFINITY : spaceScores[row]!;
    });
    return focusCase(index, category, events, ts);
  }),
);
space.dispose();
const focus = (w: BlendWeights) => focusShares(focusParts, w, data.catalog);
const focusWeights = nums(values['focus-weights']!);
const grid = weightGrid(val, nums(values['ease-weights']!), nums(values['profile-weights']!), focusParts, data.catalog, focusWeights);
const { best, chosen } = chooseWeights(grid, Number(values.se));
const minFocus = (g: GridPoint) => Math.min(...g.tastes);
const label = (g: GridPoint) => `ease ${g.ease} profile ${g.profile} focus ${g.focus}`;
log(`best validation: ${label(best)} (${mean(best.val).toFixed(4)}); chose ${label(chosen)} (${mean(chosen.val).toFixed(4)}, tastes ${chosen.tastes.join(',')})`);
// How concentrated real histories are, beside the focused tastes' (what the focus weight multiplies).
const quantiles = (v: readonly number[]) => { const s = [...v].sort((a, b) => a - b); return [0.1, 0.5, 0.9, 0.99].map((q) => `p${q * 100} ${s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(2)}`).join(', '); };
const concentrationLine = `Concentration (pulse-blend.ts historyConcentration): validation histories ${quantiles(val.map((c) => c.concentration))}; the focused tastes ${focusParts.map((f) => `${f.category} ${f.concentration.toFixed(2)}`).join(', ')}.`;
log(concentrationLine);

// 4. Test, for the card.
const f4 = (x: number) => x.toFixed(4);
const testOf = (e: number, p: number, f = 0) => ndcgs(test, e, p, f);
// The weights this run replaces (the blend.json already in the folder, if any), on this run's EASE form: what the change costs or buys.
const previous = await readFile(join(dir, BLEND_MANIFEST), 'utf8').then((t) => (JSON.parse(t) as BlendManifest).weights, () => null);
const vsPrevious = (() => {
  if (!previous) return null;
  const w = { ease: previous.ease, profile: previous.profile, focus: previous.focus ?? 0 };
  const pv = blendNdcgs(val, w);
  const pt = blendNdcgs(test, w);
  const chosenTestNdcgs = blendNdcgs(test, chosen);
  return `Against the weights it replaces (${JSON.stringify(previous)}: validation ${f4(mean(pv))}, test ${f4(mean(pt))}, tastes ${focus(w).join(', ')}): Δ validation ${f4(mean(chosen.val) - mean(pv))} ± ${f4(pairedSe(chosen.val, pv))}, Δ test ${f4(mean(chosenTestNdcgs) - mean(pt))} ± ${f4(pairedSe(chosenTestNdcgs, pt))} (paired SE).`;
})();
const pulseTest = testOf(0, 0);
const chosenTest = testOf(chosen.ease, chosen.profile, chosen.focus);
const noProfileTest = testOf(chosen.ease, 0);
const fixedTest = testOf(chosen.ease, chosen.profile);
const pulseFocus = focus({ ease: 0, profile: 0 });

const manifest: BlendManifest = {
  format: 'pulse-blend',
  version: 1,
  // focus only when it is used: a fixed-weight blend writes the file it always did.
  weights: chosen.focus === 0 ? { ease: chosen.ease, profile: chosen.profile } : { ease: chosen.ease, profile: chosen.profile, focus: chosen.focus },
  ease: chosenForm.form.manifest,
  seed,
  validationNdcg10: Number(mean(chosen.val).toFixed(4)),
};
const bin = chosenForm.form.bytes!;
await writeFile(join(dir, chosenForm.form.bin), bin);
// The other form's file, from an earlier run, would ship unread: remove it.
for (const other of [EASE_BIN, LOWRANK_EASE_BIN]) if (other !== chosenForm.form.bin) await rm(join(dir, other), { force: true });
await writeFile(join(dir, BLEND_MANIFEST), `${JSON.stringify(manifest)}\n`);
const easeForm = chosenForm.form.manifest.form === 'lowrank' ? `rank ${chosenForm.form.manifest.rank}` : `K ${(chosenForm.form.manifest as { k: number }).k}`;
const lines = [
  `EASE over the ${n} most popular training items (of ${easeFit.seen}), through the users' ${m} eigenpairs; λ ${lambda} (grid ${lambdas.join(', ')}, validation NDCG@10 of exact EASE alone: ${lambdaRows.map((r) => r.val.toFixed(4)).join(', ')}).`,
  '',
  `| form | file | gzipped | EASE alone val | EASE alone test | blend val (EASE ${BLEND_W}) | blend test |`,
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...formRows.map((r) => {
    const mark = r === chosenForm ? '**' : '';
    return `| ${mark}${r.form.label}${mark} | ${(r.raw / 1024).toFixed(0)} KiB | ${r.form.bytes ? `${(r.gz / 1024).toFixed(0)} KiB` : '–'} | ${f4(r.easeVal)} | ${f4(r.easeTest)} | ${f4(mean(r.blendVal))} | ${f4(mean(r.blendTest))} |`;
  }),
  '',
  `Weights (validation NDCG@10; focus = of the top 10 for five liked films of one category, how many carry it: ${FOCUS_CATEGORIES.join(', ')}):`,
  '',
  '| EASE | profile | focus | val NDCG@10 | Δ vs best (paired SE) | tastes min | tastes mean |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...grid.map((g) => {
    const mark = g === chosen ? '**' : '';
    return `| ${mark}${g.ease}${mark} | ${mark}${g.profile}${mark} | ${mark}${g.focus}${mark} | ${f4(mean(g.val))} | ${f4(mean(g.val) - mean(best.val))} (${f4(pairedSe(best.val, g.val))}) | ${minFocus(g)} | ${mean(g.tastes).toFixed(1)} |`;
  }),
  '',
  `Test (${split.test.length} users, never used for a choice): Thought Space alone ${f4(mean(pulseTest))}; + EASE (${easeForm}, weight ${chosen.ease}) ${f4(mean(noProfileTest))}; + profile ${chosen.profile}${chosen.focus === 0 ? '' : `, focus ${chosen.focus}`}: **${f4(mean(chosenTest))}** (Δ vs Thought Space ${f4(mean(chosenTest) - mean(pulseTest))} ± ${f4(pairedSe(chosenTest, pulseTest))}; the profile's Δ (with its focus weight) ${f4(mean(chosenTest) - mean(noProfileTest))} ± ${f4(pairedSe(chosenTest, noProfileTest))}${chosen.focus === 0 || chosen.profile === 0 ? '' : `; the focus weight's Δ vs the same EASE and profile weights without it ${f4(mean(chosenTest) - mean(fixedTest))} ± ${f4(pairedSe(chosenTest, fixedTest))}`}).`,
  ...(vsPrevious ? [vsPrevious] : []),
  concentrationLine,
  `Focus, unsteered (${FOCUS_CATEGORIES.join(', ')}): Thought Space alone ${pulseFocus.join(', ')}; shipped blend ${chosen.tastes.join(', ')}.`,
  `Files: ${chosenForm.form.bin} ${bin.length} bytes (${chosenForm.gz} gzipped), blend.json ${JSON.stringify(manifest).length + 1} bytes.`,
];
console.log(lines.join('\n'));
await writeFile(
  join(dir, 'blend-report.json'),
  `${JSON.stringify({ command: `npm run blend -- ${process.argv.slice(2).join(' ')}`, lambda, form: chosenForm.form.label, file: { name: chosenForm.form.bin, bytes: bin.length, gzipped: chosenForm.gz }, weights: manifest.weights, validation: mean(chosen.val), test: { thoughtSpace: mean(pulseTest), easeOnly: mean(noProfileTest), blend: mean(chosenTest) }, focus: Object.fromEntries(FOCUS_CATEGORIES.map((c, i) => [c, { thoughtSpace: pulseFocus[i], blend: chosen.tastes[i] }])), table: lines }, null, 1)}\n`,
);
