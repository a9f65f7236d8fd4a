import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GenerationControl } from './generation-control.ts';

test('the first stop reason sticks and listeners hear it once, even late subscribers', () => {
  const control = new GenerationControl();
  const heard: string[] = [];
  control.onStop(() => heard.push('early'));
  control.stop('cancelled');
  control.stop('timeout');
  control.onStop(() => heard.push('late'));
  assert.equal(control.reason, 'cancelled');
  assert.deepEqual(heard, ['early', 'late']);
});

test('the deadline is checked per token without waiting for a timer', () => {
  const control = new GenerationControl();
  assert.equal(control.checkDeadline(1e12), false, 'no clock, no timeout');
  control.startClock(50, 1000);
  assert.equal(control.checkDeadline(1040), false);
  assert.equal(control.checkDeadline(1051), true);
  assert.equal(control.reason, 'timeout');
  control.dispose();
});

test('the timer stops a generation that never reaches a token', async () => {
  const control = new GenerationControl();
  control.startClock(5);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(control.reason, 'timeout');
});
