import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseDevices, chooseDtype, dtypeCandidates } from './dtype-choice.ts';

const SWIFTSHADER = { available: true, shaderF16: false, isFallbackAdapter: true };
const REAL_GPU = { available: true, shaderF16: true, isFallbackAdapter: false };

test('no shader-f16: fp16 and q4f16 are never candidates on webgpu', () => {
  const candidates = dtypeCandidates('webgpu', false);
  assert.ok(!candidates.includes('fp16'));
  assert.ok(!candidates.includes('q4f16'));
  assert.deepEqual(dtypeCandidates('webgpu', true).slice(0, 2), ['q4f16', 'fp16']);
});

test('a model with fp16 and fp32 files runs fp32 on an adapter without shader-f16, and says why', () => {
  const choice = chooseDtype('webgpu', false, ['fp16', 'fp32', 'q8'], undefined);
  assert.equal(choice.dtype, 'fp32');
  assert.match(choice.notes.join(), /fp16 skipped: the adapter has no shader-f16/);
  assert.equal(chooseDtype('webgpu', true, ['fp16', 'fp32', 'q8']).dtype, 'fp16');
});

test('wasm prefers q8, then fp32 when only fp32 exists', () => {
  assert.equal(chooseDtype('wasm', false, ['fp32', 'q8']).dtype, 'q8');
  assert.equal(chooseDtype('wasm', false, ['fp32']).dtype, 'fp32');
});

test('a requested dtype that cannot run, or whose file is missing, is a clear error', () => {
  assert.throws(() => chooseDtype('webgpu', false, ['fp16'], 'fp16'), /without the shader-f16/);
  assert.throws(() => chooseDtype('wasm', false, ['fp32'], 'q8'), /onnx\/model_quantized\.onnx/);
  assert.throws(() => chooseDtype('wasm', false, ['fp16']), /no weight variant/);
  assert.equal(chooseDtype('wasm', false, ['fp32', 'q8'], 'fp32').dtype, 'fp32');
});

test('auto runs on wasm with a software adapter, webgpu first on a real GPU, wasm when there is no adapter', () => {
  assert.deepEqual(chooseDevices('auto', SWIFTSHADER).devices, ['wasm']);
  assert.match(chooseDevices('auto', SWIFTSHADER).notes[0]!, /software fallback/);
  assert.deepEqual(chooseDevices('auto', REAL_GPU).devices, ['webgpu', 'wasm']);
  assert.deepEqual(chooseDevices('webgpu', SWIFTSHADER).devices, ['webgpu', 'wasm']);
  const none = chooseDevices('webgpu', { available: false, shaderF16: false, isFallbackAdapter: false, unavailableReason: 'navigator.gpu is undefined' });
  assert.deepEqual(none.devices, ['wasm']);
  assert.match(none.notes[0]!, /navigator\.gpu is undefined/);
  assert.deepEqual(chooseDevices('wasm', REAL_GPU).devices, ['wasm']);
});
