import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../core/random.ts';
import type { CatalogItem, Interaction, PulseEvent } from '../../core/types.ts';
import { buildPreferenceCorpus, diversifyEvents, groupByUser } from './preference-corpus.ts';

const genres = ['Drama', 'Comedy', 'Horror', 'Western'];
const catalog: CatalogItem[] = Array.from({ length: 40 }, (_, i) => ({
  id: String(i),
  title: `Film ${i}`,
  text: '',
  categories: [genres[i % 4]!],
  year: 1950 + i,
}));
const random = seededRandom(9);
const interactions: Interaction[] = [];
for (let u = 1; u <= 20; u++) {
  for (let k = 0; k < 30; k++) {
    interactions.push({ user: String(u), type: 'rating', itemId: String(Math.floor(random() * 40)), value: 1 + Math.floor(random() * 5), ts: 1000 * (u * 100 + k) });
  }
}
// An item missing from the catalog must never reach a prompt.
interactions.push({ user: '1', type: 'rating', itemId: 'gone', value: 5, ts: 999_999_999 });
const options = { windowsPerUser: 5, maxWindow: 12, heldOutShare: 0.25, seed: 3 };

test('held-out users never appear in training, and the split follows the share', () => {
  const corpus = buildPreferenceCorpus(groupByUser(interactions), catalog, options);
  const trainUsers = new Set(corpus.train.map((e) => e.user));
  const heldUsers = new Set(corpus.heldOut.map((e) => e.user));
  assert.equal(heldUsers.size, 5);
  assert.equal(trainUsers.size, 15);
  for (const user of heldUsers) assert.ok(!trainUsers.has(user));
  assert.equal(corpus.train.length + corpus.heldOut.length, 100);
});

test('each example is a chat prompt ending in the generation prompt, and a teacher answer ending the turn', () => {
  const corpus = buildPreferenceCorpus(groupByUser(interactions), catalog, options);
  for (const e of [...corpus.train, ...corpus.heldOut]) {
    assert.ok(e.prompt.startsWith('<|im_start|>system\n'));
    assert.ok(e.prompt.endsWith('<|im_end|>\n<|im_start|>assistant\n'));
    assert.ok(e.answer.endsWith('<|im_end|>') && !e.answer.slice(0, -10).includes('<|'));
    const listed = e.prompt.split('\n').filter((line) => line.startsWith('- Film'));
    assert.ok(listed.length >= 1 && listed.length <= 12);
    assert.ok(!e.prompt.includes('gone'));
  }
});

test('the corpus is the same for the same seed and differs for another', () => {
  const a = buildPreferenceCorpus(groupByUser(interactions), catalog, options);
  assert.deepEqual(a, buildPreferenceCorpus(groupByUser(interactions), catalog, options));
  assert.notDeepEqual(a.train, buildPreferenceCorpus(groupByUser(interactions), catalog, { ...options, seed: 4 }).train);
});

test('diversified histories keep every item and use each implicit action the prompt can name', () => {
  const timeline: PulseEvent[] = Array.from({ length: 400 }, (_, i) => ({ type: 'rating', itemId: String(i), value: 1 + (i % 5), ts: i * 10 }));
  const out = diversifyEvents(timeline, seededRandom(1));
  assert.deepEqual([...new Set(out.map((e) => e.itemId))], timeline.map((e) => e.itemId));
  const types = new Set(out.map((e) => e.type));
  for (const type of ['rating', 'view', 'click', 'cart', 'purchase', 'dismiss']) assert.ok(types.has(type as PulseEvent['type']), type);
  // A dismissal only ever replaces a low rating, a purchase only a high one.
  for (const e of out) {
    const stars = timeline[Number(e.itemId)]!.value!;
    if (e.type === 'dismiss') assert.ok(stars <= 2);
    if (e.type === 'purchase' || e.type === 'cart') assert.ok(stars >= 4);
  }
});
