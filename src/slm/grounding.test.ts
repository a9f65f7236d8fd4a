import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkClaims, groundingFacts, ungroundedReason } from './grounding.ts';
import type { CatalogItem, EventType, PulseEvent } from '../core/types.ts';

const item = (id: string, title: string, categories: string[], year: number | null): CatalogItem => ({ id, title, text: title, categories, year });

const catalog: CatalogItem[] = [
  item('kwai', 'The Bridge on the River Kwai', ['Adventure', 'Drama', 'War'], 1957),
  item('ryan', 'Saving Private Ryan', ['Action', 'Drama', 'War'], 1998),
  item('apoc', 'Apocalypse Now', ['Action', 'Drama', 'War'], 1979),
  item('fmj', 'Full Metal Jacket', ['Drama', 'War'], 1987),
  item('platoon', 'Platoon', ['Drama', 'War'], 1986),
  item('toy', 'Toy Story', ['Animation', 'Children', 'Comedy'], 1995),
  item('lion', 'The Lion King', ['Animation', 'Children', 'Drama'], 1994),
  item('alad', 'Aladdin', ['Animation', 'Children', 'Comedy'], 1992),
  item('saw', 'Saw', ['Horror', 'Thriller'], 2004),
  item('hall', 'Halloween', ['Horror'], 1978),
  item('matrix', 'The Matrix', ['Action', 'Sci-Fi'], 1999),
  item('strange', 'Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb', ['Comedy', 'War'], 1964),
];
const byId = new Map(catalog.map((c) => [c.id, c] as const));
const known = [...new Set(catalog.flatMap((c) => c.categories))];
const facts = (history: PulseEvent[]) => groundingFacts(history, (id) => byId.get(id), known);
const ev = (type: EventType, itemId: string, ts: number, value?: number): PulseEvent => (value === undefined ? { type, itemId, ts } : { type, itemId, ts, value });

/** Five war films, each rated 5★ (how a shop that stores its Like button as a rating writes them). */
const war = facts(['kwai', 'ryan', 'apoc', 'fmj', 'platoon'].map((id, i) => ev('rating', id, i, 5)));
/** The shopper: the same five films, each liked with the Like button (a `like` event). */
const warLikes = facts(['kwai', 'ryan', 'apoc', 'fmj', 'platoon'].map((id, i) => ev('like', id, i)));
/** Three family films rated, two horror films panned. */
const family = facts([ev('rating', 'toy', 1, 5), ev('rating', 'lion', 2, 4.5), ev('rating', 'alad', 3, 5), ev('rating', 'saw', 4, 1), ev('rating', 'hall', 5, 1.5)]);

const ok = (text: string, f = family) => assert.equal(ungroundedReason(text, f), null, text);
const bad = (text: string, why: RegExp, f = family) => assert.match(ungroundedReason(text, f) ?? 'passed', why, text);

test('leaning: the named set holds every category most liked items share, and leads by weight', () => {
  ok('Leans towards Drama and War.', war);
  ok('Leans towards War, Drama and Action.', war);
  // The headline: War, which all five share, left out.
  bad('Leans towards Drama, Action and Adventure.', /leaves out War, which most liked items are/, war);
  bad('Leans towards Drama, War and Comedy.', /“Comedy”, which no liked item is/, war);
  // Adventure (one film) named while Action (two) is left out.
  bad('Leans towards Drama, War and Adventure.', /names Adventure but leaves out Action/, war);
  bad('Leans towards Drama, War and Drama.', /repeats “Drama”/, war);
  // Action (two of five) named before War and Drama, which all five share: the taste reads as action.
  bad('Leans towards Action, War and Drama.', /names Action before War, which most liked items are/, war);
  bad('Leans towards Drama, Action and War.', /names Action before War/, war);
  bad('Leans towards dark epics.', /“dark epics”, which no liked item is/, war);
  ok('Leans towards Animation, Children and Comedy.');
  // Comedy: two of the three liked films.
  bad('Leans towards Animation and Children.', /leaves out Comedy/);
  bad('Leans towards Horror and Animation.', /“Horror”, which no liked item is|leaves out Children/);
});

test('era: a decade claimed is the one most dated liked items come from', () => {
  bad('Leans towards Drama and War, often from the 2000s.', /the 2000s, but no decade holds most/, war);
  bad('Leans towards Drama and War, mostly from the 1980s.', /no decade holds most/, war); // two of five
  ok('Leans towards Animation, Children and Comedy, mostly from the 1990s.');
  ok('Picks titles mostly from the 1990s.');
  bad('Picks titles often from the 1970s.', /the 1970s, but most liked titles are from the 1990s/);
});

test('favourites: liked titles of the history, each figure its own rating, each action its own', () => {
  ok('Favourites include “Toy Story” (5★), “The Lion King” (4.5★) and “Aladdin”.');
  ok('Favourites include "toy story".');
  bad('Favourites include “Toy Story” (4★).', /gives “Toy Story” 4★, but the shopper rated it 5★/);
  bad('Favourites include “The Shawshank Redemption” (5★).', /“The Shawshank Redemption”, which is not in the history/);
  bad('Favourites include “Saw”.', /calls “Saw” a favourite, but the shopper did not like it/);
  bad('Favourites include “Toy Story” and “Toy Story”.', /“Toy Story” twice/);
  bad('Favourites include “Toy Soldiers…”.', /not in the history/);
  bad('Favourites include “Toy Story” (1996).', /dates “Toy Story” 1996, but it is from 1995/);
  ok('Favourites include “Toy Story” (1995).');
  const shop = facts([ev('cart', 'matrix', 1), ev('purchase', 'toy', 2), ev('view', 'lion', 3)]);
  ok('Favourites include “The Matrix” (added to cart) and “Toy Story” (bought).', shop);
  bad('Favourites include “The Matrix” (bought).', /says the shopper bought “The Matrix”, but they added to cart it/, shop);
  bad('Favourites include “The Matrix” (5★).', /did not rate it/, shop);
  // One view is not a favourite.
  bad('Favourites include “The Lion King”.', /did not like it/, shop);
  // A long title may be cut with "…"; its ". " is not a sentence end.
  const strange = facts([ev('rating', 'strange', 1, 5)]);
  ok('Favourites include “Dr. Strangelove or: How I Learned to Stop Worrying and Love the Bomb” (5★).', strange);
  ok('Favourites include “Dr. Strangelove or: How I Learned to Stop Worrying…” (5★).', strange);
});

test('avoids: only categories that push more than they pull, never one the leaning names', () => {
  ok('Tends to avoid Horror and Thriller.');
  bad('Tends to avoid Comedy.', /avoids Comedy, which the history does not push away/);
  bad('Tends to avoid War.', /avoids War/, war);
  ok('Nothing liked yet; steers away from Horror.', facts([ev('rating', 'saw', 1, 1)]));
  bad('Nothing liked yet.', /the shopper likes some items/);
  ok('No preferences known yet.', facts([]));
  bad('No preferences known yet.', /history shows preferences/);
});

test('rating habit: only from explicit, differing ratings, the figure their mean', () => {
  ok('Averages 3.4★ per rating.'); // (5 + 4.5 + 5 + 1 + 1.5) / 5 = 3.4
  bad('Rates generously (3.4★ on average).', /rates generously, but the average is 3\.4★/);
  bad('Averages 4.0★ per rating.', /4\.0★ on average, but the ratings average 3\.4★/);
  // Five Likes (5★ each) are not a habit of rating generously.
  bad('Rates generously (5.0★ on average).', /too few or only identical ratings/, war);
  bad('Averages 4.0★ per rating.', /rated nothing/, facts([ev('cart', 'matrix', 1), ev('cart', 'toy', 2), ev('cart', 'lion', 3)]));
  const generous = facts([ev('rating', 'toy', 1, 5), ev('rating', 'lion', 2, 4), ev('rating', 'alad', 3, 4.5)]);
  ok('Rates generously (4.5★ on average).', generous);
  bad('Rates sparingly (4.5★ on average), so high marks stand out.', /rates sparingly, but the average is 4\.5★/, generous);
});

test('likes are described as likes: no stars, no rating habit, "liked" only for a like', () => {
  ok('Leans towards Drama and War.', warLikes);
  ok('Favourites include “Platoon”, “Full Metal Jacket” (liked) and “Apocalypse Now”.', warLikes);
  bad('Favourites include “Platoon” (5★).', /gives “Platoon” 5★, but the shopper did not rate it/, warLikes);
  bad('Rates generously (5.0★ on average).', /rated nothing \(they pressed Like\)/, warLikes);
  bad('Averages 5.0★ per rating.', /rated nothing \(they pressed Like\)/, warLikes);
  // A 5★ rating is a rating, not a like.
  bad('Favourites include “Toy Story” (liked).', /says the shopper liked “Toy Story”, but they rated it/);
  // Likes beside differing ratings: the habit is the ratings' alone.
  const mixed = facts([ev('like', 'kwai', 1), ev('like', 'ryan', 2), ev('rating', 'toy', 3, 5), ev('rating', 'lion', 4, 4), ev('rating', 'alad', 5, 4.5)]);
  ok('Rates generously (4.5★ on average).', mixed);
  bad('Rates generously (4.6★ on average).', /ratings average 4\.5★/, mixed);
});

test('claims it cannot read are not allowed: free prose, counts, a cut sentence, nothing', () => {
  bad('You like animated films.', /not a claim Pulse can check/);
  bad('Has rated 5 titles.', /not a claim Pulse can check/);
  bad('Leans towards Animation, Children and Comedy. Loves films from the 1990s and rates them highly.', /not a claim Pulse can check/);
  bad('Leans towards Animation and Chil…', /not a claim Pulse can check/);
  bad('', /says nothing/);
  assert.match(ungroundedReason('Leans towards Drama.', { titles: [] })!, /facts are unknown/);
});

test('every sentence is judged: the checker reports each claim with its kind', () => {
  const claims = checkClaims('Leans towards Animation, Children and Comedy, mostly from the 1990s. Favourites include “Toy Story” (5★). Tends to avoid Horror. Averages 3.4★ per rating.', family.claims!);
  assert.deepEqual(claims.map((c) => [c.kind, c.problem]), [['leaning', null], ['favourites', null], ['avoids', null], ['habit', null]]);
  assert.equal(claims[1]!.sentence, 'Favourites include “Toy Story” (5★).');
});
