/**
 * A product feed as CSV → catalog items (the foundation schema, src/core/types.ts). Pure, so the
 * evaluation (`npm run eval -- --catalog items.csv`) and a shop's build can share it.
 *
 * Columns, found by header name (first alias that is present wins):
 *   - id       (required): item | id | itemId | item_id | movieId
 *   - title    (required): title | name
 *   - categories (optional): categories | category | genres — labels separated by `|` (or `;`)
 *   - year     (optional): year — four digits, else unknown (null)
 *   - text     (optional): text | description — appended to the title for the text backbone
 * The text the backbone reads is "Title (year). Categories: a, b. Description" with the parts
 * that exist, the same shape as the MovieLens catalog's text.
 * A row with an empty id or title is skipped and counted (a storefront cannot show it, and a
 * made-up label would be embedded as if it were real); a repeated id is an error.
 */
import { CsvError, parseCsv } from './csv.ts';
import { CatalogError } from './catalog.ts';
import type { CatalogItem } from './types.ts';

export const CATALOG_COLUMNS = {
  id: ['item', 'id', 'itemId', 'item_id', 'movieId'],
  title: ['title', 'name'],
  categories: ['categories', 'category', 'genres'],
  year: ['year'],
  text: ['text', 'description'],
} as const;

export interface CatalogCsvResult {
  items: CatalogItem[];
  /** Rows left out, per reason, with up to five example lines (1-based; the header is line 1). */
  skipped: { reason: string; count: number; lines: number[] }[];
  /** Which file column fed each field. */
  columns: Partial<Record<keyof typeof CATALOG_COLUMNS, string>>;
}

const NO_CATEGORIES = new Set(['', '(no genres listed)']);

function splitCategories(raw: string): string[] {
  const text = raw.trim();
  if (NO_CATEGORIES.has(text)) return [];
  return [...new Set(text.split(/[|;]/).map((c) => c.trim()).filter((c) => c !== ''))];
}

export function itemText(title: string, year: number | null, categories: readonly string[], description = ''): string {
  const head = year === null ? title : `${title} (${year})`;
  const parts = [/[.!?]$/.test(head) ? head : `${head}.`];
  if (categories.length) parts.push(`Categories: ${categories.join(', ')}.`);
  if (description.trim() !== '') parts.push(description.trim());
  return parts.join(' ');
}

export function readCatalogCsv(text: string): CatalogCsvResult {
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new CatalogError(`catalog CSV: ${error.message}`);
    throw error;
  }
  const [header, ...body] = rows;
  if (!header || (header.length === 1 && header[0] === '')) throw new CatalogError('catalog CSV is empty: expected a header row');
  const at = Object.fromEntries(
    (Object.keys(CATALOG_COLUMNS) as (keyof typeof CATALOG_COLUMNS)[]).map((f) => [f, CATALOG_COLUMNS[f].map((a) => header.indexOf(a)).find((i) => i >= 0) ?? -1]),
  ) as Record<keyof typeof CATALOG_COLUMNS, number>;
  for (const f of ['id', 'title'] as const) {
    if (at[f] < 0) throw new CatalogError(`catalog CSV header "${header.join(',')}" lacks a ${f} column (${CATALOG_COLUMNS[f].join(' / ')})`);
  }
  const columns: CatalogCsvResult['columns'] = {};
  for (const f of Object.keys(at) as (keyof typeof CATALOG_COLUMNS)[]) if (at[f] >= 0) columns[f] = header[at[f]]!;
  const skipped = new Map<string, { reason: string; count: number; lines: number[] }>();
  const skip = (reason: string, line: number) => {
    const entry = skipped.get(reason) ?? { reason, count: 0, lines: [] };
    entry.count++;
    if (entry.lines.length < 5) entry.lines.push(line);
    skipped.set(reason, entry);
  };
  const items: CatalogItem[] = [];
  const lineOf = new Map<string, number>();
  body.forEach((cells, r) => {
    const line = r + 2;
    if (cells.length === 1 && cells[0] === '') return skip('blank line', line);
    if (cells.length !== header.length) throw new CatalogError(`catalog CSV line ${line}: ${cells.length} fields, the header has ${header.length}`);
    const id = cells[at.id]!.trim();
    const title = cells[at.title]!.trim();
    if (id === '') return skip('empty id', line);
    if (title === '') return skip('empty title', line);
    const first = lineOf.get(id);
    if (first !== undefined) throw new CatalogError(`catalog CSV line ${line}: id "${id}" repeats line ${first}`);
    lineOf.set(id, line);
    const categories = at.categories >= 0 ? splitCategories(cells[at.categories]!) : [];
    const yearText = at.year >= 0 ? cells[at.year]!.trim() : '';
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : null;
    const description = at.text >= 0 ? cells[at.text]! : '';
    items.push({ id, title, text: itemText(title, year, categories, description), categories, year });
  });
  return { items, skipped: [...skipped.values()], columns };
}
