import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import { composePreference } from '../core/evidence-composer.ts';
import { useNodeBackend } from '../model/node-backend.ts';
import { dirSource, loadTextBackboneFromDir } from '../model/node-model-files.ts';
import { loadThoughtSpace } from '../model/thought-space-loader.ts';
import { createThoughtSpaceScorer } from './thought-space-scorer.ts';

const ROOT = join(import.meta.dirname, '..', '..');

test('the shipped Thought Space prefers a rationale that describes the history over one that contradicts it', async () => {
  await useNodeBackend('wasm');
  const catalog = JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.json'), 'utf8')) as CatalogItem[];
  const indexOf = new Map(catalog.map((item, i) => [item.id, i] as const));
  const space = await loadThoughtSpace(dirSource(join(ROOT, 'models/pulse-movielens')));
  const backbone = await loadTextBackboneFromDir(join(ROOT, 'models/use-lite'));
  try {
    // Toy Story, Aladdin, The Lion King, Finding Nemo, Shrek: all loved.
    const history: PulseEvent[] = ['1', '588', '364', '6377', '4306'].map((itemId, i) => ({ type: 'rating', itemId, value: 5, ts: 1000 + i }));
    const fitting = composePreference(history, { catalog, indexOf });
    const scorer = createThoughtSpaceScorer(backbone, space);
    const [own, other, empty] = await scorer.score(history, [
      fitting,
      'Leans towards Horror, Thriller and Crime, mostly from the 1970s. Favourites include “Halloween” (5★) and “The Exorcist” (5★). Tends to avoid Children and Animation.',
      '',
    ]);
    assert.ok(own! > other!, `own ${own} vs contradicting ${other} (${fitting})`);
    assert.ok(Number.isFinite(empty!));
    assert.deepEqual(await scorer.score(history, []), []);
  } finally {
    space.dispose();
    backbone.dispose();
  }
});
