/**
 * `npm run why:truth -- [--held-out 200] [--focused 4] [--method samples|tot] [--candidates 3]
 * [--max-new-tokens 80] [--skip-free] [--out bench/results/why-truth]`: how often the headline
 * *why* a shopper would see is true.
 *
 * It runs the worker's rationale path (writeRationale: prompt → k candidates under grounded
 * decoding → claim checker → Thought Space choice; the evidence composer when no candidate is
 * true) with the shipped q8 SLM on onnxruntime-node and the shipped Thought Space on tfjs-wasm,
 * over:
 *   - held-out MovieLens windows: the SLM corpus' held-out users (never trained on), the same
 *     windows and event mix (views, carts, purchases, dismissals) as its training data;
 *   - focused tastes: 5 popular films of one category, each Liked as the demo records it.
 * For each shown headline it asks the claim checker (src/slm/grounding.ts) and an independent
 * recomputation from the raw events (why-truth-facts.ts), and also decodes the greedy answer
 * with grounded decoding off, to report the model's own (free) pass rate (--skip-free: not).
 * `--method tot` runs the paper's Tree-of-Thought (thought-tree.ts) instead of k samples; every
 * shown headline's Thought Space score and the time to write it are reported for both.
 * Prints the shares and writes `<out>.json` and `<out>.md`.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { composePreference } from '../core/evidence-composer.ts';
import { seededRandom } from '../core/random.ts';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { useNodeBackend } from '../model/node-backend.ts';
import { dirSource, loadTextBackboneFromDir } from '../model/node-model-files.ts';
import { loadThoughtSpace } from '../model/thought-space-loader.ts';
import { groundingFacts, ungroundedReason } from '../slm/grounding.ts';
import { buildPreferenceMessages } from '../slm/prompt.ts';
import { cleanRationale } from '../slm/rationale-text.ts';
import { RATIONALE_METHODS, writeRationale, type RationaleMethod } from '../slm/rationale-writer.ts';
import { SlmModel } from '../slm/slm-model.ts';
import { createThoughtSpaceScorer } from '../slm/thought-space-scorer.ts';
import { samplingPlan } from '../slm/tot-lite.ts';
import { SLM_DEFAULTS } from '../worker/slm-host.ts';
import { readCatalog, readMovieLensInteractions } from './slm-data.ts';
import { useLocalModels } from './slm/local-transformers.ts';
import { buildPreferenceCorpus, groupByUser } from './slm/preference-corpus.ts';
import { independentProblems } from './why-truth-facts.ts';

const { values: args } = parseArgs({
  options: {
    ratings: { type: 'string', default: '../shared/data/movielens-small/ratings.csv' },
    catalog: { type: 'string', default: 'public/catalog/movielens.json' },
    models: { type: 'string', default: 'models' },
    'held-out': { type: 'string', default: '200' },
    focused: { type: 'string', default: '4' },
    method: { type: 'string', default: 'samples' },
    candidates: { type: 'string', default: String(SLM_DEFAULTS.candidates) },
    'skip-free': { type: 'boolean', default: false },
    'max-new-tokens': { type: 'string', default: String(SLM_DEFAULTS.maxNewTokens) },
    out: { type: 'string', default: 'bench/results/why-truth' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run why:truth -- [--held-out 200] [--focused 4 (per category)] [--method samples|tot] [--candidates 3] [--max-new-tokens 80] [--skip-free] [--out bench/results/why-truth]');
  process.exit(0);
}
const method = String(args.method) as RationaleMethod;
if (!RATIONALE_METHODS.includes(method)) throw new Error(`--method: expected ${RATIONALE_METHODS.join(' or ')}, got ${String(args.method)}`);
const num = (name: keyof typeof args): number => {
  const value = Number(args[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: expected a number, got ${String(args[name])}`);
  return value;
};

/** Categories with enough well-known films for a focused taste of five. */
const FOCUS = ['War', 'Horror', 'Animation', 'Western', 'Musical', 'Sci-Fi', 'Romance', 'Crime', 'Documentary', 'Film-Noir'];

interface Result {
  kind: Case['kind'];
  label: string;
  source: 'slm' | 'evidence';
  text: string;
  /** Why no candidate was shown (the fallback's reason). */
  reason: string | null;
  checker: string | null;
  independent: string[];
  score: number | null;
  /** The shown headline's Thought Space score (the fallback's too), one scorer call for every method. */
  shownScore: number;
  ms: number;
  free: string;
  freeVerdict: string | null;
  freeIndependent: string[];
}

interface Case {
  kind: 'held-out' | 'focused';
  label: string;
  history: PulseEvent[];
}

function focusedCases(catalog: readonly CatalogItem[], perCategory: number): Case[] {
  const random = seededRandom(2026);
  const out: Case[] = [];
  for (const category of FOCUS) {
    const pool = catalog
      .filter((item) => item.categories.includes(category))
      .sort((a, b) => (b.popularity ?? 0) - (a.popularity ?? 0))
      .slice(0, 30);
    if (pool.length < 5) continue;
    for (let n = 0; n < perCategory; n++) {
      const picked = [...pool].sort(() => random() - 0.5).slice(0, 5);
      // Five presses of the demo's Like button: `like` events, no stars.
      out.push({ kind: 'focused', label: category, history: picked.map((item, i) => ({ type: 'like', itemId: item.id, ts: 1_000 + i })) });
    }
  }
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
const standardError = (xs: readonly number[]): number => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1) / xs.length);
};
const median = (xs: readonly number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  const t0 = performance.now();
  const catalog = await readCatalog(resolve(String(args.catalog)));
  const indexOf = new Map(catalog.map((item, i) => [item.id, i] as const));
  const lookup = (id: string): CatalogItem | undefined => {
    const row = indexOf.get(id);
    return row === undefined ? undefined : catalog[row];
  };
  const knownCategories = [...new Set(catalog.flatMap((item) => item.categories))];
  const byUser = groupByUser(await readMovieLensInteractions(resolve(String(args.ratings))));
  // The SLM's own corpus split (slm-train.ts: seed 42, 12 windows per user, 10% of users held out).
  const heldOut = buildPreferenceCorpus(byUser, catalog, { windowsPerUser: 12, maxWindow: 12, heldOutShare: 0.1, seed: 42 }).heldOut;
  const wanted = num('held-out');
  const step = Math.max(1, Math.floor(heldOut.length / Math.max(1, wanted)));
  const cases: Case[] = [
    ...heldOut
      .filter((_, i) => i % step === 0)
      .slice(0, wanted)
      .map((e) => ({ kind: 'held-out' as const, label: `user ${e.user}`, history: e.history })),
    ...focusedCases(catalog, num('focused')),
  ];

  const modelsDir = resolve(String(args.models));
  useLocalModels(modelsDir);
  await useNodeBackend('wasm');
  const model = await SlmModel.load({ model: 'pulse-slm', device: 'cpu', dtype: 'q8', remote: false });
  const space = await loadThoughtSpace(dirSource(resolve(modelsDir, 'pulse-movielens')));
  const backbone = await loadTextBackboneFromDir(resolve(modelsDir, 'use-lite'));
  const scorer = createThoughtSpaceScorer(backbone, space);
  const candidates = num('candidates');
  const maxNewTokens = num('max-new-tokens');

  const results: Result[] = [];
  for (const [n, c] of cases.entries()) {
    const facts = groundingFacts(c.history, lookup, knownCategories);
    let text: string;
    let source: 'slm' | 'evidence';
    let reason: string | null = null;
    let score: number | null = null;
    const started = performance.now();
    try {
      const selection = await writeRationale(model, { history: c.history, lookup, knownCategories, method, candidates, maxNewTokens, scorer });
      text = selection.best.text;
      score = selection.best.score;
      source = 'slm';
    } catch (error) {
      text = cleanRationale(composePreference(c.history, { catalog, indexOf }));
      source = 'evidence';
      reason = error instanceof Error ? error.message : String(error);
    }
    const ms = performance.now() - started;
    // The model's own answer: greedy, grounded decoding off.
    const free = args['skip-free'] ? '' : cleanRationale((await model.generate(buildPreferenceMessages(c.history, lookup), { maxNewTokens, sampling: samplingPlan(0) })).text);
    const [shownScore = Number.NaN] = await scorer.score(c.history, [text]);
    const checker = ungroundedReason(text, facts);
    const independent = independentProblems(text, c.history, lookup);
    results.push({ kind: c.kind, label: c.label, source, text, reason, checker, independent, score, shownScore, ms: Math.round(ms), free, freeVerdict: ungroundedReason(free, facts), freeIndependent: independentProblems(free, c.history, lookup) });
    if (n % 20 === 0) console.log(`${n + 1}/${cases.length} ${c.kind} ${c.label}: [${source}] ${text}`);
  }
  space.dispose();
  backbone.dispose();

  const share = (k: number) => `${((100 * k) / Math.max(1, results.length)).toFixed(1)}%`;
  const count = (f: (r: Result) => boolean) => results.filter(f).length;
  const words = results.reduce((a, r) => a + r.text.split(/\s+/).length, 0) / Math.max(1, results.length);
  const summary = {
    createdAt: new Date().toISOString(),
    command: `npm run why:truth -- ${process.argv.slice(2).join(' ')}`.trim(),
    histories: results.length,
    heldOut: count((r) => r.kind === 'held-out'),
    focused: count((r) => r.kind === 'focused'),
    method,
    candidates,
    maxNewTokens,
    freeDecoding: !args['skip-free'],
    meanShownScore: Number(mean(results.map((r) => r.shownScore)).toFixed(4)),
    meanShownScoreSE: Number(standardError(results.map((r) => r.shownScore)).toFixed(4)),
    meanMs: Math.round(mean(results.map((r) => r.ms))),
    meanMsSE: Math.round(standardError(results.map((r) => r.ms))),
    medianMs: Math.round(median(results.map((r) => r.ms))),
    trueByChecker: count((r) => r.checker === null),
    trueIndependently: count((r) => r.independent.length === 0),
    modelWritten: count((r) => r.source === 'slm'),
    evidence: count((r) => r.source === 'evidence'),
    meanWords: Number(words.toFixed(1)),
    meanChars: Number((results.reduce((a, r) => a + r.text.length, 0) / Math.max(1, results.length)).toFixed(1)),
    freeGreedyTrue: count((r) => r.freeVerdict === null),
    freeGreedyTrueIndependently: count((r) => r.freeIndependent.length === 0),
    disagreements: count((r) => (r.checker === null) !== (r.independent.length === 0)) + count((r) => (r.freeVerdict === null) !== (r.freeIndependent.length === 0)),
    minutes: Number(((performance.now() - t0) / 60000).toFixed(1)),
  };
  const reasons = new Map<string, number>();
  for (const r of results) if (r.reason) {
    const kind = r.reason.replace(/^no (?:candidate|first sentence) of \d+(?: candidates?)? was grounded in the history: /, '').replace(/“[^”]*”/g, '…').replace(/\d+(\.\d+)?/g, 'N');
    reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
  }
  const topReasons = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10);
  const lines = [
    `shown headlines true by the claim checker: ${summary.trueByChecker}/${summary.histories} (${share(summary.trueByChecker)})`,
    `shown headlines true by the independent recomputation: ${summary.trueIndependently}/${summary.histories} (${share(summary.trueIndependently)})`,
    `written by the model: ${summary.modelWritten}/${summary.histories} (${share(summary.modelWritten)}); evidence fallback: ${summary.evidence}`,
    `mean length: ${summary.meanWords} words (${summary.meanChars} characters)`,
    `Thought Space score of the shown headline: mean ${summary.meanShownScore} (SE ${summary.meanShownScoreSE})`,
    `time to write it: mean ${summary.meanMs} ms (SE ${summary.meanMsSE}), median ${summary.medianMs} ms`,
    ...(summary.freeDecoding ? [`free decoding (greedy, no constraint) true: ${summary.freeGreedyTrue}/${summary.histories} (${share(summary.freeGreedyTrue)}); independently ${summary.freeGreedyTrueIndependently}`] : []),
    `checker vs independent disagreements: ${summary.disagreements}`,
  ];
  for (const line of lines) console.log(line);
  const out = resolve(String(args.out));
  writeFileSync(`${out}.json`, `${JSON.stringify({ summary, topReasons, results }, null, 1)}\n`);
  const samples = FOCUS.slice(0, 5)
    .map((label) => results.find((r) => r.kind === 'focused' && r.label === label))
    .filter((r) => r !== undefined)
    .map((r) => `- **${r.label}** (${r.source === 'slm' ? 'model' : 'evidence fallback'}): ${r.text}`);
  writeFileSync(
    `${out}.md`,
    [
      '# Truth of the headline why',
      '',
      `\`${summary.command}\` — ${summary.createdAt}, ${summary.minutes} min on this machine.`,
      `${summary.histories} histories: ${summary.heldOut} held-out MovieLens windows (the SLM corpus' held-out users) and ${summary.focused} focused tastes (5 Liked films of one category).`,
      `The worker's path: ${method === 'tot' ? 'Tree-of-Thought (one-sentence thoughts, branching 3, beam 2, depth 3)' : `${candidates} candidates`} under grounded decoding, ${maxNewTokens} new tokens at most, the claim checker, the Thought Space's choice; the evidence composer when none is true.`,
      '',
      ...lines.map((l) => `- ${l}`),
      '',
      '## Why candidates were rejected (histories shown the fallback)',
      '',
      ...topReasons.map(([r, k]) => `- ${k} × ${r}`),
      '',
      '## Headlines for five focused tastes',
      '',
      ...samples,
      '',
    ].join('\n'),
  );
  console.log(`wrote ${out}.json and ${out}.md`);
}

await main();
