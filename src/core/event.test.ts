import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventError, validateEvent } from './event.ts';

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

function rejects(input: unknown, field: string | null, pattern: RegExp, index?: number): void {
  assert.throws(
    () => validateEvent(input, NOW, index),
    (error: unknown) => {
      assert.ok(error instanceof EventError, 'an EventError');
      assert.equal(error.name, 'EventError');
      assert.equal(error.field, field);
      assert.equal(error.index, index ?? null);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

test('a minimal event gets ts = now and no value', () => {
  const event = validateEvent({ type: 'view', itemId: 'm1' }, NOW);
  assert.deepEqual(event, { type: 'view', itemId: 'm1', ts: NOW });
  assert.equal('value' in event, false);
});

test('keeps ts and value, trims itemId', () => {
  assert.deepEqual(validateEvent({ type: 'rating', itemId: '  m2 ', value: 4.5, ts: 123 }, NOW), {
    type: 'rating',
    itemId: 'm2',
    value: 4.5,
    ts: 123,
  });
  assert.deepEqual(validateEvent({ type: 'cart', itemId: 'm3', value: 2 }, NOW), {
    type: 'cart',
    itemId: 'm3',
    value: 2,
    ts: NOW,
  });
});

test('null counts as absent for the optional fields', () => {
  assert.deepEqual(validateEvent({ type: 'click', itemId: 'm1', value: null, ts: null }, NOW), {
    type: 'click',
    itemId: 'm1',
    ts: NOW,
  });
});

test('every event type is accepted', () => {
  for (const type of ['view', 'click', 'cart', 'purchase', 'dismiss']) {
    assert.equal(validateEvent({ type, itemId: 'x' }, NOW).type, type);
  }
  assert.equal(validateEvent({ type: 'rating', itemId: 'x', value: 0 }, NOW).value, 0);
  assert.equal(validateEvent({ type: 'rating', itemId: 'x', value: 5 }, NOW).value, 5);
});

test('type: the message lists the allowed types and the offending value', () => {
  rejects(
    { type: 'like', itemId: 'm1' },
    'type',
    /^event 2: field "type" must be one of view, click, cart, purchase, rating, dismiss; got "like"$/,
    2,
  );
  rejects({ itemId: 'm1' }, 'type', /^event: field "type" .*got undefined$/);
});

test('itemId: non-empty string, at most 256 characters', () => {
  rejects({ type: 'view' }, 'itemId', /field "itemId" must be a non-empty string; got undefined/);
  rejects({ type: 'view', itemId: '   ' }, 'itemId', /got "   "/);
  rejects({ type: 'view', itemId: 42 }, 'itemId', /got 42/);
  assert.equal(validateEvent({ type: 'view', itemId: 'a'.repeat(256) }, NOW).itemId.length, 256);
  rejects({ type: 'view', itemId: 'a'.repeat(257) }, 'itemId', /at most 256 characters \(it has 257\); got "a+…$/);
});

test('value: required and in [0, 5] for a rating, finite otherwise', () => {
  rejects({ type: 'rating', itemId: 'm1' }, 'value', /from 0 to 5 for a rating; got undefined/);
  rejects({ type: 'rating', itemId: 'm1', value: 5.5 }, 'value', /got 5.5/);
  rejects({ type: 'rating', itemId: 'm1', value: -1 }, 'value', /got -1/);
  rejects({ type: 'rating', itemId: 'm1', value: '4' }, 'value', /got "4"/);
  rejects({ type: 'rating', itemId: 'm1', value: Number.NaN }, 'value', /got NaN/);
  rejects({ type: 'view', itemId: 'm1', value: Number.POSITIVE_INFINITY }, 'value', /finite number when given; got Infinity/);
});

test('ts: finite, not negative, at most a day ahead', () => {
  rejects({ type: 'view', itemId: 'm1', ts: -1 }, 'ts', /got -1/);
  rejects({ type: 'view', itemId: 'm1', ts: '2024-01-01' }, 'ts', /got "2024-01-01"/);
  rejects({ type: 'view', itemId: 'm1', ts: NOW + DAY + 1 }, 'ts', /more than a day in the future/);
  assert.equal(validateEvent({ type: 'view', itemId: 'm1', ts: NOW + DAY }, NOW).ts, NOW + DAY);
  assert.equal(validateEvent({ type: 'view', itemId: 'm1', ts: 0 }, NOW).ts, 0);
});

test('unknown fields are rejected, naming the field', () => {
  rejects({ type: 'view', itemId: 'm1', email: 'a@b.c' }, 'email', /^event 0: field "email" is not part of an event/, 0);
});

test('a non-object is rejected without a field', () => {
  rejects(null, null, /^event: must be an object/);
  rejects(['view', 'm1'], null, /^event 3: must be an object/, 3);
  rejects('view', null, /got "view"/);
});
