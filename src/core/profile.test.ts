import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISLIKE_WEIGHT, itemSignals, ratingWeight } from './profile.ts';
import type { PulseEvent } from './types.ts';

const NOW = Date.UTC(2026, 10, 25);
const DAY = 86_400_000;
const ev = (type: PulseEvent['type'], itemId: string, ts: number, value?: number): PulseEvent =>
  value === undefined ? { type, itemId, ts } : { type, itemId, ts, value };

test('rating maps 5★ → +1, 3★ → 0, 1★ → −1', () => {
  assert.equal(ratingWeight(5), 1);
  assert.equal(ratingWeight(3), 0);
  assert.equal(ratingWeight(1), -1);
});

test('a dismissal overrides a like; the latest rating wins', () => {
  const signals = itemSignals(
    [ev('rating', 'a', NOW - 3, 5), ev('dismiss', 'a', NOW - 2), ev('rating', 'b', NOW - 5, 1), ev('rating', 'b', NOW - 1, 5)],
    NOW,
    { positionDecay: 1 },
  );
  const byId = Object.fromEntries(signals.map((s) => [s.itemId, s]));
  assert.equal(byId.a!.action, 'dismissed');
  assert.ok(byId.a!.weight < 0);
  assert.equal(byId.b!.action, 'rated');
  assert.ok(Math.abs(byId.b!.weight - 1) < 1e-6);
});

test('a like weighs what 5★ does, is called a like and is no rating; the latest verdict wins', () => {
  const signals = itemSignals(
    [ev('like', 'a', NOW - 1), ev('rating', 'b', NOW - 5, 2), ev('like', 'b', NOW - 4), ev('like', 'c', NOW - 6), ev('rating', 'c', NOW - 3, 2), ev('like', 'd', NOW - 7), ev('dismiss', 'd', NOW - 2)],
    NOW,
    { positionDecay: 1 },
  );
  const byId = Object.fromEntries(signals.map((s) => [s.itemId, s]));
  assert.equal(byId.a!.action, 'liked');
  assert.equal(byId.a!.rating, undefined, 'a like is not a rating');
  assert.ok(Math.abs(byId.a!.weight - 1) < 1e-6);
  assert.equal(byId.b!.action, 'liked', 'a later like takes back a 2★');
  assert.equal(byId.b!.rating, undefined);
  assert.equal(byId.c!.action, 'rated', 'a later 2★ takes back a like, and is said as the rating it is');
  assert.equal(byId.c!.rating, 2);
  assert.equal(byId.d!.action, 'dismissed');
});

test('a dislike pushes as 1★ does, is called a dislike and is no rating; the latest verdict wins; a dismissal outranks it', () => {
  assert.equal(DISLIKE_WEIGHT, ratingWeight(1));
  const signals = itemSignals(
    [
      ev('dislike', 'a', NOW - 1),
      ev('dislike', 'v', NOW - 9, 1), // a value on a dislike is not stars
      ev('rating', 'b', NOW - 5, 4),
      ev('dislike', 'b', NOW - 4),
      ev('dislike', 'c', NOW - 6),
      ev('like', 'c', NOW - 3),
      ev('dislike', 'd', NOW - 8),
      ev('rating', 'd', NOW - 7, 3),
      ev('dislike', 'e', NOW - 10),
      ev('dismiss', 'e', NOW - 11),
      ev('purchase', 'f', NOW - 12),
      ev('dislike', 'f', NOW - 2),
    ],
    NOW,
    { positionDecay: 1 },
  );
  const byId = Object.fromEntries(signals.map((s) => [s.itemId, s]));
  for (const id of ['a', 'v', 'b', 'f']) {
    assert.equal(byId[id]!.action, 'disliked', id);
    assert.equal(byId[id]!.rating, undefined, `${id}: a dislike is not a rating`);
    assert.ok(Math.abs(byId[id]!.weight - DISLIKE_WEIGHT) < 1e-6, `${id}: ${byId[id]!.weight}`);
  }
  assert.equal(byId.c!.action, 'liked', 'a later like takes back a dislike');
  assert.deepEqual([byId.d!.action, byId.d!.rating, byId.d!.weight], ['rated', 3, 0], 'a later rating takes it back too');
  assert.equal(byId.e!.action, 'dismissed', 'a dismissal, even an earlier one, outranks a dislike');
});

test('a low rating is a rating, not a dislike: said with its stars', () => {
  const [a] = itemSignals([ev('rating', 'a', NOW, 1)], NOW);
  assert.deepEqual([a!.action, a!.rating, a!.weight], ['rated', 1, -1]);
});

test('implicit signals add up to a cap and name the strongest action', () => {
  const views = Array.from({ length: 20 }, (_, i) => ev('view', 'x', NOW - i));
  const [x] = itemSignals([...views, ev('cart', 'x', NOW - 30)], NOW, { positionDecay: 1 });
  assert.equal(x!.action, 'added to cart');
  assert.ok(Math.abs(x!.weight - 1.5) < 1e-6);
});

test('older and earlier-touched items weigh less; newest first', () => {
  const signals = itemSignals([ev('rating', 'old', NOW - 60 * DAY, 5), ev('rating', 'new', NOW, 5)], NOW, { halfLifeDays: 30 });
  assert.deepEqual(signals.map((s) => s.itemId), ['new', 'old']);
  assert.ok(Math.abs(signals[1]!.weight - 0.25 * 0.97) < 1e-6);
});

test('empty history gives no signals', () => {
  assert.deepEqual(itemSignals([], NOW), []);
});
