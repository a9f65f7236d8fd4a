/**
 * JSON feeds: a Pulse catalog (an array of items, or `{"items": [...]}`) or Shopify's
 * `products.json` (`{"products": [...]}`). JSON.parse gives no line numbers, so one scan of
 * the text finds the line each element of the product array starts on; a syntax error is
 * reported as file:line:column, never by echoing the file.
 */
import { FeedError, lineAt } from './feed-problem.ts';

export interface JsonFeed {
  kind: 'pulse' | 'shopify';
  rows: unknown[];
  /** 1-based start line of rows[i]. */
  lines: number[];
}

/** Start lines of the elements of the array at the root, or under the root object's `key`. */
export function arrayElementLines(text: string, key: string | null): number[] {
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  let stringStart = 0;
  let lastKey: string | null = null;
  let targetDepth = -1; // depth inside the product array, once found
  let expectValue = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 1) lastKey = text.slice(stringStart + 1, i);
      }
      continue;
    }
    if (c === '"') {
      if (depth === targetDepth && expectValue) lines.push(line);
      expectValue = false;
      inString = true;
      stringStart = i;
    } else if (c === '{' || c === '[') {
      if (depth === targetDepth && expectValue) lines.push(line);
      expectValue = true;
      depth++;
      if (targetDepth < 0 && c === '[' && ((key === null && depth === 1) || (key !== null && depth === 2 && lastKey === key))) targetDepth = depth;
    } else if (c === '}' || c === ']') {
      if (depth === targetDepth) targetDepth = -2; // the array closed: nothing after it counts
      depth--;
      expectValue = false;
    } else if (c === ',') {
      expectValue = true;
    } else if (c === ':') {
      expectValue = true;
    } else if (!/\s/.test(c)) {
      if (depth === targetDepth && expectValue) lines.push(line);
      expectValue = false;
    }
  }
  return lines;
}

/** "Unexpected token } in JSON at position 120" → line and column of position 120. */
function syntaxError(text: string, file: string, error: SyntaxError): FeedError {
  const position = /position (\d+)/.exec(error.message);
  const message = error.message.replace(/^JSON\.parse: /, '').replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+.*$/, '');
  if (!position) return new FeedError(file, `not valid JSON: ${message}`);
  const offset = Number(position[1]);
  const line = lineAt(text, offset);
  const column = offset - text.lastIndexOf('\n', offset - 1);
  return new FeedError(file, `not valid JSON at column ${column}: ${message}`, line);
}

export function parseJsonFeed(text: string, file: string): JsonFeed {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw error instanceof SyntaxError ? syntaxError(text, file, error) : error;
  }
  if (Array.isArray(raw)) return { kind: 'pulse', rows: raw, lines: arrayElementLines(text, null) };
  if (typeof raw === 'object' && raw !== null) {
    const record = raw as Record<string, unknown>;
    if (Array.isArray(record.products)) return { kind: 'shopify', rows: record.products, lines: arrayElementLines(text, 'products') };
    if (Array.isArray(record.items)) return { kind: 'pulse', rows: record.items, lines: arrayElementLines(text, 'items') };
  }
  throw new FeedError(file, 'expected a Pulse catalog (a JSON array of items, or {"items": [...]}) or a Shopify products.json ({"products": [...]})');
}
