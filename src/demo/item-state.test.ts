import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseEvent } from '../core/types.ts';
import { deriveItemStates, describeEvent, stateLabel, stateName } from './item-state.ts';

const e = (type: PulseEvent['type'], itemId: string, ts: number, value?: number): PulseEvent =>
  value === undefined ? { type, itemId, ts } : { type, itemId, ts, value };

test('the latest rating wins, whatever order the events arrive in', () => {
  const states = deriveItemStates([e('rating', 'a', 3, 2), e('rating', 'a', 1, 5), e('view', 'a', 2)]);
  const a = states.get('a')!;
  assert.equal(a.rating, 2);
  assert.equal(a.views, 1);
  assert.equal(a.lastTs, 3);
  assert.equal(stateName(a), 'rated');
  assert.equal(stateLabel(a), 'Rated 2★');
});

test('a like is its own event; dislike is a 1★ rating; a 5★ rating is a rating', () => {
  const states = deriveItemStates([e('like', 'a', 1), e('rating', 'b', 1, 1), e('rating', 'c', 1, 5)]);
  assert.equal(stateName(states.get('a')!), 'liked');
  assert.equal(states.get('a')!.rating, null);
  assert.equal(stateName(states.get('b')!), 'disliked');
  assert.equal(stateName(states.get('c')!), 'rated');
  assert.equal(stateLabel(states.get('c')!), 'Rated 5★');
});

test('the latest of like and rating wins', () => {
  let s = deriveItemStates([e('rating', 'a', 1, 2), e('like', 'a', 2)]).get('a')!;
  assert.deepEqual([stateName(s), s.rating], ['liked', null]);
  s = deriveItemStates([e('like', 'a', 1), e('rating', 'a', 2, 3)]).get('a')!;
  assert.deepEqual([stateName(s), s.liked, s.rating], ['rated', false, 3]);
  s = deriveItemStates([e('like', 'a', 1), e('dismiss', 'a', 2)]).get('a')!;
  assert.equal(stateName(s), 'dismissed');
});

test('a dismissal hides a rating until a later rating takes it back', () => {
  let s = deriveItemStates([e('rating', 'a', 1, 5), e('dismiss', 'a', 2)]).get('a')!;
  assert.equal(stateName(s), 'dismissed');
  s = deriveItemStates([e('rating', 'a', 1, 5), e('dismiss', 'a', 2), e('rating', 'a', 3, 4)]).get('a')!;
  assert.equal(stateName(s), 'rated');
  assert.equal(s.dismissed, false);
});

test('views only, and nothing at all', () => {
  const s = deriveItemStates([e('view', 'a', 1), e('view', 'a', 2)]).get('a')!;
  assert.equal(stateLabel(s), 'Viewed 2×');
  assert.equal(deriveItemStates([]).size, 0);
});

test('events are described in words', () => {
  assert.equal(describeEvent({ type: 'like' }), 'Liked');
  assert.equal(describeEvent({ type: 'rating', value: 5 }), 'Rated 5★');
  assert.equal(describeEvent({ type: 'rating', value: 1 }), 'Disliked');
  assert.equal(describeEvent({ type: 'rating', value: 3 }), 'Rated 3★');
  assert.equal(describeEvent({ type: 'dismiss' }), 'Not interested');
  assert.equal(describeEvent({ type: 'cart' }), 'Added to cart');
});
