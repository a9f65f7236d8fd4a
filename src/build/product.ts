/**
 * One feed row → one catalog item, or the reason it is skipped. The display fields only
 * (id, title, text, categories, url, image, price, currency, popularity, year): nothing
 * else of the feed is copied into the folder a shop hosts. Out-of-stock rows are skipped
 * here, so they are never recommended.
 */
import { CatalogError, validateCatalogItem } from '../core/catalog.ts';
import type { CatalogItem } from '../core/types.ts';

/** Why a row is not in the catalog: the feed's field name (or null) and a short reason. */
export interface Skip {
  field: string | null;
  reason: string;
  detail?: string;
}

export type RowResult = { item: CatalogItem } | { skip: Skip };

/** How long a description may be in `text`: USE-lite reads the start; the rest costs time only. */
const DESCRIPTION_CHARS = 400;

const ALIASES = {
  id: ['id', 'sku', 'product_id', 'item_id', 'offer_id'],
  title: ['title', 'name', 'product_name'],
  description: ['description', 'body_html', 'body', 'text'],
  categories: ['categories', 'category'],
  productType: ['product_type', 'type'],
  googleCategory: ['google_product_category'],
  brand: ['brand', 'vendor'],
  price: ['sale_price', 'price'],
  currency: ['currency'],
  link: ['link', 'url'],
  image: ['image_link', 'image', 'image_url'],
  availability: ['availability', 'in_stock', 'stock'],
  popularity: ['popularity', 'sales'],
  year: ['year'],
} as const;

type Field = keyof typeof ALIASES;

/** The first non-empty value among a field's names, with the name it came from. */
function pick(values: Readonly<Record<string, string | undefined>>, field: Field): { name: string; value: string } | null {
  for (const name of ALIASES[field]) {
    const value = values[name];
    if (value !== undefined && value.trim() !== '') return { name, value: value.trim() };
  }
  return null;
}

export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** "12.99 USD", "USD 12.99", "12,99 EUR", "1,299.00" → price and currency (or the problem). */
export function parsePrice(raw: string, defaultCurrency?: string): { price: number; currency?: string } | { problem: string } {
  const match = /^([A-Za-z]{3})?\s*([0-9][0-9.,]*)\s*([A-Za-z]{3})?$/.exec(raw.trim());
  if (!match || (match[1] && match[3])) return { problem: `"${raw}" is not a price like "12.99 USD"` };
  let number = match[2]!;
  if (number.includes(',') && number.includes('.')) number = number.replace(/,/g, '');
  else if (/^\d+,\d{1,2}$/.test(number)) number = number.replace(',', '.');
  else if (number.includes(',')) number = number.replace(/,/g, '');
  const price = Number(number);
  if (!Number.isFinite(price) || price < 0) return { problem: `"${raw}" is not a price like "12.99 USD"` };
  const currency = (match[1] ?? match[3])?.toUpperCase() ?? defaultCurrency;
  return currency ? { price, currency } : { price };
}

const IN_STOCK = new Set(['in stock', 'in_stock', 'instock', 'available', 'preorder', 'pre-order', 'backorder', 'true', 'yes', '1']);
const OUT_OF_STOCK = new Set(['out of stock', 'out_of_stock', 'outofstock', 'sold out', 'sold_out', 'discontinued', 'false', 'no', '0']);

/** true: may be recommended; false: out of stock; a string: the value is not understood. */
export function parseAvailability(raw: string | undefined): boolean | string {
  if (raw === undefined || raw.trim() === '') return true;
  const value = raw.trim().toLowerCase();
  if (IN_STOCK.has(value)) return true;
  if (OUT_OF_STOCK.has(value)) return false;
  return `"${raw}" is not "in stock", "out of stock", "preorder" or "backorder"`;
}

/** Leaf of a "Home & Garden > Kitchen & Dining > Cookware" path: the part that tells items apart. */
function leaf(path: string): string {
  return path.split('>').at(-1)!.trim();
}

function categoriesOf(values: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  const list = pick(values, 'categories');
  if (list) out.push(...list.value.split(/[|,]/).map((c) => c.trim()));
  const type = pick(values, 'productType');
  if (type) out.push(...type.value.split(',').map(leaf));
  const google = pick(values, 'googleCategory');
  // A numeric taxonomy id ("654") says nothing to a shopper.
  if (google && !/^\d+$/.test(google.value)) out.push(leaf(google.value));
  return [...new Set(out.filter((c) => c !== ''))];
}

export function itemText(title: string, brand: string | null, categories: readonly string[], description: string): string {
  const short = description.length > DESCRIPTION_CHARS ? `${description.slice(0, DESCRIPTION_CHARS).replace(/\s+\S*$/, '')}…` : description;
  return [title, brand, categories.join(', '), short].filter((part) => part && part !== '').join('. ');
}

export interface ProductOptions {
  /** ISO 4217 code for prices that name none. */
  currency?: string;
}

/** A flat record: a CSV/TSV row or an XML item, keyed by lower-case column/element name. */
export function productFromRecord(values: Readonly<Record<string, string | undefined>>, options: ProductOptions = {}): RowResult {
  const id = pick(values, 'id');
  if (!id) return { skip: { field: 'id', reason: 'missing id' } };
  const title = pick(values, 'title');
  if (!title) return { skip: { field: 'title', reason: 'missing title' } };
  const availability = pick(values, 'availability');
  const available = parseAvailability(availability?.value);
  if (available === false) return { skip: { field: availability!.name, reason: 'out of stock' } };
  if (typeof available === 'string') return { skip: { field: availability!.name, reason: 'unknown availability', detail: available } };
  const categories = categoriesOf(values);
  const description = stripHtml(pick(values, 'description')?.value ?? '');
  const brand = pick(values, 'brand')?.value ?? null;
  const item: CatalogItem = { id: id.value, title: title.value, text: itemText(title.value, brand, categories, description), categories, year: null };
  const price = pick(values, 'price');
  if (price) {
    const currency = pick(values, 'currency')?.value.toUpperCase() ?? options.currency;
    const parsed = parsePrice(price.value, currency);
    if ('problem' in parsed) return { skip: { field: price.name, reason: 'bad price', detail: parsed.problem } };
    item.price = parsed.price;
    if (parsed.currency) {
      if (!/^[A-Z]{3}$/.test(parsed.currency)) return { skip: { field: 'currency', reason: 'bad currency', detail: `"${parsed.currency}" is not an ISO 4217 code` } };
      item.currency = parsed.currency;
    }
  }
  const link = pick(values, 'link');
  if (link) item.url = link.value;
  const image = pick(values, 'image');
  if (image) item.image = image.value;
  const popularity = pick(values, 'popularity');
  if (popularity) {
    const n = Number(popularity.value);
    if (!Number.isFinite(n) || n < 0) return { skip: { field: popularity.name, reason: 'bad popularity', detail: `"${popularity.value}" is not a number ≥ 0` } };
    item.popularity = n;
  }
  const year = pick(values, 'year');
  if (year) {
    const n = Number(year.value);
    if (!Number.isInteger(n)) return { skip: { field: year.name, reason: 'bad year', detail: `"${year.value}" is not a whole number` } };
    item.year = n;
  }
  return { item };
}

/** A row of a Pulse catalog JSON: the catalog's own schema, plus optional `availability`/`available`. */
export function productFromPulseRow(raw: unknown, row: number): RowResult {
  if (typeof raw === 'object' && raw !== null) {
    const record = raw as Record<string, unknown>;
    if (record.available === false) return { skip: { field: 'available', reason: 'out of stock' } };
    if (typeof record.availability === 'string') {
      const available = parseAvailability(record.availability);
      if (available === false) return { skip: { field: 'availability', reason: 'out of stock' } };
      if (typeof available === 'string') return { skip: { field: 'availability', reason: 'unknown availability', detail: available } };
    }
  }
  try {
    return { item: validateCatalogItem(raw, row) };
  } catch (error) {
    if (!(error instanceof CatalogError)) throw error;
    const detail = error.message.replace(/^catalog row \d+( \(id "[^"]*"\))?: /, '');
    return { skip: { field: error.field, reason: error.field ? `bad ${error.field}` : 'not an item', detail } };
  }
}

interface ShopifyVariant {
  price?: unknown;
  available?: unknown;
}

/**
 * A product of Shopify's `/products.json`. Its URL is the shop's own relative
 * `/products/<handle>` (Pulse runs on the shop's origin); the lowest variant price; out of
 * stock when no variant is available. Categories come from `product_type` (tags are often
 * merchandising flags such as "sale", not what the product is).
 */
export function productFromShopify(raw: unknown, options: ProductOptions = {}): RowResult {
  if (typeof raw !== 'object' || raw === null) return { skip: { field: null, reason: 'not a product object' } };
  const p = raw as Record<string, unknown>;
  const variants = (Array.isArray(p.variants) ? p.variants : []) as ShopifyVariant[];
  if (variants.length > 0 && variants.every((v) => v.available === false)) return { skip: { field: 'variants', reason: 'out of stock' } };
  const prices = variants.map((v) => (typeof v.price === 'string' || typeof v.price === 'number' ? String(v.price) : '')).filter((v) => v !== '');
  const numeric = prices.map(Number).filter((n) => Number.isFinite(n));
  const images = Array.isArray(p.images) ? (p.images as { src?: unknown }[]) : [];
  const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const values: Record<string, string | undefined> = {
    id: str(p.id),
    title: str(p.title),
    body_html: str(p.body_html),
    product_type: str(p.product_type),
    vendor: str(p.vendor),
    price: numeric.length > 0 ? String(Math.min(...numeric)) : prices[0],
    link: typeof p.handle === 'string' && p.handle !== '' ? `/products/${encodeURIComponent(p.handle)}` : undefined,
    image: str(images[0]?.src),
  };
  const result = productFromRecord(values, options);
  // Name Shopify's own fields, not the flat names they were mapped to.
  if ('skip' in result && result.skip.field === 'price') result.skip.field = 'variants[].price';
  if ('skip' in result && result.skip.field === 'body_html') result.skip.field = 'body_html';
  return result;
}
