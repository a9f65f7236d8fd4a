/**
 * Research for the blend's focus weight (issue 11 item 6): which per-history concentration lets
 * a focused taste show without costing validation NDCG@10. Validation only (the test split is
 * never read): the shipped Thought Space and the shipped EASE file (models/pulse-movielens), the
 * validation cases' parts made once (blend-search.ts blendCase), then for each candidate form of
 * the concentration the grid of weights, the rule's choice and its tastes.
 *   nice -n 10 npx tsx scripts/focus-research.ts
 * (~7 min on the shared 2 cores). Its grid is smaller than npm run blend's (EASE 1.5 and 2); the
 * chosen form then went through npm run blend itself (models/pulse-movielens/README.md).
 */
import { DEFAULT_DATA } from '../src/eval/cli-args.ts';
import { blendCase, blendNdcgs, chooseWeights, focusCase, mean, pairedSe, weightGrid, type BlendCase, type FocusCase } from '../src/eval/blend-search.ts';
import { loadEvalDataset } from '../src/eval/dataset-files.ts';
import { trainContext } from '../src/eval/harness.ts';
import { ShippedThoughtSpace } from '../src/eval/models/thought-space-shipped.ts';
import { leaveOneOutSplit } from '../src/eval/split.ts';
import { FOCUS_CATEGORIES, focusedHistory } from '../src/eval/taste-focus.ts';
import { loadBlend } from '../src/model/blend-file.ts';
import { dirSource } from '../src/model/node-model-files.ts';
import { buildBlendIndex, historyWeights, type BlendEvent, type BlendIndex } from '../src/model/pulse-blend.ts';
import { loadThoughtSpace } from '../src/model/thought-space-loader.ts';
import { TextVectorCache } from '../src/train/text-vector-cache.ts';

const dir = 'models/pulse-movielens';
const log = (l: string) => console.error(`[focus] ${l}`);
const data = await loadEvalDataset(DEFAULT_DATA);
const split = leaveOneOutSplit(data.interactions, 1);
const context = trainContext(data, split, 1, log);
const catalog = context.catalog;
const blend = await loadBlend(dirSource(dir));
const index = buildBlendIndex(catalog, blend.ease);
const shipped = new ShippedThoughtSpace('pulse-shipped', dir, new TextVectorCache().encode);
await shipped.fit(context);
const ts: Float32Array[] = [];
for (let s = 0; s < split.validation.length; s += 128) ts.push(...(await shipped.score(split.validation.slice(s, s + 128))));
const val: BlendCase[] = split.validation.map((c, i) => blendCase(index, c, data.indexOf, ts[i]!));
const space = await loadThoughtSpace(dirSource(dir));
const focusEvents = FOCUS_CATEGORIES.map((category) => focusedHistory(data.catalog, category));
const focus: FocusCase[] = await Promise.all(
  FOCUS_CATEGORIES.map(async (category, k) => {
    const events = focusEvents[k]!;
    const s = await space.scores(await space.query(await space.encodeHistory(events), null));
    return focusCase(index, category, events, Float32Array.from(catalog, (m) => { const r = space.indexOf.get(m.id); return r === undefined ? Number.NEGATIVE_INFINITY : s[r]!; }));
  }),
);

// Base rates: the catalog's share of each category, or its share of the training interactions (what a typical history holds).
const trainShare = new Float64Array(index.share.length);
let trainTotal = 0;
for (const events of context.train.values()) for (const e of events) { const r = index.rowOf.get(e.itemId); if (r === undefined) continue; trainTotal++; for (const c of index.categoriesOf[r]!) trainShare[c]!++; }
trainShare.forEach((v, c) => (trainShare[c] = v / trainTotal));

type Form = { name: string; of: (events: readonly BlendEvent[]) => number };
const lift = (ix: BlendIndex, events: readonly BlendEvent[], base: Float64Array, prior: number, idfPower = 0): number => {
  const on = new Float64Array(base.length);
  let total = 0;
  for (const [id, w] of historyWeights(events)) { const r = ix.rowOf.get(id); if (r === undefined || !(w > 0)) continue; total += w; for (const c of ix.categoriesOf[r]!) on[c]! += w; }
  let best = 0;
  for (let c = 0; c < on.length; c++) { const p = base[c]!; if (p >= 1) continue; const share = (on[c]! + prior * p) / (total + prior); best = Math.max(best, ((share - p) / (1 - p)) * (idfPower ? Math.min(1, (-Math.log(p) / Math.log(10)) ** idfPower) : 1)); }
  return best;
};
const forms: Form[] = [
  { name: 'catalog, prior 1', of: (e) => lift(index, e, index.share, 1) },
  { name: 'catalog, prior 1, squared', of: (e) => lift(index, e, index.share, 1) ** 2 },
  { name: 'catalog, prior 1, cubed', of: (e) => lift(index, e, index.share, 1) ** 3 }, // what ships: pulse-blend.ts historyConcentration
  { name: 'catalog, prior 0, cubed', of: (e) => lift(index, e, index.share, 0) ** 3 },
  { name: 'training, prior 1', of: (e) => lift(index, e, trainShare, 1) },
  { name: 'training, prior 1, squared', of: (e) => lift(index, e, trainShare, 1) ** 2 },
  { name: 'catalog, prior 1, idf/ln10 capped 1', of: (e) => lift(index, e, index.share, 1, 1) },
];
const q = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return [0.5, 0.9, 0.99].map((x) => s[Math.floor(x * s.length)]!.toFixed(2)).join('/'); };
const f4 = (x: number) => x.toFixed(4);
const EASE = [1.5, 2], PROFILE = [0, 1, 1.5, 2, 2.5], FOCUS = [0, 1, 2, 4, 8, 16];
const fixed = weightGrid(val.map((c) => ({ ...c, concentration: 0 })), EASE, PROFILE, focus.map((f) => ({ ...f, concentration: 0 })), catalog, [0]);
const fixedBest = chooseWeights(fixed, 2).best;
log(`fixed-weight grid best: ease ${fixedBest.ease} profile ${fixedBest.profile} ${f4(mean(fixedBest.val))}`);
const today = blendNdcgs(val, { ease: 1.5, profile: 2.5 });
for (const form of forms) {
  const v = val.map((c, i) => ({ ...c, concentration: form.of(split.validation[i]!.history) }));
  const fc = focus.map((f, k) => ({ ...f, concentration: form.of(focusEvents[k]!) }));
  const grid = weightGrid(v, EASE, PROFILE, fc, catalog, FOCUS);
  const { best, chosen, within } = chooseWeights(grid, 2);
  const allSix = within.filter((g) => Math.min(...g.tastes) >= 6).sort((a, b) => mean(b.val) - mean(a.val));
  console.log(`\n## ${form.name}: concentration val p50/p90/p99 ${q(v.map((c) => c.concentration))}, focus ${q(fc.map((f) => f.concentration))}`);
  console.log(`best ${best.ease}/${best.profile}/${best.focus} ${f4(mean(best.val))}; chosen ${chosen.ease}/${chosen.profile}/${chosen.focus} ${f4(mean(chosen.val))} (Δ vs today ${f4(mean(chosen.val) - mean(today))} ± ${f4(pairedSe(chosen.val, today))}) tastes ${chosen.tastes.join(',')}`);
  console.log(`within 2 SE with every taste ≥ 6: ${allSix.length}; best of them ${allSix.slice(0, 3).map((g) => `${g.ease}/${g.profile}/${g.focus} ${f4(mean(g.val))} [${g.tastes.join(',')}]`).join('; ')}`);
  for (const g of grid.filter((g) => g.ease === chosen.ease)) console.log(`  ${g.ease}/${g.profile}/${g.focus}: ${f4(mean(g.val))} Δ ${f4(mean(g.val) - mean(best.val))} ± ${f4(pairedSe(best.val, g.val))} tastes ${g.tastes.join(',')}`);
}
space.dispose();
