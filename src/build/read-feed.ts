/**
 * Reads a product feed of any supported format into a validated catalog plus the rows that
 * were skipped (file, line, field, reason). The format comes from the file's extension and
 * its first bytes: Pulse catalog JSON, Shopify products.json, CSV, TSV (Google Merchant
 * Center's text feed), Merchant Center XML (RSS/Atom).
 */
import { validateCatalog } from '../core/catalog.ts';
import type { CatalogItem } from '../core/types.ts';
import { parseDelimited, type DelimitedRecord } from './delimited.ts';
import { FeedError, type RowProblem } from './feed-problem.ts';
import { parseJsonFeed } from './feed-json.ts';
import { parseFeedXml } from './feed-xml.ts';
import { productFromPulseRow, productFromRecord, productFromShopify, type ProductOptions, type RowResult } from './product.ts';

export type FeedFormat = 'pulse-json' | 'shopify-json' | 'csv' | 'tsv' | 'merchant-xml';

export interface FeedResult {
  format: FeedFormat;
  items: CatalogItem[];
  /** Every row that is not in `items`, in file order. */
  skipped: RowProblem[];
  /** Rows read (kept + skipped). */
  rows: number;
}

function detectFormat(text: string, file: string): 'json' | 'xml' | 'delimited' {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (/\.(json)$/i.test(file) || start.startsWith('{') || start.startsWith('[')) return 'json';
  if (/\.(xml|rss|atom)$/i.test(file) || start.startsWith('<')) return 'xml';
  return 'delimited';
}

export function readFeed(text: string, file: string, options: ProductOptions = {}): FeedResult {
  const results: { line: number; result: RowResult }[] = [];
  const skipped: RowProblem[] = [];
  let format: FeedFormat;
  const kind = detectFormat(text, file);
  if (kind === 'json') {
    const feed = parseJsonFeed(text, file);
    format = feed.kind === 'shopify' ? 'shopify-json' : 'pulse-json';
    feed.rows.forEach((row, i) => {
      const line = feed.lines[i] ?? 1;
      results.push({ line, result: feed.kind === 'shopify' ? productFromShopify(row, options) : productFromPulseRow(row, i) });
    });
  } else {
    let records: DelimitedRecord[];
    if (kind === 'xml') {
      records = parseFeedXml(text, file);
      format = 'merchant-xml';
    } else {
      const parsed = parseDelimited(text, file);
      records = parsed.records;
      skipped.push(...parsed.problems);
      format = text.slice(0, Math.max(0, text.indexOf('\n'))).includes('\t') ? 'tsv' : 'csv';
      const header = Object.keys(records[0]?.values ?? {});
      if (records.length > 0 && !header.some((h) => ['id', 'sku', 'product_id', 'item_id', 'offer_id'].includes(h))) {
        throw new FeedError(file, `no id column: the header has ${header.join(', ')} (expected id, sku, product_id, item_id or offer_id)`, 1);
      }
    }
    for (const record of records) results.push({ line: record.line, result: productFromRecord(record.values, options) });
  }
  const rows = results.length + skipped.length; // rows read, whether they parsed or not
  const items: CatalogItem[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, result } of results) {
    if ('skip' in result) {
      skipped.push({ file, line, ...result.skip });
      continue;
    }
    const seen = firstLine.get(result.item.id);
    if (seen !== undefined) {
      skipped.push({ file, line, field: 'id', reason: 'duplicate id', detail: `"${result.item.id}" is already on line ${seen}` });
      continue;
    }
    firstLine.set(result.item.id, line);
    items.push(result.item);
  }
  skipped.sort((a, b) => a.line - b.line);
  if (items.length === 0) throw new FeedError(file, `no usable products: all ${rows} rows were skipped`);
  // The same check the page runs: what pulse build writes, the loader accepts.
  return { format, items: validateCatalog(items), skipped, rows };
}
