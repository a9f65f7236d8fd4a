import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventError, MAX_BATCH_EVENTS, isStoredEvent, validateEvent, validateEvents } from './event.ts';

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
  for (const type of ['view', 'click', 'cart', 'purchase', 'like', 'dislike', 'dismiss']) {
    assert.equal(validateEvent({ type, itemId: 'x' }, NOW).type, type);
  }
  assert.equal(validateEvent({ type: 'rating', itemId: 'x', value: 0 }, NOW).value, 0);
  assert.equal(validateEvent({ type: 'rating', itemId: 'x', value: 5 }, NOW).value, 5);
});

test('like: an explicit yes without stars, stored as given', () => {
  assert.deepEqual(validateEvent({ type: 'like', itemId: ' m1 ' }, NOW), { type: 'like', itemId: 'm1', ts: NOW });
});

test('dislike: an explicit no without stars, stored as given; a value on it is kept but is no rating', () => {
  assert.deepEqual(validateEvent({ type: 'dislike', itemId: ' m1 ' }, NOW), { type: 'dislike', itemId: 'm1', ts: NOW });
  // Optional and any finite number, as for every non-rating type (not checked as stars: it is never read as one).
  assert.deepEqual(validateEvent({ type: 'dislike', itemId: 'm1', value: 1, ts: 5 }, NOW), { type: 'dislike', itemId: 'm1', value: 1, ts: 5 });
  assert.equal(validateEvent({ type: 'dislike', itemId: 'm1', value: null }, NOW).value, undefined);
  rejects({ type: 'dislike', itemId: 'm1', value: 'x' }, 'value', /^event 2: field "value" must be a finite number when given; got "x"$/, 2);
  // Case matters, as for every type: "Dislike" is not an event type.
  rejects({ type: 'Dislike', itemId: 'm1' }, 'type', /got "Dislike"$/);
});

test('type: the message lists the allowed types and the offending value', () => {
  rejects(
    { type: 'wishlist', itemId: 'm1' },
    'type',
    /^event 2: field "type" must be one of view, click, cart, purchase, like, dislike, rating, dismiss; got "wishlist"$/,
    2,
  );
  rejects({ itemId: 'm1' }, 'type', /^event: field "type" .*got undefined$/);
});

test('itemId: non-empty string, at most 256 characters', () => {
  rejects({ type: 'view' }, 'itemId', /field "itemId" must be a non-empty string; got undefined/);
  rejects({ type: 'view', itemId: '   ' }, 'itemId', /got "   "/);
  rejects({ type: 'view', itemId: 42 }, 'itemId', /got 42/);
  assert.equal(validateEvent({ type: 'view', itemId: 'a'.repeat(256) }, NOW).itemId.length, 256);
  rejects({ type: 'view', itemId: 'a'.repeat(257) }, 'itemId', /at most 256 characters \(it has 257\); got "a+…"$/);
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
  rejects(null, null, /^event: must be a plain object/);
  rejects(['view', 'm1'], null, /^event 3: must be a plain object/, 3);
  rejects('view', null, /got "view"/);
});

function batchRejects(input: unknown, index: number | null, pattern: RegExp): void {
  assert.throws(
    () => validateEvents(input, NOW),
    (error: unknown) => {
      assert.ok(error instanceof EventError, `an EventError, got ${String(error)}`);
      assert.equal(error.index, index);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

test('a sparse array is refused at its first hole, never skipped', () => {
  batchRejects(new Array(1000), 0, /^event 0: the batch has a hole here/);
  // eslint-disable-next-line no-sparse-arrays
  batchRejects([{ type: 'view', itemId: 'a' }, , { type: 'view', itemId: 'b' }], 1, /^event 1: .*hole/);
  const trailing: unknown[] = [{ type: 'view', itemId: 'a' }];
  trailing.length = 3;
  batchRejects(trailing, 1, /hole/);
  batchRejects([{ type: 'view', itemId: 'a' }, undefined], 1, /^event 1: must be a plain object/);
});

test('a dense batch validates every event, in order', () => {
  assert.deepEqual(validateEvents([{ type: 'view', itemId: 'a' }, { type: 'cart', itemId: 'b', ts: 5 }], NOW), [
    { type: 'view', itemId: 'a', ts: NOW },
    { type: 'cart', itemId: 'b', ts: 5 },
  ]);
  assert.deepEqual(validateEvents({ type: 'view', itemId: 'a' }, NOW), [{ type: 'view', itemId: 'a', ts: NOW }]);
  assert.deepEqual(validateEvents([], NOW), []);
});

test('a batch longer than the bound is refused before it is walked', () => {
  batchRejects(new Array(2 ** 32 - 1), null, new RegExp(`at most ${MAX_BATCH_EVENTS} events`));
});

test('non-plain objects are not events', () => {
  class Event {
    type = 'view';
    itemId = 'm1';
  }
  rejects(new Event(), null, /^event: must be a plain object.*got a Event \{type, itemId\}/);
  rejects(new Date(0), null, /must be a plain object with "type" and "itemId"; got a Date \{\}/);
  rejects(new Map([['type', 'view']]), null, /got a Map/);
  const bare = Object.assign(Object.create(null) as object, { type: 'view', itemId: 'm1' });
  assert.deepEqual(validateEvent(bare, NOW), { type: 'view', itemId: 'm1', ts: NOW });
});

test('a getter is refused without being run', () => {
  let ran = false;
  const input = { type: 'view', get itemId() {
    ran = true;
    return 'm1';
  } };
  rejects(input, 'itemId', /field "itemId" must be a plain value, not a getter/);
  assert.equal(ran, false);
});

test('messages stay short whatever the input holds', () => {
  const huge = 'x'.repeat(1 << 20);
  for (const input of [
    { type: 'view', itemId: 'm1', [huge]: 1 },
    { type: 'view', itemId: 'm1', extra: huge },
    { type: huge, itemId: 'm1' },
    { type: 'view', itemId: huge },
    { type: 'view', itemId: 'm1', value: { [huge]: huge } },
    { type: 'view', itemId: 'm1', value: new Array(1 << 20).fill(huge) },
  ]) {
    assert.throws(
      () => validateEvent(input, NOW),
      (error: unknown) => {
        assert.ok(error instanceof EventError);
        assert.ok(error.message.length < 400, `message of ${error.message.length} characters`);
        assert.ok((error.field ?? '').length <= 41);
        return true;
      },
    );
  }
});

test('isStoredEvent tells a stored event from a hole row', () => {
  assert.equal(isStoredEvent({ type: 'view', itemId: 'a', ts: 1 }), true);
  assert.equal(isStoredEvent(undefined), false);
  assert.equal(isStoredEvent(null), false);
  assert.equal(isStoredEvent({ type: 'view', itemId: 'a' }), false);
});
