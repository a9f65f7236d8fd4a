import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMovieLensCatalog, displayTitle } from './movielens.ts';
import { parseCsv, CsvError } from './csv.ts';

test('moves trailing articles to the front', () => {
  assert.equal(displayTitle('American President, The'), 'The American President');
  assert.equal(displayTitle('City of Lost Children, The (Cité des enfants perdus, La)'), 'The City of Lost Children (Cité des enfants perdus, La)');
  assert.equal(displayTitle("Homme, L'"), "L'Homme");
  assert.equal(displayTitle('Heat'), 'Heat');
});

test('parses quoted CSV fields and reports malformed quotes with the line', () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, ""y""",2\n'), [['a', 'b'], ['x, "y"', '2']]);
  assert.throws(() => parseCsv('a\n"open'), (e: unknown) => e instanceof CsvError && /unterminated/.test(e.message));
});

test('skips untitled rows with a reason, counts popularity, handles no genres', () => {
  const movies = 'movieId,title,year,genres\n1,Toy Story,1995,Animation|Children\n2,,,Comedy\n3,"Heat, The",,(no genres listed)\n';
  const ratings = 'userId,movieId,rating,timestamp\n1,1,5,1\n2,1,4,2\n2,3,3,3\n';
  const { items, skipped } = buildMovieLensCatalog(movies, ratings);
  assert.deepEqual(skipped, [{ movieId: '2', reason: 'empty title' }]);
  assert.deepEqual(items, [
    { id: '1', title: 'Toy Story', text: 'Toy Story (1995). Genres: Animation, Children.', categories: ['Animation', 'Children'], year: 1995, popularity: 2 },
    { id: '3', title: 'The Heat', text: 'The Heat.', categories: [], year: null, popularity: 1 },
  ]);
});
