import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readHistoryFacts } from '../core/history-facts.ts';
import { seededRandom } from '../core/random.ts';
import type { CatalogItem, EventType, PulseEvent } from '../core/types.ts';
import { ClaimGrammar, trueSentences } from './claim-grammar.ts';
import { checkClaims } from './grounding.ts';

const genres = ['Action', 'Drama', 'War', 'Comedy', 'Horror', 'Sci-Fi'];

test('every sentence the grammar lets the model write is one the checker finds true', () => {
  const random = seededRandom(11);
  const catalog: CatalogItem[] = Array.from({ length: 40 }, (_, i) => ({ id: `i${i}`, title: `Film ${i}`, text: '', categories: genres.filter(() => random() < 0.4), year: 1950 + Math.floor(random() * 70) }));
  const byId = new Map(catalog.map((c) => [c.id, c] as const));
  const kinds: EventType[] = ['view', 'cart', 'purchase', 'like', 'dislike', 'rating', 'rating', 'dismiss'];
  let sentences = 0;
  for (let n = 0; n < 300; n++) {
    const history: PulseEvent[] = Array.from({ length: 1 + Math.floor(random() * 10) }, (_, ts) => {
      const type = kinds[Math.floor(random() * kinds.length)]!;
      const itemId = `i${Math.floor(random() * catalog.length)}`;
      return type === 'rating' ? { type, itemId, ts, value: 1 + Math.floor(random() * 9) / 2 } : { type, itemId, ts };
    });
    const facts = readHistoryFacts(history, (id) => byId.get(id));
    for (const sentence of trueSentences(facts)) {
      sentences++;
      assert.deepEqual(checkClaims(sentence, facts).map((c) => c.problem), [null], sentence);
    }
  }
  assert.ok(sentences > 1000, `${sentences} sentences`);
});

test('the grammar walks a true text, ends only after a sentence, and refuses a false leaning', () => {
  const catalog: CatalogItem[] = [
    { id: 'a', title: 'Platoon', text: '', categories: ['Drama', 'War'], year: 1986 },
    { id: 'b', title: 'Full Metal Jacket', text: '', categories: ['Drama', 'War'], year: 1987 },
  ];
  const facts = readHistoryFacts(catalog.map((c, ts) => ({ type: 'rating', itemId: c.id, value: 5, ts })), (id) => catalog.find((c) => c.id === id));
  const grammar = new ClaimGrammar(facts);
  const enc = new TextEncoder();
  const root = grammar.state(new Uint8Array(0))!;
  assert.equal(root.kind, 'sentence');
  if (root.kind !== 'sentence') return;
  assert.ok(grammar.continues(root.at, enc.encode('Leans towards War and Drama, mostly from the 1980s.'), root.done));
  assert.ok(!grammar.continues(root.at, enc.encode('Leans towards Drama, mostly'), root.done), 'War left out');
  assert.ok(!grammar.continues(root.at, enc.encode('Leans towards War and Drama, often from the 2000s'), root.done));
  assert.ok(!grammar.mayEnd(grammar.state(enc.encode('Leans towards War'))!, 17));
  const westerns = [0, 1, 2].map((i): CatalogItem => ({ id: `w${i}`, title: `Western ${i}`, text: '', categories: i === 0 ? ['Comedy', 'Western'] : ['Western'], year: 1960 + i }));
  const western = new ClaimGrammar(readHistoryFacts(westerns.map((c, ts) => ({ type: 'like', itemId: c.id, ts })), (id) => westerns.find((c) => c.id === id)));
  const westernRoot = western.state(new Uint8Array(0));
  assert.ok(westernRoot?.kind === 'sentence');
  assert.ok(western.continues(westernRoot.at, enc.encode('Leans towards Western and Comedy.'), westernRoot.done));
  assert.ok(!western.continues(westernRoot.at, enc.encode('Leans towards Comedy and Western.'), westernRoot.done), 'the shared category is named first');
  const done = grammar.state(enc.encode('Leans towards War and Drama. Favourites include “Platoon” (5★).'))!;
  assert.equal(done.kind, 'favourites');
  assert.ok(grammar.mayEnd(done, 10));
  const afterTitle = grammar.state(enc.encode('Favourites include “Platoon”'))!;
  assert.equal(afterTitle.kind, 'favourites');
  if (afterTitle.kind !== 'favourites') return;
  assert.ok(grammar.continuesFavourites(afterTitle, enc.encode(' (5★) and “')));
  assert.ok(!grammar.continuesFavourites(afterTitle, enc.encode(' (4★)')), 'not its rating');
  assert.ok(!grammar.continuesFavourites(afterTitle, enc.encode(' and more.')));
});
