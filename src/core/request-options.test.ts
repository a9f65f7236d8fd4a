import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventError } from './event.ts';
import { DEFAULT_K, MAX_EXCLUDE, MAX_K, checkExplainItemId, checkRecommendOptions } from './request-options.ts';

const NOW = 1_700_000_000_000;

function refuses(input: unknown, kind: typeof TypeError | typeof RangeError | typeof EventError, pattern: RegExp): void {
  assert.throws(
    () => checkRecommendOptions(input, NOW),
    (error: unknown) => {
      assert.ok(error instanceof kind, `a ${kind.name}, got ${String(error)}`);
      assert.match((error as Error).message, pattern);
      assert.ok((error as Error).message.length < 300, `message of ${(error as Error).message.length} characters`);
      return true;
    },
  );
}

test('no options, undefined and null all mean the defaults', () => {
  const defaults = { k: DEFAULT_K, exclude: [], rationale: true, context: [] };
  assert.deepEqual(checkRecommendOptions(undefined, NOW), defaults);
  assert.deepEqual(checkRecommendOptions(null, NOW), defaults);
  assert.deepEqual(checkRecommendOptions({}, NOW), defaults);
});

test('good options come back checked, context events with ts filled in', () => {
  assert.deepEqual(checkRecommendOptions({ k: 5, exclude: [' a ', 'b'], rationale: false, context: [{ type: 'view', itemId: '42' }] }, NOW), {
    k: 5,
    exclude: ['a', 'b'],
    rationale: false,
    context: [{ type: 'view', itemId: '42', ts: NOW }],
  });
  assert.equal(checkRecommendOptions({ k: 1 }, NOW).k, 1);
  assert.equal(checkRecommendOptions({ k: MAX_K }, NOW).k, MAX_K);
});

test('k: a whole number from 1 to MAX_K, else a RangeError or TypeError naming k', () => {
  for (const k of [NaN, -1, 0, 0.5, Infinity, MAX_K + 1]) refuses({ k }, RangeError, /option "k" must be a whole number from 1 to 100/);
  for (const k of ['10', null, true, {}]) refuses({ k }, TypeError, /option "k" must be a whole number/);
});

test('exclude: an array of strings', () => {
  refuses({ exclude: 42 }, TypeError, /option "exclude" must be an array of item ids \(strings\); got 42/);
  refuses({ exclude: 'a' }, TypeError, /option "exclude" must be an array/);
  refuses({ exclude: ['a', 7] }, TypeError, /option "exclude\[1\]" must be an item id/);
  refuses({ exclude: new Array(3) }, TypeError, /option "exclude\[0\]"/);
  refuses({ exclude: new Array(MAX_EXCLUDE + 1).fill('a') }, RangeError, /at most 10000 item ids/);
  refuses({ exclude: ['x'.repeat(1 << 20)] }, RangeError, /option "exclude\[0\]" must be at most 256 characters/);
});

test('context: an array of events; a bad event is an EventError naming the option', () => {
  refuses({ context: 'x' }, TypeError, /option "context" must be an array of events; got "x"/);
  refuses({ context: { type: 'view', itemId: '1' } }, TypeError, /option "context" must be an array/);
  refuses({ context: [{ type: 'wishlist', itemId: '1' }] }, EventError, /^recommend\(\): option "context": event 0: field "type"/);
  refuses({ context: new Array(5) }, EventError, /option "context": event 0: the batch has a hole/);
});

test('rationale: a boolean', () => {
  refuses({ rationale: 'yes' }, TypeError, /option "rationale" must be true or false/);
});

test('options must be a plain object; unknown keys are named, cut short', () => {
  refuses(5, TypeError, /options must be a plain object; got 5/);
  refuses('k', TypeError, /options must be a plain object/);
  refuses([1], TypeError, /options must be a plain object; got an array of 1/);
  refuses(new Date(0), TypeError, /options must be a plain object; got a Date/);
  refuses({ exlcude: ['a'] }, TypeError, /unknown option "exlcude" \(known: k, exclude, rationale, context\)/);
  refuses({ ['y'.repeat(1 << 20)]: 1 }, TypeError, /unknown option "y{40}…"/);
});

test('a getter option is refused without being run', () => {
  let ran = false;
  refuses(
    {
      get k() {
        ran = true;
        return 3;
      },
    },
    TypeError,
    /option "k" must be a plain value/,
  );
  assert.equal(ran, false);
});

test('explain(itemId): a string of 1 to 256 characters', () => {
  assert.equal(checkExplainItemId(' 42 '), '42');
  assert.throws(() => checkExplainItemId(42), TypeError);
  assert.throws(() => checkExplainItemId(null), /itemId must be a string; got null/);
  assert.throws(() => checkExplainItemId(''), RangeError);
  assert.throws(
    () => checkExplainItemId('z'.repeat(1 << 20)),
    (error: unknown) => error instanceof RangeError && error.message.length < 200,
  );
});
