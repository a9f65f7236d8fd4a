import { parseCsvRecords } from './csv.ts';
import type { CatalogItem } from './types.ts';

const NO_GENRES = '(no genres listed)';
const TRAILING_ARTICLE = /^(.*), (The|A|An|Les|La|Le|L'|Il|El|Das|Der|Die)( \(.*\))?$/;

/** MovieLens files "American President, The"; a shopper reads "The American President". */
export function displayTitle(raw: string): string {
  const m = TRAILING_ARTICLE.exec(raw.trim());
  if (!m) return raw.trim();
  const article = m[2]!;
  const joiner = article.endsWith("'") ? '' : ' ';
  return `${article}${joiner}${m[1]}${m[3] ?? ''}`;
}

/** The text the backbone reads: title, year and genres in one sentence each. */
export function movieText(title: string, year: number | null, genres: string[]): string {
  const head = year === null ? `${title}.` : `${title} (${year}).`;
  return genres.length ? `${head} Genres: ${genres.join(', ')}.` : head;
}

export interface MovieLensCatalog {
  items: CatalogItem[];
  /** Rows left out, with the reason: a shop-facing catalog cannot show an item without a title. */
  skipped: { movieId: string; reason: string }[];
}

/**
 * Builds a catalog from MovieLens `movies.csv` (+ `ratings.csv` for popularity).
 * Rows without a title are skipped and reported — never given a made-up label — because a
 * storefront cannot show them and the backbone would embed their genres alone.
 */
export function buildMovieLensCatalog(moviesCsv: string, ratingsCsv?: string): MovieLensCatalog {
  const counts = new Map<string, number>();
  if (ratingsCsv !== undefined) {
    for (const r of parseCsvRecords(ratingsCsv, ['userId', 'movieId', 'rating', 'timestamp'])) {
      counts.set(r.movieId!, (counts.get(r.movieId!) ?? 0) + 1);
    }
  }
  const items: CatalogItem[] = [];
  const skipped: MovieLensCatalog['skipped'] = [];
  for (const r of parseCsvRecords(moviesCsv, ['movieId', 'title', 'year', 'genres'])) {
    const movieId = r.movieId!;
    if (r.title!.trim() === '') {
      skipped.push({ movieId, reason: 'empty title' });
      continue;
    }
    const title = displayTitle(r.title!);
    const year = /^\d{4}$/.test(r.year!) ? Number(r.year) : null;
    const categories = r.genres === NO_GENRES || r.genres === '' ? [] : r.genres!.split('|');
    const item: CatalogItem = { id: movieId, title, text: movieText(title, year, categories), categories, year };
    if (ratingsCsv !== undefined) item.popularity = counts.get(movieId) ?? 0;
    items.push(item);
  }
  return { items, skipped };
}
