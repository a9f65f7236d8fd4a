/**
 * Hand-written sentences about shoppers who pressed Dislike, judged by both readings of a
 * headline: the claim checker (src/slm/grounding.ts, over history-facts.ts) and the truth
 * report's independent recomputation (why-truth-facts.ts). A dislike is a "no" without stars:
 * it pushes its categories away, it is never a favourite, never a rating and never part of a
 * rating habit. Each case must be true for both readings or false for both.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CatalogItem, EventType, PulseEvent } from '../core/types.ts';
import { readHistoryFacts } from '../core/history-facts.ts';
import { composePreference } from '../core/evidence-composer.ts';
import { trueSentences } from '../slm/claim-grammar.ts';
import { groundingFacts, ungroundedReason } from '../slm/grounding.ts';
import { independentProblems } from './why-truth-facts.ts';

const item = (id: string, title: string, categories: string[], year: number): CatalogItem => ({ id, title, text: title, categories, year });
const catalog: CatalogItem[] = [
  item('ryan', 'Saving Private Ryan', ['Action', 'Drama', 'War'], 1998),
  item('fmj', 'Full Metal Jacket', ['Drama', 'War'], 1987),
  item('platoon', 'Platoon', ['Drama', 'War'], 1986),
  item('toy', 'Toy Story', ['Animation', 'Children', 'Comedy'], 1995),
  item('lion', 'The Lion King', ['Animation', 'Children', 'Drama'], 1994),
  item('saw', 'Saw', ['Horror', 'Thriller'], 2004),
  item('hall', 'Halloween', ['Horror'], 1978),
  item('ring', 'The Ring', ['Horror', 'Mystery'], 2002),
];
const byId = new Map(catalog.map((c) => [c.id, c] as const));
const lookup = (id: string) => byId.get(id);
const known = [...new Set(catalog.flatMap((c) => c.categories))];
const ev = (type: EventType, itemId: string, ts: number, value?: number): PulseEvent => (value === undefined ? { type, itemId, ts } : { type, itemId, ts, value });

/** Both readings agree that `text` is true (null) or false (the checker's reason matches `why`). */
function judge(history: PulseEvent[], text: string, why: RegExp | null): void {
  const checker = ungroundedReason(text, groundingFacts(history, lookup, known));
  const independent = independentProblems(text, history, lookup);
  if (why === null) {
    assert.equal(checker, null, `checker: ${text}`);
    assert.deepEqual(independent, [], `independent reading: ${text}`);
  } else {
    assert.match(checker ?? 'passed', why, `checker: ${text}`);
    assert.ok(independent.length > 0, `independent reading passed: ${text}`);
  }
}

/** Pressed Dislike on three horror films, never rated anything. */
const dislikesOnly = [ev('dislike', 'saw', 1), ev('dislike', 'hall', 2), ev('dislike', 'ring', 3)];
/** Liked three war films, disliked two horror films: the Like and Dislike buttons only. */
const buttons = [ev('like', 'ryan', 1), ev('like', 'fmj', 2), ev('like', 'platoon', 3), ev('dislike', 'saw', 4), ev('dislike', 'hall', 5)];

test('dislikes only: nothing liked, a steer away from what they share, and no rating habit', () => {
  judge(dislikesOnly, 'Nothing liked yet.', null);
  judge(dislikesOnly, 'Nothing liked yet; steers away from Horror.', null);
  judge(dislikesOnly, 'Tends to avoid Horror.', null);
  judge(dislikesOnly, 'No preferences known yet.', /history shows preferences/);
  judge(dislikesOnly, 'Nothing liked yet; steers away from Drama.', /does not push away/);
  // A rating habit claimed from dislikes only is false: three 1★ would read "sparing".
  judge(dislikesOnly, 'Rates sparingly (1.0★ on average), so high marks stand out.', /rated nothing \(they pressed Dislike\)$/);
  judge(dislikesOnly, 'Averages 1.0★ per rating.', /rated nothing \(they pressed Dislike\)$/);
  judge(dislikesOnly, 'Rates generously (4.0★ on average).', /rated nothing/);
  // A disliked title is no favourite, with or without stars.
  judge(dislikesOnly, 'Favourites include “Saw”.', /did not like it/);
  judge(dislikesOnly, 'Favourites include “Saw” (1★).', /did not like it/);
  judge(dislikesOnly, 'Favourites include “Saw” (disliked).', /did not like it/);
});

test('Like and Dislike buttons: a leaning, favourites said as likes, avoided categories, and no stars anywhere', () => {
  judge(buttons, 'Leans towards Drama and War, mostly from the 1980s. Favourites include “Platoon” (liked) and “Full Metal Jacket”. Tends to avoid Horror.', null);
  judge(buttons, 'Tends to avoid Horror and Thriller.', null);
  judge(buttons, 'Favourites include “Platoon” (5★).', /did not rate it/);
  judge(buttons, 'Favourites include “Halloween”.', /did not like it/);
  judge(buttons, 'Tends to avoid War.', /does not push away/);
  judge(buttons, 'Nothing liked yet; steers away from Horror.', /likes some items/);
  // Five presses, three of them 5★ if read as stars and two 1★: "Averages 3.4★" would be a habit invented from buttons.
  judge(buttons, 'Averages 3.4★ per rating.', /rated nothing \(they pressed Like and Dislike\)$/);
  judge(buttons, 'Rates generously (5.0★ on average).', /rated nothing/);
});

test('dislikes beside ratings: the habit is the ratings’ alone, and dislikes cannot make one', () => {
  const rated = [ev('rating', 'toy', 1, 5), ev('rating', 'lion', 2, 4), ev('rating', 'platoon', 3, 4.5), ev('dislike', 'saw', 4), ev('dislike', 'hall', 5)];
  judge(rated, 'Rates generously (4.5★ on average).', null);
  judge(rated, 'Averages 3.1★ per rating.', /ratings average 4\.5★/); // (5 + 4 + 4.5 + 1 + 1) / 5: dislikes read as 1★
  // Two ratings and a dislike: three "marks" if a dislike were a 1★, but only two ratings — no habit.
  const two = [ev('rating', 'toy', 1, 5), ev('rating', 'lion', 2, 3), ev('dislike', 'saw', 3)];
  judge(two, 'Averages 3.0★ per rating.', /too few or only identical ratings/);
  judge(two, 'Rates sparingly (3.0★ on average), so high marks stand out.', /too few or only identical ratings/);
});

test('changes of mind: the latest verdict speaks; a stored 1★ rating stays a rating', () => {
  // Disliked, then liked: a favourite. Liked, then disliked: avoided, not a favourite.
  judge([ev('dislike', 'platoon', 1), ev('like', 'platoon', 2)], 'Favourites include “Platoon” (liked).', null);
  judge([ev('like', 'saw', 1), ev('dislike', 'saw', 2)], 'Favourites include “Saw”.', /did not like it/);
  judge([ev('like', 'saw', 1), ev('dislike', 'saw', 2)], 'Nothing liked yet; steers away from Horror and Thriller.', null);
  // Rated 4★, then disliked: the rating no longer speaks, so no habit and no stars.
  const retracted = [ev('rating', 'toy', 1, 4), ev('rating', 'lion', 2, 5), ev('rating', 'ryan', 3, 3), ev('dislike', 'toy', 4)];
  judge(retracted, 'Averages 4.0★ per rating.', /too few or only identical ratings/);
  // What an older demo stored for Dislike: 1★ ratings, ratings still — identical marks, so no habit either.
  const old = [ev('rating', 'saw', 1, 1), ev('rating', 'hall', 2, 1), ev('rating', 'ring', 3, 1)];
  judge(old, 'Rates sparingly (1.0★ on average), so high marks stand out.', /too few or only identical ratings/);
  judge(old, 'Nothing liked yet; steers away from Horror.', null);
});

test('what decoding may write and the fallback writes for Like/Dislike shoppers: true by both readings, no ★, no habit', () => {
  const context = { catalog, indexOf: new Map(catalog.map((c, i) => [c.id, i] as const)) };
  for (const history of [dislikesOnly, buttons]) {
    const facts = readHistoryFacts(history, lookup);
    assert.equal(facts.habit, null);
    assert.deepEqual(facts.ratings, []);
    const listed = trueSentences(facts);
    assert.ok(listed.length > 0);
    for (const sentence of listed) {
      assert.doesNotMatch(sentence, /★|Rates|Averages/, sentence);
      judge(history, sentence, null);
    }
    const fallback = composePreference(history, context);
    assert.doesNotMatch(fallback, /★|Rates|Averages|disliked/, fallback);
    judge(history, fallback, null);
  }
});
