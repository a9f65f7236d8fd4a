import { parseCsv, CsvError } from '../core/csv.ts';
import { EVENT_TYPES, type EventType, type Interaction } from '../core/types.ts';

/**
 * Reads an interactions log (CSV) into Interactions: the shopper events of many users.
 * Format (docs/evaluation.md): a header row, then `user,item,timestamp[,rating][,type]`.
 *  - Aliases let MovieLens `ratings.csv` load as is: userId → user, movieId/itemId → item.
 *  - `timestamp`: Unix seconds by default (MovieLens), or milliseconds with `timeUnit: 'ms'`,
 *    or an ISO-8601 date/time string. Stored as milliseconds (`PulseEvent.ts`).
 *  - `rating` (0–5 stars) makes the row a `rating` event with that value.
 *  - `type`: one of the PulseEvent types; without it (and without a rating) a row is a
 *    `defaultType` event, `purchase` unless told otherwise: a log row the shop chose to keep
 *    is a deliberate, positive interaction, and `purchase` is the event the ranker weighs
 *    most, so an implicit log is not silently down-weighted to "viewed".
 * A malformed row is an error naming its line. A row whose item is not in the catalog is
 * skipped and counted (per reason, with the first few lines) so the caller can report it.
 */

export interface ReadInteractionsOptions {
  /** Item ids the catalog knows; rows for other items are skipped and counted. Omit to keep all. */
  knownItems?: ReadonlySet<string>;
  /** Unit of numeric timestamps. Default 's' (Unix seconds, as in MovieLens). */
  timeUnit?: 's' | 'ms';
  /** Event type of a row with neither a rating nor a type. Default 'purchase'. */
  defaultType?: EventType;
}

export interface SkippedRows {
  reason: string;
  count: number;
  /** Up to five example lines (1-based, the header is line 1). */
  lines: number[];
}

export interface ReadInteractionsResult {
  interactions: Interaction[];
  skipped: SkippedRows[];
  /** Which file column fed each field, e.g. {user: 'userId', …}: shown in reports. */
  columns: Record<'user' | 'item' | 'timestamp', string> & { rating?: string; type?: string };
}

export class InteractionsError extends Error {
  override name = 'InteractionsError';
}

/** Accepted header names per field, first match wins. */
export const COLUMN_ALIASES = {
  user: ['user', 'userId', 'user_id'],
  item: ['item', 'itemId', 'item_id', 'movieId'],
  timestamp: ['timestamp', 'ts', 'time'],
  rating: ['rating', 'stars'],
  type: ['type', 'event'],
} as const;

type Field = keyof typeof COLUMN_ALIASES;

function findColumn(header: readonly string[], field: Field): number {
  for (const alias of COLUMN_ALIASES[field]) {
    const at = header.indexOf(alias);
    if (at >= 0) return at;
  }
  return -1;
}

/** Years 1900–2200 in seconds; a value outside is almost certainly the wrong unit. */
const PLAUSIBLE_SECONDS = [-2.3e9, 7.3e9] as const;

function parseTimestamp(raw: string, unit: 's' | 'ms', line: number): number {
  const text = raw.trim();
  const fail = (why: string): never => {
    throw new InteractionsError(`line ${line}: timestamp ${JSON.stringify(raw)} ${why}`);
  };
  if (text === '') fail('is empty');
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const value = Number(text);
    const seconds = unit === 's' ? value : value / 1000;
    if (seconds < PLAUSIBLE_SECONDS[0] || seconds > PLAUSIBLE_SECONDS[1]) {
      fail(`is outside 1900–2200 as Unix ${unit === 's' ? 'seconds' : 'milliseconds'} (wrong --time-unit?)`);
    }
    return Math.round(seconds * 1000);
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) fail('is neither a number nor an ISO-8601 date');
  return ms;
}

function parseRating(raw: string, line: number): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 5) {
    throw new InteractionsError(`line ${line}: rating ${JSON.stringify(raw)} must be a number of stars in 0–5`);
  }
  return value;
}

function parseType(raw: string, line: number): EventType {
  const type = raw.trim() as EventType;
  if (!EVENT_TYPES.includes(type)) {
    throw new InteractionsError(`line ${line}: type ${JSON.stringify(raw)} is not one of ${EVENT_TYPES.join(', ')}`);
  }
  return type;
}

export function readInteractions(text: string, options: ReadInteractionsOptions = {}): ReadInteractionsResult {
  const unit = options.timeUnit ?? 's';
  const defaultType = options.defaultType ?? 'purchase';
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (error) {
    if (error instanceof CsvError) throw new InteractionsError(`interactions CSV: ${error.message}`);
    throw error;
  }
  const [header, ...body] = rows;
  if (!header || (header.length === 1 && header[0] === '')) throw new InteractionsError('interactions CSV is empty: expected a header row');
  const at = Object.fromEntries((Object.keys(COLUMN_ALIASES) as Field[]).map((f) => [f, findColumn(header, f)])) as Record<Field, number>;
  const missing = (['user', 'item', 'timestamp'] as const).filter((f) => at[f] < 0);
  if (missing.length) {
    const expected = missing.map((f) => `${f} (or ${COLUMN_ALIASES[f].slice(1).join('/')})`).join(', ');
    throw new InteractionsError(`interactions CSV header "${header.join(',')}" lacks column(s): ${expected}`);
  }
  const columns: ReadInteractionsResult['columns'] = { user: header[at.user]!, item: header[at.item]!, timestamp: header[at.timestamp]! };
  if (at.rating >= 0) columns.rating = header[at.rating]!;
  if (at.type >= 0) columns.type = header[at.type]!;

  const skipped = new Map<string, SkippedRows>();
  const skip = (reason: string, line: number) => {
    const entry = skipped.get(reason) ?? { reason, count: 0, lines: [] };
    entry.count++;
    if (entry.lines.length < 5) entry.lines.push(line);
    skipped.set(reason, entry);
  };
  const interactions: Interaction[] = [];
  body.forEach((cells, r) => {
    const line = r + 2;
    // A trailing blank line parses as one empty field; anything else of the wrong width is an error.
    if (cells.length === 1 && cells[0] === '') return skip('blank line', line);
    if (cells.length !== header.length) {
      throw new InteractionsError(`line ${line}: ${cells.length} fields, the header has ${header.length}`);
    }
    const user = cells[at.user]!.trim();
    const itemId = cells[at.item]!.trim();
    if (user === '') throw new InteractionsError(`line ${line}: empty ${columns.user}`);
    if (itemId === '') throw new InteractionsError(`line ${line}: empty ${columns.item}`);
    const ts = parseTimestamp(cells[at.timestamp]!, unit, line);
    const ratingText = at.rating >= 0 ? cells[at.rating]!.trim() : '';
    const typeText = at.type >= 0 ? cells[at.type]!.trim() : '';
    const type = typeText !== '' ? parseType(typeText, line) : ratingText !== '' ? 'rating' : defaultType;
    if (type === 'rating' && ratingText === '') throw new InteractionsError(`line ${line}: a rating event needs a ${columns.rating ?? 'rating'} value`);
    if (type !== 'rating' && ratingText !== '') throw new InteractionsError(`line ${line}: a ${type} event cannot carry a rating`);
    if (options.knownItems && !options.knownItems.has(itemId)) return skip('item not in the catalog', line);
    const interaction: Interaction = { user, itemId, type, ts };
    if (type === 'rating') interaction.value = parseRating(ratingText, line);
    interactions.push(interaction);
  });
  return { interactions, skipped: [...skipped.values()], columns };
}
