/**
 * Browse logic for the storefront: search, genre filter, sort, pages. Pure and
 * platform-free so it is unit-tested in Node and never touches the DOM.
 */
import type { CatalogItem } from '../core/types.ts';

export type SortOrder = 'popular' | 'newest' | 'oldest' | 'title';

export interface CatalogQuery {
  text: string;
  /** An item must carry every selected genre (chips narrow the list). */
  genres: ReadonlySet<string>;
  sort: SortOrder;
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface CatalogPage {
  items: CatalogItem[];
  /** How many items matched (all pages). */
  total: number;
  /** The page actually shown (clamped to 1…pages). */
  page: number;
  pages: number;
  /** 0-based index of the first item shown, for "showing 25–48 of …". */
  offset: number;
}

/** Lower case without accents, so "amelie" finds "Amélie" and "LEON" finds "Léon". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The first pages of an order are selected, not sorted, until prepare() has sorted it. */
const QUICK_TOP = 96;

/**
 * Search keys, genre counts and sort orders, computed when first needed or ahead of time in
 * slices (prepare): folding and sorting 9k titles in one go is a long task on a slow machine,
 * and the first screen needs only the top 24 by popularity.
 */
export class CatalogIndex {
  readonly items: readonly CatalogItem[];
  private keys: string[] | null = null;
  private genreList: string[] | null = null;
  private readonly sorted = new Map<SortOrder, readonly CatalogItem[]>();

  constructor(items: readonly CatalogItem[]) {
    this.items = items;
  }

  /** Genres ordered by how many items carry them, most first. */
  genres(): string[] {
    return (this.genreList ??= countGenres(this.items));
  }

  query(query: CatalogQuery): CatalogPage {
    const needle = foldText(query.text.trim());
    const wanted = [...query.genres];
    const pageSize = Math.max(1, Math.floor(query.pageSize));
    if (needle === '' && wanted.length === 0) {
      const { page, pages, offset } = paging(this.items.length, pageSize, query.page);
      const end = offset + pageSize;
      const ordered = this.sorted.get(query.sort) ?? (end <= QUICK_TOP ? topN(this.items, COMPARE[query.sort], end) : this.inOrder(query.sort));
      return { items: ordered.slice(offset, end), total: this.items.length, page, pages, offset };
    }
    const keys = this.titleKeys();
    const matches = new Set<CatalogItem>();
    this.items.forEach((item, i) => {
      if (needle !== '' && !keys[i]!.includes(needle)) return;
      if (!wanted.every((genre) => item.categories.includes(genre))) return;
      matches.add(item);
    });
    const ordered = this.inOrder(query.sort).filter((item) => matches.has(item));
    const { page, pages, offset } = paging(ordered.length, pageSize, query.page);
    return { items: ordered.slice(offset, offset + pageSize), total: ordered.length, page, pages, offset };
  }

  /**
   * Computes the search keys and the genre list ahead of use, `slice` items at a time,
   * awaiting `pause` after each piece so the page stays responsive. (A sorted order is left
   * to the first query that needs one: the first pages come by selection.)
   */
  async prepare(pause: () => Promise<void>, slice = 500): Promise<void> {
    // Not in the caller's task: that one just rendered the first screen.
    await pause();
    const keys: string[] = [];
    const counts = new Map<string, number>();
    for (let start = 0; start < this.items.length; start += slice) {
      const end = Math.min(this.items.length, start + slice);
      for (let i = start; i < end; i++) {
        const item = this.items[i]!;
        if (!this.keys) keys.push(foldText(item.title));
        if (!this.genreList) for (const genre of item.categories) counts.set(genre, (counts.get(genre) ?? 0) + 1);
      }
      await pause();
    }
    this.keys ??= keys;
    this.genreList ??= genreOrder(counts);
    await pause();
  }

  private titleKeys(): string[] {
    return (this.keys ??= this.items.map((item) => foldText(item.title)));
  }

  /** Each order is computed once and kept; the filter then walks it. */
  private inOrder(sort: SortOrder): readonly CatalogItem[] {
    let ordered = this.sorted.get(sort);
    if (!ordered) {
      ordered = [...this.items].sort(COMPARE[sort]);
      this.sorted.set(sort, ordered);
    }
    return ordered;
  }
}

function paging(total: number, pageSize: number, wanted: number): { page: number; pages: number; offset: number } {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(wanted) || 1), pages);
  return { page, pages, offset: (page - 1) * pageSize };
}

function countGenres(items: readonly CatalogItem[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    for (const genre of item.categories) counts.set(genre, (counts.get(genre) ?? 0) + 1);
  }
  return genreOrder(counts);
}

function genreOrder(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.entries()]
    .filter(([genre]) => genre !== '(no genres listed)')
    .sort((a, b) => b[1] - a[1] || codeUnitOrder(a[0], b[0]))
    .map(([genre]) => genre);
}

/**
 * The first `n` items of `compare`'s order, as a stable sort would give them (an item goes
 * after those it ties with), in one pass that keeps only the best n.
 */
export function topN<T>(items: readonly T[], compare: (a: T, b: T) => number, n: number): T[] {
  const best: T[] = [];
  if (n <= 0) return best;
  for (const item of items) {
    if (best.length === n && compare(item, best[n - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(item, best[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, item);
    if (best.length > n) best.pop();
  }
  return best;
}

/** Plain UTF-16 order: stable ties without ICU (the page's first collation costs 50 ms+). */
const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
let collator: Intl.Collator | null = null;
/** The A–Z order proper, for the one sort a shopper reads as alphabetical. */
const byTitle = (a: CatalogItem, b: CatalogItem): number => (collator ??= new Intl.Collator()).compare(a.title, b.title);
const byTitleCodeUnits = (a: CatalogItem, b: CatalogItem): number => codeUnitOrder(a.title, b.title);
const byPopularity = (a: CatalogItem, b: CatalogItem): number => (b.popularity ?? 0) - (a.popularity ?? 0);

/** Ties fall back to popularity then title, so the order is stable across reloads. */
const COMPARE: Record<SortOrder, (a: CatalogItem, b: CatalogItem) => number> = {
  popular: (a, b) => byPopularity(a, b) || byTitleCodeUnits(a, b),
  newest: (a, b) => (b.year ?? -Infinity) - (a.year ?? -Infinity) || byPopularity(a, b) || byTitleCodeUnits(a, b),
  oldest: (a, b) => (a.year ?? Infinity) - (b.year ?? Infinity) || byPopularity(a, b) || byTitleCodeUnits(a, b),
  title: (a, b) => byTitle(a, b) || byPopularity(a, b),
};

export function isSortOrder(value: string): value is SortOrder {
  return value in COMPARE;
}
