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
/**
 * The most events one call may carry. Far above any real batch (retention keeps 1,000), and
 * it keeps a `new Array(4e9)` from being walked hole by hole before it is refused.
 */
export const MAX_BATCH_EVENTS = 10_000;

function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * A plain object (an object literal, JSON, or `Object.create(null)`) whose fields are data:
 * a Date, a Map, a class instance or an object with getters is not an event, and reading
 * a getter could run the caller's code halfway through validation.
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Cuts a text for a message, so a 1 MB input never makes a 1 MB message. */
export function clip(text: string, max = SHOWN_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Renders a bad value for a message: bounded, and cheap however big the value is. */
export function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean' || value === undefined || value === null) {
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(clip(value));
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const proto = Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null;
  const kind = proto === null || proto === Object.prototype ? 'an object' : `a ${clip(String(proto.constructor?.name ?? 'non-plain object'), 30)}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return `${kind} {}`;
  return `${kind} {${clip(keys.slice(0, 5).map((key) => clip(key, 20)).join(', '))}${keys.length > 5 ? ', …' : ''}}`;
}

function fail(index: number | undefined, field: string, problem: string, value: unknown): never {
  const which = index === undefined ? 'event' : `event ${index}`;
  const name = clip(field, 40);
  throw new EventError(`${which}: field ${JSON.stringify(name)} ${problem}; got ${show(value)}`, index ?? null, name);
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
  if (!isPlainRecord(input)) {
    const which = index === undefined ? 'event' : `event ${index}`;
    throw new EventError(`${which}: must be a plain object with "type" and "itemId"; got ${show(input)}`, index ?? null);
  }
  for (const key of Object.keys(input)) {
    const descriptor = Object.getOwnPropertyDescriptor(input, key);
    const value: unknown = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
    if (!FIELDS.includes(key)) {
      fail(index, key, `is not part of an event (allowed: ${FIELDS.join(', ')})`, value);
    }
    if (descriptor !== undefined && !('value' in descriptor)) fail(index, key, 'must be a plain value, not a getter', undefined);
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

/**
 * Validates what `track` was given: one event, or an array of them (all or nothing). An
 * array must be dense: a hole (`new Array(1000)`, `[a, , b]`) is refused like any other
 * bad event, never skipped, so a batch can only ever write the events it shows.
 */
export function validateEvents(input: unknown, now: number): PulseEvent[] {
  if (!Array.isArray(input)) return [validateEvent(input, now)];
  if (input.length > MAX_BATCH_EVENTS) {
    throw new EventError(`a batch holds at most ${MAX_BATCH_EVENTS} events; got ${input.length}`, null);
  }
  const events: PulseEvent[] = [];
  for (let index = 0; index < input.length; index++) {
    if (!Object.hasOwn(input, index)) {
      throw new EventError(`event ${index}: the batch has a hole here (a sparse array); every position must hold an event`, index);
    }
    events.push(validateEvent(input[index], now, index));
  }
  return events;
}

/** True for a stored row that is a well-formed event; older builds could store holes as rows. */
export function isStoredEvent(row: unknown): row is PulseEvent {
  if (typeof row !== 'object' || row === null) return false;
  const event = row as Partial<PulseEvent>;
  return isEventType(event.type) && typeof event.itemId === 'string' && isFiniteNumber(event.ts);
}
