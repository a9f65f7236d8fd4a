import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ungroundedReason } from './grounding.ts';

const TITLES = ['Toy Story', 'Aladdin', 'The Lion King', 'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb'];

test('a rationale that names only history titles is grounded', () => {
  assert.equal(ungroundedReason('Leans towards Animation. Favourites include “Toy Story” (5★) and “Aladdin” (5★).', { titles: TITLES }), null);
  assert.equal(ungroundedReason('Loves "the lion king".', { titles: TITLES }), null);
  assert.equal(ungroundedReason('Favourites include “Dr. Strangelove or: How I Learned to Stop…”.', { titles: TITLES }), null);
  assert.equal(ungroundedReason('You like animated films.', { titles: TITLES }), null);
});

test('a title outside the history, a title named twice, or a stutter is not', () => {
  assert.match(ungroundedReason('Favourites include “The Shawshank Redemption” (5★).', { titles: TITLES })!, /“The Shawshank Redemption”, which is not in the history/);
  assert.match(ungroundedReason('Favourites include “Toy Story” (5★) and “Toy Story” (5★).', { titles: TITLES })!, /“Toy Story” twice/);
  assert.match(ungroundedReason('Leans towards Drama, Drama and Action.', { titles: TITLES })!, /repeats “Drama”/);
  assert.match(ungroundedReason('Leans towards Comedy and Comedy.', { titles: TITLES })!, /repeats “Comedy”/);
  // A cut title must be cut from a real one.
  assert.match(ungroundedReason('Favourites include “Toy Soldiers…”.', { titles: TITLES })!, /not in the history/);
});

test('with the catalog categories: a category no history item has, or one named twice in a sentence, is not grounded', () => {
  const categories = { history: ['Animation', 'Children', 'Musical', 'Adventure', 'Sci-Fi'], known: ['Animation', 'Children', 'Musical', 'Adventure', 'Thriller', 'Crime', 'Sci-Fi', 'Fi', 'Film-Noir', 'Drama'] };
  const good = 'Leans towards Animation, Children and Musical. Favourites include “The Lion King” (5★). Tends to avoid Sci-Fi and Adventure.';
  assert.equal(ungroundedReason(good, { titles: TITLES, categories }), null);
  assert.match(ungroundedReason('Leans towards Thriller, Adventure and Crime.', { titles: TITLES, categories })!, /“Thriller”, which no item in the history is/);
  assert.match(ungroundedReason('Leans towards Animation, Children and Animation.', { titles: TITLES, categories })!, /repeats “Animation”/);
  // Once per sentence, not once per text: the teacher says what is liked, then what is avoided.
  assert.equal(ungroundedReason('Leans towards Animation. Rarely skips Animation either.', { titles: TITLES, categories }), null);
  // Whole words, case-sensitive, outside quotations; "Sci-Fi" is not read as "Fi".
  assert.equal(ungroundedReason('A dramatic streak; some thrillers. Loves Sci-Fi.', { titles: TITLES, categories }), null);
  assert.equal(ungroundedReason('Favourites include “Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb”.', { titles: TITLES, categories: { ...categories, known: [...categories.known, 'Love'] } }), null);
  assert.match(ungroundedReason('Loves Film-Noir.', { titles: TITLES, categories })!, /“Film-Noir”/);
});

test('with the history ratings: a star figure must be one of them or their mean, and well formed', () => {
  const ratings = [5, 5, 4.5];
  assert.equal(ungroundedReason('Favourites include “Toy Story” (5★) and “Aladdin” (4.5★). Rates generously (4.8★ on average).', { titles: TITLES, ratings }), null);
  assert.match(ungroundedReason('Rates generously (4.0★ on average).', { titles: TITLES, ratings })!, /neither a rating in the history nor their average \(4\.8★\)/);
  assert.match(ungroundedReason('Rates generously (4.5.9★ on average).', { titles: TITLES, ratings })!, /“4\.5\.9★”, which is not a rating/);
  assert.match(ungroundedReason('Favourites include “Toy Story” (3★).', { titles: TITLES, ratings })!, /“3★”/);
  assert.match(ungroundedReason('Loves “Toy Story” (5★).', { titles: TITLES, ratings: [] })!, /has no ratings/);
  // A title may hold a comma and a repeated word; only the text around titles can stutter.
  assert.equal(ungroundedReason('Favourites include “The Way, Way Back”.', { titles: ['The Way, Way Back'] }), null);
});

test('a star figure right after a title is that title’s own rating', () => {
  const facts = { titles: TITLES, ratings: [5, 3], ratingsByTitle: { 'Toy Story': [5], Aladdin: [3] } };
  assert.equal(ungroundedReason('Favourites include “Toy Story” (5★) and “Aladdin” (3★).', facts), null);
  assert.match(ungroundedReason('Favourites include “Toy Story” (3★).', facts)!, /gives “Toy Story” 3★, but the shopper rated it 5★/);
  assert.match(ungroundedReason('Favourites include “The Lion King” (5★).', facts)!, /did not rate it/);
  assert.equal(ungroundedReason('Favourites include “Toy St…” (5★).', { ...facts, titles: ['Toy Story'] }), null, 'a cut title is its full one');
});
