/**
 * Validation of what a caller passes to `recommend()` and `explain()`: every bad option is
 * a TypeError (wrong kind) or RangeError (right kind, out of bounds) that names the option,
 * with the value shown cut short, so a caller never meets a raw "Cannot read properties of
 * undefined" from deep in the ranker, and a hostile input never makes a huge message.
 * Runs on the page (so the caller's stack points at its own call) and again in the worker.
 */
import { EventError, clip, show, validateEvents } from './event.ts';
import type { PulseEvent } from './types.ts';

/** `k` when not given. */
export const DEFAULT_K = 10;
/**
 * The most items one call may ask for. A rail or widget shows a handful; 100 leaves room for
 * a page of results while `k: Infinity` no longer means ranking and shipping all 8,613 items.
 */
export const MAX_K = 100;
/** The most item ids `exclude` may hold (a shop may exclude a sold-out range, not a second catalog). */
export const MAX_EXCLUDE = 10_000;
/** Item ids are at most this long (as in events, docs/history.md). */
export const MAX_ITEM_ID_LENGTH = 256;

const RECOMMEND_KEYS = ['k', 'exclude', 'rationale', 'context'] as const;

/** The options of one recommend call, checked and with defaults filled in. */
export interface CheckedRecommendOptions {
  k: number;
  exclude: string[];
  rationale: boolean;
  /** Validated events of this moment (ts filled in), never stored. */
  context: PulseEvent[];
}

function typeError(option: string, expected: string, value: unknown): TypeError {
  return new TypeError(`recommend(): option "${option}" must be ${expected}; got ${show(value)}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Reads an own data property without running a getter the caller put there. */
function field(options: Record<string, unknown>, key: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(options, key);
  if (descriptor === undefined) return undefined;
  if (!('value' in descriptor)) throw new TypeError(`recommend(): option "${key}" must be a plain value, not a getter`);
  return descriptor.value;
}

function checkK(value: unknown): number {
  if (value === undefined) return DEFAULT_K;
  if (typeof value !== 'number') throw typeError('k', `a whole number from 1 to ${MAX_K}`, value);
  if (!Number.isInteger(value) || value < 1 || value > MAX_K) {
    throw new RangeError(`recommend(): option "k" must be a whole number from 1 to ${MAX_K}; got ${show(value)}`);
  }
  return value;
}

function checkExclude(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw typeError('exclude', 'an array of item ids (strings)', value);
  if (value.length > MAX_EXCLUDE) {
    throw new RangeError(`recommend(): option "exclude" holds at most ${MAX_EXCLUDE} item ids; got ${value.length}`);
  }
  const ids: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const id: unknown = Object.hasOwn(value, i) ? value[i] : undefined;
    if (typeof id !== 'string') throw typeError(`exclude[${i}]`, 'an item id (a string)', id);
    if (id.length > MAX_ITEM_ID_LENGTH) {
      throw new RangeError(`recommend(): option "exclude[${i}]" must be at most ${MAX_ITEM_ID_LENGTH} characters; got ${show(id)}`);
    }
    ids.push(id.trim());
  }
  return ids;
}

function checkContext(value: unknown, now: number): PulseEvent[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw typeError('context', 'an array of events', value);
  try {
    return validateEvents(value, now);
  } catch (error) {
    if (!(error instanceof EventError)) throw error;
    throw new EventError(`recommend(): option "context": ${error.message}`, error.index, error.field);
  }
}

/**
 * `null` and `undefined` both mean "no options" (JSON producers and `pulse('recommend', null)`
 * write null). Unknown options are refused, named, so a misspelt `exlcude` is not silently
 * ignored.
 */
export function checkRecommendOptions(input: unknown, now: number): CheckedRecommendOptions {
  if (input === undefined || input === null) return { k: DEFAULT_K, exclude: [], rationale: true, context: [] };
  if (!isPlainObject(input)) throw new TypeError(`recommend(options): options must be a plain object; got ${show(input)}`);
  for (const key of Object.keys(input)) {
    if (!(RECOMMEND_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`recommend(): unknown option ${JSON.stringify(clip(key, 40))} (known: ${RECOMMEND_KEYS.join(', ')})`);
    }
  }
  const rationale = field(input, 'rationale');
  if (rationale !== undefined && typeof rationale !== 'boolean') throw typeError('rationale', 'true or false', rationale);
  return {
    k: checkK(field(input, 'k')),
    exclude: checkExclude(field(input, 'exclude')),
    rationale: rationale !== false,
    context: checkContext(field(input, 'context'), now),
  };
}

/** The item id `explain(itemId)` was given: a non-empty string of at most 256 characters. */
export function checkExplainItemId(itemId: unknown): string {
  if (typeof itemId !== 'string') throw new TypeError(`explain(itemId): itemId must be a string; got ${show(itemId)}`);
  const id = itemId.trim();
  if (id === '' || id.length > MAX_ITEM_ID_LENGTH) {
    throw new RangeError(`explain(itemId): itemId must be 1 to ${MAX_ITEM_ID_LENGTH} characters; got ${show(itemId)}`);
  }
  return id;
}
