/**
 * Builds the demo catalog from MovieLens:
 *   npm run catalog:build -- [--movies path/movies.csv] [--ratings path/ratings.csv] [--out public/catalog/movielens.json]
 * The output is committed, so the app never reads the data folder at run time.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { buildMovieLensCatalog } from '../src/core/movielens.ts';
import { validateCatalog } from '../src/core/catalog.ts';
import { runCli } from '../src/build/cli-run.ts';
import { FeedError } from '../src/build/feed-problem.ts';

const USAGE = `Usage: npm run catalog:build -- [options]

Builds the demo's MovieLens catalog (public/catalog/movielens.json).
  --movies <csv>    MovieLens movies.csv (default data/movielens-small/movies.csv)
  --ratings <csv>   MovieLens ratings.csv (default data/movielens-small/ratings.csv)
  --out <json>      output (default public/catalog/movielens.json)
  -h, --help        show this text
For a shop's own products use pulse build (npm run pulse -- build --help).`;

async function read(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new FeedError(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error));
  }
}

await runCli({
  name: 'catalog:build',
  usage: USAGE,
  options: {
    movies: { type: 'string', default: 'data/movielens-small/movies.csv' },
    ratings: { type: 'string', default: 'data/movielens-small/ratings.csv' },
    out: { type: 'string', default: 'public/catalog/movielens.json' },
  },
  async run({ values }) {
    const { items, skipped } = buildMovieLensCatalog(await read(values.movies as string), await read(values.ratings as string));
    validateCatalog(items);
    for (const s of skipped) console.warn(`skipped movieId ${s.movieId}: ${s.reason}`);
    await writeFile(values.out as string, JSON.stringify(items) + '\n');
    console.log(`wrote ${items.length} items to ${values.out} (${skipped.length} skipped)`);
  },
});
