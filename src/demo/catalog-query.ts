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

/** Precomputed search keys: folding 9k titles on every keystroke would be wasteful. */
export class CatalogIndex {
  readonly items: readonly CatalogItem[];
  private readonly keys: string[];
  private readonly sorted = new Map<SortOrder, readonly CatalogItem[]>();

  constructor(items: readonly CatalogItem[]) {
    this.items = items;
    this.keys = items.map((item) => foldText(item.title));
  }

  /** Genres ordered by how many items carry them, most first. */
  genres(): string[] {
    const counts = new Map<string, number>();
    for (const item of this.items) {
      for (const genre of item.categories) counts.set(genre, (counts.get(genre) ?? 0) + 1);
    }
    return [...counts.entries()]
      .filter(([genre]) => genre !== '(no genres listed)')
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([genre]) => genre);
  }

  query(query: CatalogQuery): CatalogPage {
    const needle = foldText(query.text.trim());
    const wanted = [...query.genres];
    const matches = new Set<CatalogItem>();
    this.items.forEach((item, i) => {
      if (needle !== '' && !this.keys[i]!.includes(needle)) return;
      if (!wanted.every((genre) => item.categories.includes(genre))) return;
      matches.add(item);
    });
    const ordered = this.inOrder(query.sort).filter((item) => matches.has(item));
    const pageSize = Math.max(1, Math.floor(query.pageSize));
    const pages = Math.max(1, Math.ceil(ordered.length / pageSize));
    const page = Math.min(Math.max(1, Math.floor(query.page) || 1), pages);
    const offset = (page - 1) * pageSize;
    return { items: ordered.slice(offset, offset + pageSize), total: ordered.length, page, pages, offset };
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

const byTitle = (a: CatalogItem, b: CatalogItem): number => a.title.localeCompare(b.title);
const byPopularity = (a: CatalogItem, b: CatalogItem): number => (b.popularity ?? 0) - (a.popularity ?? 0);

/** Ties fall back to popularity then title, so the order is stable across reloads. */
const COMPARE: Record<SortOrder, (a: CatalogItem, b: CatalogItem) => number> = {
  popular: (a, b) => byPopularity(a, b) || byTitle(a, b),
  newest: (a, b) => (b.year ?? -Infinity) - (a.year ?? -Infinity) || byPopularity(a, b) || byTitle(a, b),
  oldest: (a, b) => (a.year ?? Infinity) - (b.year ?? Infinity) || byPopularity(a, b) || byTitle(a, b),
  title: (a, b) => byTitle(a, b) || byPopularity(a, b),
};

export function isSortOrder(value: string): value is SortOrder {
  return value in COMPARE;
}
