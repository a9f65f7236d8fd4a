import { BprMf } from './models/bpr.ts';
import { ContentRecommender } from './models/content.ts';
import { ItemKnn } from './models/item-knn.ts';
import { MostPopular } from './models/popular.ts';
import { RandomRecommender } from './models/random.ts';
import type { Recommender } from './recommender.ts';

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
  bpr: { describe: 'BPR-MF, 64-d, regularisation and epochs tuned on validation', create: () => new BprMf() },
  content: { describe: "USE-lite text vectors + the foundation's mean-vector ranker, popularity prior tuned", create: () => new ContentRecommender() },
  'content-shipped': {
    describe: 'the content ranker exactly as the demo ships it (popularity prior 0.1, untuned)',
    create: () => new ContentRecommender({ priorWeights: [0.1] }),
  },
};

export const DEFAULT_MODELS = ['pop', 'itemknn', 'bpr', 'content'];

export function modelsByName(names: readonly string[]): { name: string; create: () => Recommender }[] {
  return names.map((name) => {
    const entry = registry[name];
    if (!entry) throw new RangeError(`unknown model "${name}"; known: ${Object.keys(registry).join(', ')}`);
    return { name, create: entry.create };
  });
}
