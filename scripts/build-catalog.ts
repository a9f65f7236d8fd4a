/**
 * Builds the demo catalog from MovieLens:
 *   npm run catalog:build -- [--movies path/movies.csv] [--ratings path/ratings.csv] [--out public/catalog/movielens.json]
 * The output is committed, so the app never reads ../shared at run time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildMovieLensCatalog } from '../src/core/movielens.ts';
import { validateCatalog } from '../src/core/catalog.ts';

const { values } = parseArgs({
  options: {
    movies: { type: 'string', default: '../shared/data/movielens-small/movies.csv' },
    ratings: { type: 'string', default: '../shared/data/movielens-small/ratings.csv' },
    out: { type: 'string', default: 'public/catalog/movielens.json' },
  },
});

const { items, skipped } = buildMovieLensCatalog(
  await readFile(values.movies!, 'utf8'),
  await readFile(values.ratings!, 'utf8'),
);
validateCatalog(items);
for (const s of skipped) console.warn(`skipped movieId ${s.movieId}: ${s.reason}`);
await writeFile(values.out!, JSON.stringify(items) + '\n');
console.log(`wrote ${items.length} items to ${values.out} (${skipped.length} skipped)`);
