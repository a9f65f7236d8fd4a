import { EVENT_TYPES } from './types.ts';
import type { EventType, PulseEvent } from './types.ts';

/**
 * An event that does not match the schema (docs/history.md). `index` is the event's
 * position in a batch (null for a single event) and `field` the offending field (null
 * when the event is not an object at all), so a caller can point at the exact input.
 */
export class EventError extends Error {
  override name = 'EventError';
  constructor(
    message: string,
    readonly index: number | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

const MAX_ITEM_ID_LENGTH = 256;
const MAX_RATING = 5;
/** Clocks disagree a little between devices and servers; a day is generous, a year is a bug. */
const MAX_FUTURE_MS = 86_400_000;
const FIELDS: readonly string[] = ['type', 'itemId', 'value', 'ts'];
const SHOWN_CHARS = 60;

function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Renders a bad value for a message; long values are cut so the message stays readable. */
function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) return String(value);
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

function fail(index: number | undefined, field: string, problem: string, value: unknown): never {
  const which = index === undefined ? 'event' : `event ${index}`;
  throw new EventError(`${which}: field "${field}" ${problem}; got ${show(value)}`, index ?? null, field);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Validates what a caller passed to `track` and returns a clean event holding only schema
 * fields: `itemId` trimmed, `ts` filled in with `now`, `value` dropped when absent.
 *
 * Unknown fields are rejected rather than stripped: a storefront passing `{ title, email }`
 * learns at once that it is not stored, and nothing outside the documented schema can end
 * up on the shopper's device by accident. `null` counts as absent for the optional fields
 * (`value` on non-ratings, `ts`) because JSON producers write it for "no value".
 */
export function validateEvent(input: unknown, now: number, index?: number): PulseEvent {
  if (!isRecord(input)) {
    const which = index === undefined ? 'event' : `event ${index}`;
    throw new EventError(`${which}: must be an object with "type" and "itemId"; got ${show(input)}`, index ?? null);
  }
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) {
      fail(index, key, `is not part of an event (allowed: ${FIELDS.join(', ')})`, input[key]);
    }
  }

  const { type, itemId, value, ts } = input;
  if (!isEventType(type)) fail(index, 'type', `must be one of ${EVENT_TYPES.join(', ')}`, type);

  if (typeof itemId !== 'string') fail(index, 'itemId', 'must be a non-empty string', itemId);
  const id = itemId.trim();
  if (id === '') fail(index, 'itemId', 'must be a non-empty string', itemId);
  if (id.length > MAX_ITEM_ID_LENGTH) {
    fail(index, 'itemId', `must be at most ${MAX_ITEM_ID_LENGTH} characters (it has ${id.length})`, itemId);
  }

  if (type === 'rating') {
    if (!isFiniteNumber(value) || value < 0 || value > MAX_RATING) {
      fail(index, 'value', `must be a number from 0 to ${MAX_RATING} for a rating`, value);
    }
  } else if (value !== undefined && value !== null && !isFiniteNumber(value)) {
    fail(index, 'value', 'must be a finite number when given', value);
  }

  if (ts !== undefined && ts !== null) {
    if (!isFiniteNumber(ts) || ts < 0) fail(index, 'ts', 'must be milliseconds since the epoch (a finite number ≥ 0)', ts);
    if (ts > now + MAX_FUTURE_MS) fail(index, 'ts', `must not be more than a day in the future (now is ${now})`, ts);
  }

  return {
    type,
    itemId: id,
    ...(isFiniteNumber(value) ? { value } : {}),
    ts: isFiniteNumber(ts) ? ts : now,
  };
}
