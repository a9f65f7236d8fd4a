import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { useNodeBackend } from '../model/node-backend.ts';
import { loadTextBackboneFromDir } from '../model/node-model-files.ts';
import type { TextBackbone } from '../model/use-lite.ts';
import { createUseLiteScorer } from './use-lite-scorer.ts';

const MODEL_DIR = fileURLToPath(new URL('../../models/use-lite', import.meta.url));
const ITEMS: CatalogItem[] = [
  { id: '1', title: 'Toy Story', text: 'Toy Story (1995). Genres: Adventure, Animation, Children, Comedy, Fantasy.', categories: [], year: 1995 },
  { id: '2', title: 'Finding Nemo', text: 'Finding Nemo (2003). Genres: Adventure, Animation, Children, Comedy.', categories: [], year: 2003 },
  { id: '3', title: 'Saw', text: 'Saw (2004). Genres: Horror, Mystery, Thriller.', categories: [], year: 2004 },
];
const lookup = (id: string) => ITEMS.find((item) => item.id === id);
const NOW = 10_000_000;
const LIKES_FAMILY: PulseEvent[] = [
  { type: 'rating', itemId: '1', value: 5, ts: NOW - 2000 },
  { type: 'rating', itemId: '2', value: 5, ts: NOW - 1000 },
  { type: 'rating', itemId: '3', value: 1, ts: NOW },
];

let backbone: TextBackbone;
before(async () => {
  await useNodeBackend('wasm');
  backbone = await loadTextBackboneFromDir(MODEL_DIR);
});
after(() => backbone.dispose());

test('a rationale about what the shopper liked outscores one about what they disliked', async () => {
  const scorer = createUseLiteScorer(backbone, lookup, () => NOW);
  const [fits, opposite] = await scorer.score(LIKES_FAMILY, [
    'You enjoy animated family adventures and comedies for children.',
    'You enjoy horror mysteries and dark thrillers.',
  ]);
  assert.ok(fits! > opposite!, `fits ${fits} ≤ opposite ${opposite}`);
  assert.ok(fits! > 0.3 && fits! <= 1.0001, `cosine ${fits}`);
});

test('a history with nothing liked scores every rationale 0', async () => {
  const scorer = createUseLiteScorer(backbone, lookup, () => NOW);
  assert.deepEqual(await scorer.score([{ type: 'dismiss', itemId: '3', ts: NOW }], ['Anything.', 'Else.']), [0, 0]);
  assert.deepEqual(await scorer.score([], ['Anything.']), [0]);
});
