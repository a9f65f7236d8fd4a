import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../core/random.ts';
import type { Interaction } from '../core/types.ts';
import type { EvalCase } from './recommender.ts';
import { cutTime, leaveOneOutSplit, parseCut, sampleUsers, temporalSplit, type Split } from './split.ts';

const ev = (user: string, itemId: string, ts: number): Interaction => ({ user, itemId, type: 'purchase', ts });

/** A random log with many same-time ties and repeat items, like real logs. */
function randomLog(seed: number, users = 40, perUser = 25, items = 60): Interaction[] {
  const random = seededRandom(seed);
  const log: Interaction[] = [];
  for (let u = 0; u < users; u++) {
    for (let e = 0; e < perUser; e++) log.push(ev(`u${u}`, `i${Math.floor(random() * items)}`, 1000 * Math.floor(random() * 50)));
  }
  return log;
}

const key = (e: Interaction) => `${e.user}|${e.itemId}|${e.ts}`;

/** No target information in train: the target event is absent, its item is new to the user, and train ends no later. */
function assertNoLeakage(split: Split): void {
  for (const cases of [split.validation, split.test]) {
    for (const c of cases) {
      const train = split.train.get(c.user) ?? [];
      assert.ok(!train.some((e) => e.itemId === c.target.itemId), `user ${c.user}: target item ${c.target.itemId} is in train`);
      assert.ok(!c.history.some((e) => e.itemId === c.target.itemId), `user ${c.user}: target item is in its own history`);
      assert.ok(train.every((e) => e.ts <= c.target.ts), `user ${c.user}: train has events after the target`);
      assert.ok(c.history.every((e) => e.ts <= c.target.ts), 'history runs past the target');
    }
  }
}

test('leave-one-out: last new item → test, the one before → validation, the rest → train', () => {
  const log = [ev('a', 'x', 1), ev('a', 'y', 2), ev('a', 'z', 3), ev('a', 'w', 4), ev('b', 'x', 1), ev('b', 'y', 2)];
  const split = leaveOneOutSplit(log, 1);
  assert.deepEqual(split.train.get('a')!.map((e) => e.itemId), ['x', 'y']);
  assert.deepEqual(split.validation.map((c) => [c.user, c.target.itemId, c.history.map((e) => e.itemId)]), [['a', 'z', ['x', 'y']]]);
  assert.deepEqual(split.test.map((c) => [c.user, c.target.itemId, c.history.map((e) => e.itemId)]), [['a', 'w', ['x', 'y', 'z']]]);
  // b has only two items: kept for training, not evaluated.
  assert.deepEqual(split.train.get('b')!.map((e) => e.itemId), ['x', 'y']);
});

test('leave-one-out targets are new items; a repeat after them is not a target and not in train', () => {
  const log = [ev('a', 'x', 1), ev('a', 'y', 2), ev('a', 'z', 3), ev('a', 'x', 4), ev('a', 'w', 5), ev('a', 'y', 6)];
  const split = leaveOneOutSplit(log, 1);
  assert.equal(split.test[0]!.target.itemId, 'w');
  assert.equal(split.validation[0]!.target.itemId, 'z');
  assert.deepEqual(split.test[0]!.history.map((e) => e.itemId), ['x', 'y', 'z', 'x']);
  assert.deepEqual(split.train.get('a')!.map((e) => e.itemId), ['x', 'y']);
  assertNoLeakage(split);
});

test('leave-one-out never leaks on a random log with ties and repeats, and every event is placed once', () => {
  for (const seed of [1, 2, 3]) {
    const log = randomLog(seed);
    const split = leaveOneOutSplit(log, seed);
    assertNoLeakage(split);
    const trainKeys = [...split.train.values()].flat().map(key);
    const targetKeys = [...split.validation, ...split.test].map((c) => key(c.target));
    assert.equal(new Set(targetKeys.filter((k) => trainKeys.includes(k))).size, 0, 'a target event is also a training event');
    // The validation target is the last event of the test history (nothing of the future in it).
    for (const t of split.test) {
      const v = split.validation.find((c) => c.user === t.user)!;
      assert.ok(t.history.includes(v.target));
    }
  }
});

test('tie order is seeded: same seed, same split; other seeds may pick another same-time target', () => {
  const log = [ev('a', 'x', 1), ev('a', 'y', 2), ev('a', 'p', 3), ev('a', 'q', 3), ev('a', 'r', 3)];
  const targetOf = (seed: number) => leaveOneOutSplit(log, seed).test[0]!.target.itemId;
  assert.equal(targetOf(5), targetOf(5));
  const seen = new Set(Array.from({ length: 30 }, (_, s) => targetOf(s)));
  assert.ok(seen.size > 1, 'ties always resolve the same way: not seeded');
  assert.ok([...seen].every((t) => ['p', 'q', 'r'].includes(t)));
});

test('temporal: nothing in train at or after the validation cut; targets are each user\'s first new items after each cut', () => {
  const log = randomLog(9);
  const vCut = cutTime({ quantile: 0.7 }, log);
  const tCut = cutTime({ quantile: 0.85 }, log);
  for (const perUser of [1, 3]) {
    const split = temporalSplit(log, 9, vCut, tCut, perUser);
    assert.ok(split.test.length > 10 && split.validation.length > 10);
    for (const events of split.train.values()) assert.ok(events.every((e) => e.ts < vCut));
    for (const c of split.validation) assert.ok(c.target.ts >= vCut && c.target.ts < tCut);
    const perUserCount = new Map<string, number>();
    for (const c of split.test) {
      assert.ok(c.target.ts >= tCut);
      assert.ok(c.history.length > 0);
      perUserCount.set(c.user, (perUserCount.get(c.user) ?? 0) + 1);
      // Before this target, at most perUser − 1 other new items since the cut: they are the earlier targets.
      const before = new Set(c.history.filter((e) => e.ts < tCut).map((e) => e.itemId));
      const newSinceCut = new Set(c.history.filter((e) => e.ts >= tCut && !before.has(e.itemId)).map((e) => e.itemId));
      assert.ok(newSinceCut.size <= perUser - 1);
    }
    assert.ok([...perUserCount.values()].every((n) => n <= perUser));
    assertNoLeakage(split);
  }
  assert.throws(() => temporalSplit(log, 9, tCut, vCut), /must come before/);
});

test('temporal by hand: a user new after the cut counts from their second item; history spans the cuts', () => {
  const log = [ev('a', 'x', 1), ev('a', 'y', 5), ev('a', 'x', 8), ev('a', 'z', 9), ev('a', 'w', 10), ev('b', 'p', 9), ev('b', 'q', 10)];
  const split = temporalSplit(log, 1, 5, 8, 10);
  assert.deepEqual([...split.train.keys()], ['a']);
  assert.deepEqual(split.train.get('a')!.map((e) => e.itemId), ['x']);
  assert.deepEqual(split.validation.map((c) => [c.user, c.target.itemId]), [['a', 'y']]);
  assert.deepEqual(split.test.map((c) => [c.user, c.target.itemId, c.history.length]), [['a', 'z', 3], ['a', 'w', 4], ['b', 'q', 1]]);
  assert.deepEqual(temporalSplit(log, 1, 5, 8, 1).test.map((c) => c.target.itemId), ['z', 'q']);
});

test('cuts: a quantile or a date; anything else is an error', () => {
  assert.deepEqual(parseCut('0.9'), { quantile: 0.9 });
  assert.deepEqual(parseCut('2015-01-01'), { at: Date.UTC(2015, 0, 1) });
  assert.throws(() => parseCut('90%'), RangeError);
  assert.throws(() => parseCut('1.5'), RangeError);
  const log = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((t) => ev('a', `i${t}`, t));
  assert.equal(cutTime({ quantile: 0.9 }, log), 10);
  assert.equal(cutTime({ quantile: 0.5 }, log), 6);
});

test('user subsampling is seeded, keeps every case of a chosen user, and caps the users', () => {
  const cases = Array.from({ length: 40 }, (_, i): EvalCase => ({ user: `u${i % 20}`, history: [], target: ev(`u${i % 20}`, 'x', i) }));
  const a = sampleUsers(cases, 5, 3);
  assert.equal(new Set(a.map((c) => c.user)).size, 5);
  assert.equal(a.length, 10);
  assert.deepEqual(a, sampleUsers(cases, 5, 3));
  assert.deepEqual(a.map((c) => c.target.ts), [...a.map((c) => c.target.ts)].sort((x, y) => x - y));
  assert.equal(sampleUsers(cases, 50, 3).length, 40);
});
