/**
 * Node-only: reads the MovieLens ratings and the built catalog that the SLM corpus is made
 * from. Ratings become `rating` events, as everywhere else in Pulse.
 */
import { readFile } from 'node:fs/promises';
import { parseCsvRecords } from '../core/csv.ts';
import type { CatalogItem, Interaction } from '../core/types.ts';

export async function readMovieLensInteractions(ratingsCsvPath: string): Promise<Interaction[]> {
  const rows = parseCsvRecords(await readFile(ratingsCsvPath, 'utf8'), ['userId', 'movieId', 'rating', 'timestamp']);
  return rows.map((r) => ({
    user: r.userId!,
    type: 'rating' as const,
    itemId: r.movieId!,
    value: Number(r.rating),
    // MovieLens stores seconds; events carry milliseconds.
    ts: Number(r.timestamp) * 1000,
  }));
}

export async function readCatalog(catalogJsonPath: string): Promise<CatalogItem[]> {
  const parsed: unknown = JSON.parse(await readFile(catalogJsonPath, 'utf8'));
  if (!Array.isArray(parsed)) throw new Error(`${catalogJsonPath}: expected a JSON array of catalog items`);
  return parsed as CatalogItem[];
}
