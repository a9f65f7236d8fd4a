import type { CatalogItem } from './types.ts';

/** A catalog that does not match the schema; names the row (0-based index) and the field. */
export class CatalogError extends Error {
  override name = 'CatalogError';
  constructor(
    message: string,
    readonly row: number | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const MAX_ITEMS = 1_000_000;
/** ISO 4217: three capital letters (what Intl.NumberFormat takes as `currency`). */
const CURRENCY = /^[A-Z]{3}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(row: number, id: unknown, field: string, problem: string): never {
  const which = typeof id === 'string' && id !== '' ? ` (id "${id}")` : '';
  throw new CatalogError(`catalog row ${row}${which}: field "${field}" ${problem}`, row, field);
}

function optionalString(raw: Record<string, unknown>, row: number, field: 'url' | 'image'): string | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(row, raw.id, field, `must be a string, got ${typeof value}`);
  return value;
}

function optionalNumber(raw: Record<string, unknown>, row: number, field: 'price' | 'popularity'): number | undefined {
  const value = raw[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(row, raw.id, field, `must be a finite number ≥ 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates one row; returns a clean copy holding only schema fields. */
export function validateCatalogItem(raw: unknown, row: number): CatalogItem {
  if (!isRecord(raw)) throw new CatalogError(`catalog row ${row}: must be an object, got ${JSON.stringify(raw)}`, row);
  const { id, title, text, categories, year } = raw;
  if (typeof id !== 'string' || id.trim() === '') fail(row, id, 'id', 'must be a non-empty string');
  if (typeof title !== 'string' || title.trim() === '') fail(row, id, 'title', 'must be a non-empty string');
  if (typeof text !== 'string' || text.trim() === '') fail(row, id, 'text', 'must be a non-empty string');
  if (!Array.isArray(categories) || !categories.every((c) => typeof c === 'string')) {
    fail(row, id, 'categories', 'must be an array of strings');
  }
  // Optional: most shops' products have no year; absent and null both mean unknown.
  if (year !== undefined && year !== null && (typeof year !== 'number' || !Number.isInteger(year))) {
    fail(row, id, 'year', `must be an integer, null or absent, got ${JSON.stringify(year)}`);
  }
  const item: CatalogItem = { id, title, text, categories: [...categories], year: year ?? null };
  const url = optionalString(raw, row, 'url');
  const image = optionalString(raw, row, 'image');
  const price = optionalNumber(raw, row, 'price');
  const popularity = optionalNumber(raw, row, 'popularity');
  if (url !== undefined) item.url = url;
  if (image !== undefined) item.image = image;
  if (price !== undefined) item.price = price;
  const currency = raw.currency;
  if (currency !== undefined && currency !== null) {
    if (typeof currency !== 'string' || !CURRENCY.test(currency)) fail(row, raw.id, 'currency', `must be an ISO 4217 code such as "EUR", got ${JSON.stringify(currency)}`);
    item.currency = currency;
  }
  if (popularity !== undefined) item.popularity = popularity;
  return item;
}

/**
 * Validates a whole catalog (the parsed JSON of a catalog file). Throws a CatalogError
 * naming the first bad row and field; duplicate ids are an error, not a silent overwrite.
 */
export function validateCatalog(raw: unknown): CatalogItem[] {
  const rows = isRecord(raw) && Array.isArray(raw.items) ? raw.items : raw;
  if (!Array.isArray(rows)) {
    throw new CatalogError('catalog must be a JSON array of items (or an object with an "items" array)');
  }
  if (rows.length === 0) throw new CatalogError('catalog is empty');
  if (rows.length > MAX_ITEMS) throw new CatalogError(`catalog has ${rows.length} items; the limit is ${MAX_ITEMS}`);
  const seen = new Map<string, number>();
  return rows.map((row, index) => {
    const item = validateCatalogItem(row, index);
    const first = seen.get(item.id);
    if (first !== undefined) fail(index, item.id, 'id', `duplicates row ${first}`);
    seen.set(item.id, index);
    return item;
  });
}
