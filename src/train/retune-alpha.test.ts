import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectAlpha } from '../model/alpha-selection.ts';
import { updateModelCard, type AlphaReport } from './model-card.ts';
import { recordedDataArgs } from './retune-alpha.ts';

test('the recorded train command gives back the data and split options', () => {
  const command =
    'PULSE_MODEL_OVERRIDES=\'{"patience":2}\' npm run train -- --interactions ../shared/data/ml/ratings.csv --catalog public/catalog/movielens.json --out models/x --split loo --seed 1 --time-budget-min 14';
  assert.deepEqual(recordedDataArgs(command), {
    interactions: '../shared/data/ml/ratings.csv',
    catalog: 'public/catalog/movielens.json',
    split: 'loo',
    valCut: '0.8',
    testCut: '0.9',
  });
  assert.throws(() => recordedDataArgs('npm run train'), /cannot read/);
});

test('the model card gets the new α line and one sweep section, also when rewritten twice', () => {
  const card = [
    '# m',
    '- **Query**: behaviour vector + α × (rationale vector), α = 0 (tuned on validation).',
    '',
    '## Data and split',
    '- seed 1',
    '',
    '## Sizes',
    '- `thought-space.json`: 5.0 KiB',
    '',
  ].join('\n');
  const report: AlphaReport = { ...selectAlpha([0, 0.2], [[1, 0, 1, 0], [0, 1, 1, 0]]), previous: 0, test: { ndcg10: [0.1, 0.2], previous: 0.1, chosen: 0.2, se: 0.05, cases: 4 } };
  const once = updateModelCard(card, report, 5200);
  assert.match(once, /α = 0\.2 \(tuned on validation, one-standard-error rule; see "Steering"\)\./);
  assert.match(once, /## Steering \(α\)\n[\s\S]*\| \*\*0\.2\*\* \| 0\.5000 \|[\s\S]*## Data and split/);
  assert.match(once, /`thought-space\.json`: 5\.1 KiB/);
  const twice = updateModelCard(once, report, 5200);
  assert.equal(twice, once);
});
