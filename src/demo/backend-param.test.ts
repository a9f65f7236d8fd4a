import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendFromQuery } from './backend-param.ts';

test('reads ?backend=, ignoring anything that is not a backend', () => {
  assert.deepEqual(backendFromQuery(''), { backend: undefined, ignored: null });
  assert.deepEqual(backendFromQuery('?backend=wasm'), { backend: 'wasm', ignored: null });
  assert.deepEqual(backendFromQuery('?x=1&backend=WebGPU'), { backend: 'webgpu', ignored: null });
  assert.deepEqual(backendFromQuery('?backend=gpu'), { backend: undefined, ignored: 'gpu' });
});
