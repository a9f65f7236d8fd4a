import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroundingConstraint } from './grounding-constraint.ts';

// A toy byte-level vocabulary: every single byte, a few merged pieces, and an end-of-turn token.
const encoder = new TextEncoder();
const pieces = ['“', '”', '“The', 'Toy', ' Story', '” (', 'Shrek', ' Lion', ' King', ' 2', '★', '“Toy', '"'];
const tokenBytes: (Uint8Array | null)[] = [...Array.from({ length: 256 }, (_, b) => Uint8Array.of(b)), ...pieces.map((p) => encoder.encode(p)), null];
const id = (piece: string): number => 256 + pieces.indexOf(piece);
const EOT = tokenBytes.length - 1;
const byte = (char: string): number => char.charCodeAt(0);
const ids = (...parts: string[]): number[] => parts.flatMap((p) => (pieces.includes(p) ? [id(p)] : Array.from(encoder.encode(p))));

function allowedAfter(constraint: GroundingConstraint, generated: number[]): Set<number> {
  const logits = new Float32Array(tokenBytes.length);
  constraint.mask(generated, logits);
  return new Set([...logits.keys()].filter((i) => logits[i] !== -Infinity));
}

const constraint = new GroundingConstraint(tokenBytes, ['Toy Story', 'The Lion King']);

test('outside a quotation everything may follow, but a quotation may only open on a title', () => {
  const allowed = allowedAfter(constraint, ids('Leans towards Comedy. '));
  assert.ok(allowed.has(byte('S')) && allowed.has(id('Shrek')) && allowed.has(EOT) && allowed.has(id('★')));
  assert.ok(allowed.has(id('“The')) && allowed.has(id('“Toy')) && allowed.has(id('“')));
  const inside = allowedAfter(constraint, ids('Favourites include ', '“'));
  assert.deepEqual([...inside].sort((a, b) => a - b), [byte('T'), id('Toy')], 'only a title may follow an open quote');
  assert.ok(!inside.has(id('Shrek')) && !inside.has(byte('S')) && !inside.has(EOT), 'no other title, no end of turn inside a quotation');
});

test('a title must be finished and closed, then the text goes on freely', () => {
  const midTitle = allowedAfter(constraint, ids('“Toy'));
  assert.ok(midTitle.has(id(' Story')) && midTitle.has(byte(' ')));
  assert.ok(!midTitle.has(id('”')) && !midTitle.has(id(' Lion')), 'cannot close “Toy” or turn into another title');
  const complete = allowedAfter(constraint, ids('“Toy', ' Story'));
  assert.ok(complete.has(id('”')) && complete.has(id('” (')));
  assert.ok(!complete.has(id(' 2')), '“Toy Story 2” is not in the history');
  assert.ok(allowedAfter(constraint, ids('“Toy', ' Story', '” (')).has(byte('1')), 'a year may follow');
});

test('a title already named cannot be named again; the other one can', () => {
  const again = allowedAfter(constraint, ids('“Toy', ' Story', '” and ', '“'));
  assert.ok(!again.has(id('Toy')) && again.has(byte('T')), '“T” may still start “The Lion King”');
  const afterT = allowedAfter(constraint, ids('“Toy', ' Story', '” and ', '“', 'T'));
  assert.ok(afterT.has(byte('h')) && !afterT.has(byte('o')));
  assert.ok(!allowedAfter(constraint, ids('“Toy', ' Story', '” and ')).has(id('“Toy')), 'a merged quote + title token is checked too');
});

test('straight quotes are held to the same rule, other E2 characters (★, …) are not mistaken for a quotation', () => {
  const straight = allowedAfter(constraint, ids('Loved ', '"'));
  assert.ok(straight.has(id('Toy')) && !straight.has(id('Shrek')));
  assert.ok(allowedAfter(constraint, ids('(5', '★', ') ')).has(id('Shrek')));
  assert.ok(allowedAfter(constraint, ids('and more…', ' ')).has(id('Shrek')));
});

test('outside quotations, a category token is allowed only if the history has it and the sentence has not named it', () => {
  const vocab = [...tokenBytes];
  const words = [' Animation', ' Thriller', 'Animation', ' Children', ' Dr'];
  const wordId = (w: string): number => vocab.length - 1 + words.indexOf(w);
  const withWords = [...vocab.slice(0, -1), ...words.map((w) => encoder.encode(w)), null];
  const facts = { history: ['Animation', 'Children'], known: ['Animation', 'Children', 'Thriller'] };
  const grounded = new GroundingConstraint(withWords, ['Toy Story'], facts);
  const after = (text: string): Set<number> => {
    const logits = new Float32Array(withWords.length);
    grounded.mask(Array.from(encoder.encode(text)), logits);
    return new Set([...logits.keys()].filter((i) => logits[i] !== -Infinity));
  };
  const start = after('Leans towards');
  assert.ok(start.has(wordId(' Animation')) && start.has(wordId(' Children')));
  assert.ok(!start.has(wordId(' Thriller')), 'no item of the history is a thriller');
  assert.ok(start.has(wordId(' Dr')), 'a token that only starts a word is left to the grounding check');
  const second = after('Leans towards Animation,');
  assert.ok(!second.has(wordId(' Animation')) && second.has(wordId(' Children')), 'not twice in a sentence');
  assert.ok(after('Leans towards Animation. Avoids').has(wordId(' Animation')), 'a new sentence may name it again');
  assert.ok(after('Leans towards Animation.').has(wordId(' Animation')));
  // Inside a quotation only the title rule applies (a title may hold any word).
  assert.ok(!after('Loves “').has(wordId(' Thriller')));
});

test('a number opened by a parenthesis is one of the ratings or their mean before ★, or a year', () => {
  const rated = new GroundingConstraint(tokenBytes, ['Toy Story'], undefined, [5, 5, 4.5], { 'Toy Story': [4.5] }); // mean 4.8
  const after = (text: string): Set<number> => allowedAfter(rated, Array.from(encoder.encode(text)));
  const afterTitle = after('Favourites include “Toy Story” (');
  assert.ok(afterTitle.has(byte('4')) && !afterTitle.has(byte('5')), 'right after a title, only its own rating');
  assert.ok(after('“Toy Story” (4.').has(byte('5')) && !after('“Toy Story” (4.').has(byte('8')));
  const open = after('Rates generously (');
  assert.ok(open.has(byte('5')) && open.has(byte('4')) && open.has(byte('1')) && open.has(byte('2')));
  assert.ok(!open.has(byte('3')), 'no 3★ rating, no year starts with 3');
  assert.ok(after('(5').has(id('★')) && after('(5').has(byte('.')) && after('(5.').has(byte('0')));
  assert.ok(after('(4').has(byte('.')) && !after('(4').has(id('★')), '4★ is not a rating here');
  assert.ok(after('(4.').has(byte('8')) && after('(4.').has(byte('5')) && !after('(4.').has(byte('7')));
  assert.ok(after('(4.8').has(id('★')), 'the mean');
  assert.ok(!after('(4.8').has(byte('0')) && after('(4.8').has(byte(' ')), 'an allowed figure may end without ★');
  // A year: four digits, then anything but ★; a cut-short number may not end.
  assert.ok(after('(199').has(byte('5')) && after('(1995').has(byte(')')) && !after('(1995').has(id('★')));
  assert.ok(!after('(19').has(byte(')')) && !after('(19').has(byte(' ')), '"(19)" is neither a figure nor a year');
  assert.ok(after('(5★) and more: 3 films').has(byte('3')), 'numbers outside a parenthesis are free');
  assert.ok(!after('(5★) and (').has(byte('3')));
});
