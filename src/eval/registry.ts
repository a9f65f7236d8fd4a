import { BprMf } from './models/bpr.ts';
import { ContentRecommender } from './models/content.ts';
import { Ease } from './models/ease.ts';
import { BlendRecommender } from './models/blend.ts';
import { ShippedThoughtSpace } from './models/thought-space-shipped.ts';
import { ShippedPulseBlend } from './models/pulse-blend.ts';
import { FittedPulseBlend } from './models/pulse-blend-fit.ts';
import { ItemKnn } from './models/item-knn.ts';
import { MostPopular } from './models/popular.ts';
import { RandomRecommender } from './models/random.ts';
import { SasRecRecommender, SASREC_DEFAULTS } from '../model/sasrec-recommender.ts';
import { ThoughtSpaceRecommender, THOUGHT_SPACE_DEFAULTS, type ThoughtSpaceVariant } from '../model/thought-space-recommender.ts';
import { TextVectorCache } from '../train/text-vector-cache.ts';
import type { Recommender } from './recommender.ts';

/**
 * Sweeps and bounded runs: PULSE_MODEL_OVERRIDES (JSON, e.g. {"learningRate":0.002}) is merged
 * into the sequence models' options, PULSE_TRAIN_BUDGET_S caps each one's training time (the
 * best epoch so far is kept; the fit report says when the budget, not early stopping, ended it).
 */
function sequenceOverrides(): Record<string, unknown> {
  const overrides = process.env.PULSE_MODEL_OVERRIDES ? (JSON.parse(process.env.PULSE_MODEL_OVERRIDES) as Record<string, unknown>) : {};
  const budget = process.env.PULSE_TRAIN_BUDGET_S;
  return budget ? { ...overrides, timeBudgetMs: Number(budget) * 1000 } : overrides;
}

/** One disk-cached text encoder for every Thought Space model of a run (rationales repeat across seeds). */
let textCache: TextVectorCache | null = null;
const thoughtSpace = (name: string, variant: ThoughtSpaceVariant) => () =>
  new ThoughtSpaceRecommender(name, { ...THOUGHT_SPACE_DEFAULTS, ...sequenceOverrides(), variant }, (textCache ??= new TextVectorCache()).encode);

/**
 * Every model `npm run eval -- --models …` can name. A factory makes a fresh, unfitted model
 * (one per seed), so no state leaks between runs. New models (sasrec, pulse) add one line.
 */
export interface RegistryEntry {
  describe: string;
  create: () => Recommender;
}

export const registry: Record<string, RegistryEntry> = {
  random: { describe: 'uniform random scores (seeded): the floor', create: () => new RandomRecommender() },
  pop: { describe: 'MostPopular by training interactions', create: () => new MostPopular() },
  itemknn: { describe: 'item–item cosine, neighbours and shrinkage tuned on validation', create: () => new ItemKnn() },
  ease: { describe: 'EASE (Steck 2019), closed form, λ tuned on validation; the 3,000 most popular training items', create: () => new Ease() },
  bpr: { describe: 'BPR-MF, 64-d, regularisation and epochs tuned on validation', create: () => new BprMf() },
  content: { describe: "USE-lite text vectors + the foundation's mean-vector ranker, popularity prior tuned", create: () => new ContentRecommender() },
  'content-shipped': {
    describe: 'the content ranker exactly as the demo ships it (popularity prior 0.1, untuned)',
    create: () => new ContentRecommender({ priorWeights: [0.1] }),
  },
  sasrec: { describe: 'SASRec (tfjs): ID embeddings, 2 causal blocks, full-softmax CE (Klenitskiy & Vasilev 2023); early-stopped on validation NDCG@10, patience 10 × 2 epochs', create: () => new SasRecRecommender('sasrec', { ...SASREC_DEFAULTS, ...sequenceOverrides() }) },
  'sasrec-sampled': { describe: 'SASRec with a softmax over 256 shared sampled negatives (cheaper; gSASRec-style)', create: () => new SasRecRecommender('sasrec-sampled', { ...SASREC_DEFAULTS, ...sequenceOverrides(), loss: 'sampled-ce' }) },
  'sasrec-bce': { describe: "SASRec with the paper's BCE loss (one sampled negative per step)", create: () => new SasRecRecommender('sasrec-bce', { ...SASREC_DEFAULTS, ...sequenceOverrides(), loss: 'bce' }) },
  pulse: { describe: 'PULSE Thought Space: text+ID item tower, behaviour tower, rationale tower; what + why InfoNCE', create: thoughtSpace('pulse', 'full') },
  'pulse+ease': {
    describe: 'Pulse blended with EASE (standardised scores, weight tuned on validation; weight 0 = Pulse alone)',
    create: () => new BlendRecommender('pulse+ease', thoughtSpace('pulse', 'full')(), new Ease()),
  },
  'pulse-norat+ease': {
    describe: 'ablation: the blend without the rationale view',
    create: () => new BlendRecommender('pulse-norat+ease', thoughtSpace('pulse-norat', 'norat')(), new Ease()),
  },
  'pulse-shipped': {
    describe: 'models/pulse-movielens as the worker loads it (no training; only on the split it trained on: LOO, seed 1)',
    create: () => new ShippedThoughtSpace('pulse-shipped', 'models/pulse-movielens', (textCache ??= new TextVectorCache()).encode),
  },
  'pulse-shipped+ease': {
    describe: 'the shipped Thought Space blended with EASE (weight tuned on validation)',
    create: () => new BlendRecommender('pulse-shipped+ease', new ShippedThoughtSpace('pulse-shipped', 'models/pulse-movielens', (textCache ??= new TextVectorCache()).encode), new Ease()),
  },
  'pulse-blend': {
    describe: 'what the worker ships: the exported Thought Space + sparse EASE + category profile, weights from models/pulse-movielens/blend.json (npm run blend; only on LOO seed 1)',
    create: () => new ShippedPulseBlend('pulse-blend', 'models/pulse-movielens', (textCache ??= new TextVectorCache()).encode),
  },
  'pulse-blend-fit': {
    describe: "the worker's blend refitted on this split and seed: Thought Space towers (as pulse) + exact EASE (λ on validation) + category profile, weights by npm run blend's grid and rule (src/eval/blend-search.ts), scored by the worker's blendedScores",
    create: () => new FittedPulseBlend('pulse-blend-fit', { towers: thoughtSpace('pulse', 'full'), knnWeights: [0.25, 0.5, 1, 2] }),
  },
  'pulse-blend-fit-norat': {
    describe: "pulse-blend-fit with towers trained without the rationale view (as pulse-norat): for logs whose ~100k teacher rationales would take hours to embed on this CPU (Amazon Beauty: 98,909 new texts at ~9/s under load)",
    create: () => new FittedPulseBlend('pulse-blend-fit-norat', { towers: thoughtSpace('pulse-norat', 'norat'), knnWeights: [0.25, 0.5, 1, 2] }),
  },
  'pulse-blend-fit-notowers': {
    describe: 'ablation of pulse-blend-fit without the Thought Space: exact EASE + category profile only, same grid, rule and scoring',
    create: () => new FittedPulseBlend('pulse-blend-fit-notowers', { towers: null }),
  },
  'pulse-shipped+content': {
    describe: "the shipped Thought Space blended with the content ranker (the worker's own text scores; weight tuned on validation)",
    create: () => new BlendRecommender('pulse-shipped+content', new ShippedThoughtSpace('pulse-shipped', 'models/pulse-movielens', (textCache ??= new TextVectorCache()).encode), new ContentRecommender()),
  },
  'pulse-shipped+text': {
    describe: "the shipped Thought Space blended with the worker's text scores exactly as it has them (content ranker, popularity prior 0.1); weight tuned on validation",
    create: () => new BlendRecommender('pulse-shipped+text', new ShippedThoughtSpace('pulse-shipped', 'models/pulse-movielens', (textCache ??= new TextVectorCache()).encode), new ContentRecommender({ priorWeights: [0.1] })),
  },
  'pulse-norat': { describe: 'ablation: no rationale view (no why loss, no steering)', create: thoughtSpace('pulse-norat', 'norat') },
  'pulse-ratonly': { describe: "ablation: ranks by the rationale view alone (the preference statement's vector)", create: thoughtSpace('pulse-ratonly', 'ratonly') },
  'pulse-noid': { describe: 'ablation: text-only item tower (no ID embedding)', create: thoughtSpace('pulse-noid', 'noid') },
};

export const DEFAULT_MODELS = ['pop', 'itemknn', 'bpr', 'content'];

export function modelsByName(names: readonly string[]): { name: string; create: () => Recommender }[] {
  return names.map((name) => {
    const entry = registry[name];
    if (!entry) throw new RangeError(`unknown model "${name}"; known: ${Object.keys(registry).join(', ')}`);
    return { name, create: entry.create };
  });
}
