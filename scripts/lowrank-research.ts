/**
 * Research for issue 11: which compact item–item form keeps the dense-EASE blend gain. Validation
 * NDCG@10 (LOO seed 1) of the shipped Thought Space + each form (+ category profile), test beside it.
 *   nice -n 10 npx tsx scripts/lowrank-research.ts --items 3000,all --lambdas 300 --ranks 64,128,256
 * Forms: low-rank EASE (F cut to r columns, int8 per row; diag exact or from the r columns),
 * sparse top-K of B plus the low-rank part, exact (r = all).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_DATA } from '../src/eval/cli-args.ts';
import { loadEvalDataset } from '../src/eval/dataset-files.ts';
import { standardError, trainContext } from '../src/eval/harness.ts';
import { fullRank, ndcgAt } from '../src/eval/metrics.ts';
import { ShippedThoughtSpace } from '../src/eval/models/thought-space-shipped.ts';
import type { EvalCase } from '../src/eval/recommender.ts';
import { leaveOneOutSplit } from '../src/eval/split.ts';
import { buildTrainMatrix, historyIndices } from '../src/eval/train-matrix.ts';
import { buildBlendIndex, historyWeights, profileScores } from '../src/model/pulse-blend.ts';
import { standardize } from '../src/model/score-blend.ts';
import { TextVectorCache } from '../src/train/text-vector-cache.ts';
import { cachedItemEigenpairs } from '../src/train/user-space-eigen.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'models/pulse-movielens' },
    items: { type: 'string', default: '3000,all' },
    lambdas: { type: 'string', default: '300' },
    ranks: { type: 'string', default: '64,128,256' },
    hybrid: { type: 'string', default: '' }, // "r:K,r:K" sparse residual on top of rank r
    bits: { type: 'string', default: '8' },
  },
});
const log = (l: string) => console.error(`[lowrank] ${l}`);
const seed = 1;
const data = await loadEvalDataset(DEFAULT_DATA);
const split = leaveOneOutSplit(data.interactions, seed);
const context = trainContext(data, split, seed, log);
const catalog = context.catalog;
const N = catalog.length;
mkdirSync('.cache', { recursive: true });

// z(Thought Space) per case, cached.
async function pulseZ(which: 'validation' | 'test'): Promise<Float32Array[]> {
  const file = `.cache/pulse-z-seed${seed}-${which}.bin`;
  const cases = split[which];
  if (existsSync(file)) {
    const b = readFileSync(file);
    const all = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    return cases.map((_, i) => all.slice(i * N, (i + 1) * N));
  }
  const shipped = new ShippedThoughtSpace('pulse-shipped', values.model!, new TextVectorCache().encode);
  await shipped.fit(context);
  const out: Float32Array[] = [];
  for (let s = 0; s < cases.length; s += 128) out.push(...(await shipped.score(cases.slice(s, s + 128))).map(standardize));
  const all = new Float32Array(cases.length * N);
  out.forEach((z, i) => all.set(z, i * N));
  writeFileSync(file, new Uint8Array(all.buffer));
  return out;
}
const pz = { validation: await pulseZ('validation'), test: await pulseZ('test') };
const profIndex = buildBlendIndex(catalog, null);
const prof = {
  validation: split.validation.map((c) => standardize(profileScores(profIndex, historyWeights(c.history)))),
  test: split.test.map((c) => standardize(profileScores(profIndex, historyWeights(c.history)))),
};
const targets = { validation: split.validation.map((c) => data.indexOf.get(c.target.itemId)!), test: split.test.map((c) => data.indexOf.get(c.target.itemId)!) };
const masks = { validation: split.validation.map((c) => historyIndices(c, data.indexOf)), test: split.test.map((c) => historyIndices(c, data.indexOf)) };
const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const WEIGHTS = [
  [1, 0],
  [1.5, 0],
  [2, 0],
  [1, 1],
  [1.5, 1],
  [1, 2],
  [1.5, 2],
  [2, 2],
] as const;

function evaluate(label: string, easeOf: (c: EvalCase) => Float32Array, bytes: number): void {
  const res: Record<string, Record<string, number[]>> = {};
  for (const which of ['validation', 'test'] as const) {
    const cases = split[which];
    const per: Record<string, number[]> = { alone: [] };
    for (const [e, p] of WEIGHTS) per[`${e}/${p}`] = [];
    const s = new Float32Array(N);
    cases.forEach((c, i) => {
      const z = standardize(easeOf(c));
      const t = targets[which][i]!;
      const m = masks[which][i]!;
      per.alone!.push(ndcgAt(fullRank(z, t, m), 10));
      for (const [e, p] of WEIGHTS) {
        const a = pz[which][i]!;
        const b = prof[which][i]!;
        for (let j = 0; j < N; j++) s[j] = a[j]! + e * z[j]! + p * b[j]!;
        per[`${e}/${p}`]!.push(ndcgAt(fullRank(s, t, m), 10));
      }
    });
    res[which] = per;
  }
  const keys = Object.keys(res.validation!);
  const bestKey = keys.filter((k) => k !== 'alone').reduce((a, b) => (mean(res.validation![b]!) > mean(res.validation![a]!) ? b : a));
  const cells = keys.map((k) => `${k} ${mean(res.validation![k]!).toFixed(4)}/${mean(res.test![k]!).toFixed(4)}`);
  console.log(`${label} | ${(bytes / 1024).toFixed(0)} KiB | best val ${bestKey} ${mean(res.validation![bestKey]!).toFixed(4)} test ${mean(res.test![bestKey]!).toFixed(4)} (SE ${standardError(res.test![bestKey]!).toFixed(4)}) | ${cells.join(' ; ')}`);
}

const matrix = buildTrainMatrix(context);
const seen = [...matrix.usersOfItem.keys()].filter((i) => matrix.usersOfItem[i]!.length > 0);
seen.sort((a, b) => matrix.usersOfItem[b]!.length - matrix.usersOfItem[a]!.length || a - b);

function quantizeRows(f: Float64Array, n: number, r: number, stride: number, bits: number): Float32Array {
  const out = new Float32Array(n * r);
  const levels = 2 ** (bits - 1) - 1;
  for (let i = 0; i < n; i++) {
    let max = 0;
    for (let k = 0; k < r; k++) max = Math.max(max, Math.abs(f[i * stride + k]!));
    const scale = max / levels || 1;
    for (let k = 0; k < r; k++) out[i * r + k] = bits >= 32 ? f[i * stride + k]! : Math.round(f[i * stride + k]! / scale) * scale;
  }
  return out;
}

for (const itemsArg of values.items!.split(',')) {
  const modelled = itemsArg === 'all' ? seen : seen.slice(0, Number(itemsArg));
  const n = modelled.length;
  const slotOf = new Int32Array(N).fill(-1);
  modelled.forEach((item, s) => (slotOf[item] = s));
  const itemsOfUser = matrix.itemsOfUser.map((items) => Int32Array.from([...items].map((i) => slotOf[i]!).filter((s) => s >= 0)));
  const eig = cachedItemEigenpairs(itemsOfUser, n, `.cache/user-eigen-seed${seed}-${n}.bin`, log);
  const m = eig.rank;
  log(`${n} items: eigenvalues ${[0, 10, 50, 100, 200, 400, m - 1].map((k) => `#${k} ${eig.values[Math.min(k, m - 1)]!.toFixed(0)}`).join(', ')}`);
  for (const lambda of values.lambdas!.split(',').map(Number)) {
    const f = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let k = 0; k < m; k++) f[i * m + k] = eig.vectors[i * m + k]! * Math.sqrt(eig.values[k]! / (eig.values[k]! + lambda));
    const exactC = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < m; k++) s += f[i * m + k]! ** 2;
      exactC[i] = 1 / Math.max(1 - s, 1e-9);
    }
    const lowRank = (r: number, fr: Float32Array, c: Float64Array) => (cs: EvalCase) => {
      const u = new Float64Array(r);
      const hist = historyIndices(cs, data.indexOf).map((i) => slotOf[i]!).filter((s) => s >= 0);
      for (const h of hist) for (let k = 0; k < r; k++) u[k]! += fr[h * r + k]!;
      const out = new Float32Array(N).fill(Number.NEGATIVE_INFINITY);
      const inHist = new Set(hist);
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += (u[k]! - (inHist.has(j) ? fr[j * r + k]! : 0)) * fr[j * r + k]!;
        out[modelled[j]!] = c[j]! * s;
      }
      return out;
    };
    for (const bits of values.bits!.split(',').map(Number)) {
      for (const rArg of values.ranks!.split(',')) {
        const r = rArg === 'all' ? m : Math.min(Number(rArg), m);
        const fr = quantizeRows(f, n, r, m, bits);
        const truncC = Float64Array.from({ length: n }, (_, i) => {
          let s = 0;
          for (let k = 0; k < r; k++) s += f[i * m + k]! ** 2;
          return 1 / Math.max(1 - s, 1e-9);
        });
        const bytes = n * r * (bits / 8) + 8 * n;
        evaluate(`lowrank n ${n} λ ${lambda} r ${r} ${bits}-bit exact-diag`, lowRank(r, fr, exactC), bytes);
        if (r < m && bits === Number(values.bits!.split(',')[0])) evaluate(`lowrank n ${n} λ ${lambda} r ${r} ${bits}-bit trunc-diag`, lowRank(r, fr, truncC), bytes);
      }
    }
    for (const hk of values.hybrid ? values.hybrid.split(',') : []) {
      const [r, K] = hk.split(':').map(Number) as [number, number];
      // Residual R_ij = c_j F_i,r: · F_j,r: (the tail), top-K per row by magnitude, int8 per row.
      const fr = quantizeRows(f, n, r, m, 8);
      const nb = new Int32Array(n * K);
      const wt = new Float32Array(n * K);
      const row = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          if (j === i) { row[j] = 0; continue; }
          let s = 0;
          for (let k = r; k < m; k++) s += f[i * m + k]! * f[j * m + k]!;
          row[j] = exactC[j]! * s;
        }
        const top = Array.from({ length: n }, (_, j) => j).sort((a, b) => Math.abs(row[b]!) - Math.abs(row[a]!)).slice(0, K);
        let max = 0;
        for (const j of top) max = Math.max(max, Math.abs(row[j]!));
        const scale = max / 127 || 1;
        top.forEach((j, s) => { nb[i * K + s] = j; wt[i * K + s] = Math.round(row[j]! / scale) * scale; });
      }
      const base = lowRank(r, fr, exactC);
      evaluate(`hybrid n ${n} λ ${lambda} r ${r} + residual K ${K}`, (cs) => {
        const out = base(cs);
        for (const i of historyIndices(cs, data.indexOf)) {
          const h = slotOf[i]!;
          if (h < 0) continue;
          for (let s = 0; s < K; s++) out[modelled[nb[h * K + s]!]!]! += wt[h * K + s]!;
        }
        return out;
      }, n * r + 8 * n + 3 * n * K);
    }
  }
}
