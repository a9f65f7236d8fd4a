import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InteractionsError, readInteractions } from './interactions.ts';

test('MovieLens ratings.csv loads through the aliases: rating events, seconds → milliseconds', () => {
  const csv = 'userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n';
  const { interactions, skipped, columns } = readInteractions(csv);
  assert.deepEqual(interactions, [
    { user: '1', itemId: '31', type: 'rating', ts: 1260759144000, value: 2.5 },
    { user: '1', itemId: '1029', type: 'rating', ts: 1260759179000, value: 3 },
  ]);
  assert.deepEqual(skipped, []);
  assert.equal(columns.user, 'userId');
});

test('rows for items outside the catalog are skipped, counted and located — never dropped silently', () => {
  const csv = 'user,item,timestamp\nu,a,100\nu,x,101\nv,x,102\nv,b,103\n';
  const { interactions, skipped } = readInteractions(csv, { knownItems: new Set(['a', 'b']) });
  assert.deepEqual(interactions.map((e) => e.itemId), ['a', 'b']);
  assert.deepEqual(skipped, [{ reason: 'item not in the catalog', count: 2, lines: [3, 4] }]);
});

test('without rating or type a row is a purchase (or the given default); a type column is honoured', () => {
  const plain = readInteractions('user,item,timestamp\nu,a,100\n');
  assert.equal(plain.interactions[0]!.type, 'purchase');
  assert.equal(readInteractions('user,item,timestamp\nu,a,100\n', { defaultType: 'view' }).interactions[0]!.type, 'view');
  const typed = readInteractions('user,item,timestamp,rating,type\nu,a,100,,cart\nu,b,101,4,\nu,c,102,,\n');
  assert.deepEqual(typed.interactions.map((e) => [e.type, e.value]), [['cart', undefined], ['rating', 4], ['purchase', undefined]]);
  // A shop's Like and Dislike buttons, logged as what they are: neither is a rating.
  const buttons = readInteractions('user,item,timestamp,type\nu,a,100,like\nu,b,101,dislike\n');
  assert.deepEqual(buttons.interactions.map((e) => [e.type, e.value]), [['like', undefined], ['dislike', undefined]]);
  assert.throws(() => readInteractions('user,item,timestamp,rating,type\nu,a,100,1,dislike\n'), /line 2: a dislike event cannot carry a rating/);
});

test('timestamps: ISO dates, and milliseconds when told', () => {
  const iso = readInteractions('user,item,timestamp\nu,a,2016-10-16T12:00:00Z\n');
  assert.equal(iso.interactions[0]!.ts, Date.UTC(2016, 9, 16, 12));
  const ms = readInteractions('user,item,timestamp\nu,a,1260759144000\n', { timeUnit: 'ms' });
  assert.equal(ms.interactions[0]!.ts, 1260759144000);
});

test('malformed rows are errors that name the line', () => {
  const cases: [string, RegExp][] = [
    ['user,item,timestamp\nu,a,100\nu,b,yesterday\n', /line 3: timestamp "yesterday"/],
    ['user,item,timestamp\nu,a,1260759144000\n', /line 2: .*wrong --time-unit/],
    ['user,item,timestamp,rating\nu,a,100,7\n', /line 2: rating "7"/],
    ['user,item,timestamp,type\nu,a,100,wishlist\n', /line 2: type "wishlist" is not one of/],
    ['user,item,timestamp,type\nu,a,100,rating\n', /line 2: a rating event needs/],
    ['user,item,timestamp,rating,type\nu,a,100,4,view\n', /line 2: a view event cannot carry a rating/],
    ['user,item,timestamp\nu,a\n', /line 2: 2 fields, the header has 3/],
    ['user,item,timestamp\n,a,100\n', /line 2: empty user/],
    ['user,product,timestamp\nu,a,100\n', /lacks column\(s\): item/],
    ['', /empty/],
    ['user,item,timestamp\nu,"a,100\n', /unterminated/],
  ];
  for (const [csv, message] of cases) assert.throws(() => readInteractions(csv), (e: unknown) => e instanceof InteractionsError && message.test(e.message), csv);
});
