import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slmFromQuery } from './slm-param.ts';

test('model, device, dtype and timeout come from the URL; junk is reported, not used', () => {
  assert.deepEqual(slmFromQuery(''), { options: {}, ignored: [] });
  assert.deepEqual(slmFromQuery('?slm=SmolLM2-135M-Instruct&slmDevice=WebGPU&slmDtype=fp32&slmTimeoutMs=500'), {
    options: { model: 'SmolLM2-135M-Instruct', device: 'webgpu', dtype: 'fp32', timeoutMs: 500 },
    ignored: [],
  });
  assert.deepEqual(slmFromQuery('?slm=off').options, { enabled: false });
  assert.deepEqual(slmFromQuery('?slmMaxNewTokens=12&slmCandidates=1').options, { maxNewTokens: 12, candidates: 1 });
  assert.deepEqual(slmFromQuery('?slmMethod=ToT').options, { method: 'tot' });
  assert.deepEqual(slmFromQuery('?slmMethod=beam').ignored, ['slmMethod=beam']);
  assert.deepEqual(slmFromQuery('?slmMaxNewTokens=1.5').ignored, ['slmMaxNewTokens=1.5']);
  assert.deepEqual(slmFromQuery('?slm=../x&slmDevice=tpu&slmDtype=fp64&slmTimeoutMs=-1'), {
    options: {},
    ignored: ['slm=../x', 'slmDevice=tpu', 'slmDtype=fp64', 'slmTimeoutMs=-1'],
  });
});
