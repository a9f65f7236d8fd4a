import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PulseEvent } from '../core/types.ts';
import { EMPTY_STATE, deriveItemStates, describeEvent, stateLabel, stateName } from './item-state.ts';
import { eventFor, isRepeat } from './item-actions.ts';

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

test('like and dislike are their own events; a 5★ or 1★ rating is a rating', () => {
  const states = deriveItemStates([e('like', 'a', 1), e('dislike', 'b', 1), e('rating', 'c', 1, 5), e('rating', 'd', 1, 1)]);
  assert.equal(stateName(states.get('a')!), 'liked');
  assert.equal(states.get('a')!.rating, null);
  assert.deepEqual([stateName(states.get('b')!), stateLabel(states.get('b')!), states.get('b')!.rating], ['disliked', 'Disliked', null]);
  assert.equal(stateName(states.get('c')!), 'rated');
  assert.equal(stateLabel(states.get('c')!), 'Rated 5★');
  // What an older demo's Dislike button stored stays the rating it is: nothing in the row says it was a Dislike.
  assert.deepEqual([stateName(states.get('d')!), stateLabel(states.get('d')!), states.get('d')!.disliked], ['rated', 'Rated 1★', false]);
});

test('changes of mind: the latest of like, dislike and rating wins, and a dismissal hides a dislike', () => {
  let s = deriveItemStates([e('like', 'a', 1), e('dislike', 'a', 2)]).get('a')!;
  assert.deepEqual([stateName(s), s.liked, s.disliked], ['disliked', false, true]);
  s = deriveItemStates([e('dislike', 'a', 1), e('like', 'a', 2)]).get('a')!;
  assert.deepEqual([stateName(s), s.liked, s.disliked], ['liked', true, false]);
  s = deriveItemStates([e('dislike', 'a', 2), e('rating', 'a', 3, 4)]).get('a')!;
  assert.deepEqual([stateName(s), s.disliked, s.rating], ['rated', false, 4]);
  s = deriveItemStates([e('rating', 'a', 1, 4), e('dislike', 'a', 2)]).get('a')!;
  assert.deepEqual([stateName(s), s.rating], ['disliked', null]);
  s = deriveItemStates([e('dislike', 'a', 1), e('dismiss', 'a', 2)]).get('a')!;
  assert.equal(stateName(s), 'dismissed');
  s = deriveItemStates([e('dislike', 'a', 1), e('dismiss', 'a', 2), e('dislike', 'a', 3)]).get('a')!;
  assert.deepEqual([stateName(s), s.dismissed], ['disliked', false], 'pressing Dislike again takes back "not interested"');
});

test('the buttons: Dislike records a dislike event, pressing it again is a repeat, Like after it is not', () => {
  assert.deepEqual(eventFor('a', { kind: 'dislike' }), { type: 'dislike', itemId: 'a' });
  assert.deepEqual(eventFor('a', { kind: 'like' }), { type: 'like', itemId: 'a' });
  const disliked = deriveItemStates([e('dislike', 'a', 1)]).get('a')!;
  assert.equal(isRepeat({ kind: 'dislike' }, disliked), true);
  assert.equal(isRepeat({ kind: 'like' }, disliked), false);
  assert.equal(isRepeat({ kind: 'rate', value: 1 }, disliked), false, 'a 1★ after a dislike is a new thing said');
  const oldDislike = deriveItemStates([e('rating', 'a', 1, 1)]).get('a')!;
  assert.equal(isRepeat({ kind: 'dislike' }, oldDislike), false, 'a 1★ rating is not a dislike');
  const hidden = deriveItemStates([e('dislike', 'a', 1), e('dismiss', 'a', 2)]).get('a')!;
  assert.equal(isRepeat({ kind: 'dislike' }, hidden), false);
  assert.equal(isRepeat({ kind: 'dislike' }, EMPTY_STATE), false);
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
  assert.equal(describeEvent({ type: 'dislike' }), 'Disliked');
  assert.equal(describeEvent({ type: 'rating', value: 1 }), 'Rated 1★');
  assert.equal(describeEvent({ type: 'rating', value: 3 }), 'Rated 3★');
  assert.equal(describeEvent({ type: 'dismiss' }), 'Not interested');
  assert.equal(describeEvent({ type: 'cart' }), 'Added to cart');
});
