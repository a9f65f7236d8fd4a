import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ungroundedReason } from './grounding.ts';

const TITLES = ['Toy Story', 'Aladdin', 'The Lion King', 'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb'];

test('a rationale that names only history titles is grounded', () => {
  assert.equal(ungroundedReason('Leans towards Animation. Favourites include “Toy Story” (5★) and “Aladdin” (5★).', TITLES), null);
  assert.equal(ungroundedReason('Loves "the lion king".', TITLES), null);
  assert.equal(ungroundedReason('Favourites include “Dr. Strangelove or: How I Learned to Stop…”.', TITLES), null);
  assert.equal(ungroundedReason('You like animated films.', TITLES), null);
});

test('a title outside the history, a title named twice, or a stutter is not', () => {
  assert.match(ungroundedReason('Favourites include “The Shawshank Redemption” (5★).', TITLES)!, /“The Shawshank Redemption”, which is not in the history/);
  assert.match(ungroundedReason('Favourites include “Toy Story” (5★) and “Toy Story” (5★).', TITLES)!, /“Toy Story” twice/);
  assert.match(ungroundedReason('Leans towards Drama, Drama and Action.', TITLES)!, /repeats “Drama”/);
  assert.match(ungroundedReason('Leans towards Comedy and Comedy.', TITLES)!, /repeats “Comedy”/);
  // A cut title must be cut from a real one.
  assert.match(ungroundedReason('Favourites include “Toy Soldiers…”.', TITLES)!, /not in the history/);
});
