import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSP_EVAL_HINT, CSP_WASM_HINT, describeLoadFailure } from './load-failure.ts';

// Messages as Chromium 156 and onnxruntime-web 1.31 produced them in the worker (e2e/embed-csp.test.ts).
const WASM_BLOCKED =
  'wasm: SLM "pulse-slm" (onnx/model_quantized.onnx, q8 on wasm): could not load the model — no available backend found. ERR: [wasm] RuntimeError: Aborted(CompileError: WebAssembly.instantiate(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because \'unsafe-eval\' is not an allowed source of script in the following Content Security Policy directive: "script-src \'self\'".). Build with -sASSERTIONS for more info.';
const MIME =
  'wasm: SLM "pulse-slm" (onnx/model_quantized.onnx, q8 on wasm): could not load the model — no available backend found. ERR: [wasm] TypeError: Failed to fetch dynamically imported module: http://127.0.0.1:44913/vendor/pulse/pulse/assets/ort-wasm-simd-threaded.asyncify-DXIbolS2.mjs';

test('WebAssembly refused by the policy: wasm-unsafe-eval, not unsafe-eval, although the message names the latter', () => {
  const reason = describeLoadFailure(WASM_BLOCKED);
  assert.ok(reason.startsWith(`${CSP_WASM_HINT}. Details: `));
  assert.ok(reason.endsWith(WASM_BLOCKED), 'the raw error is kept');
});

test('a string compiled as code and refused: unsafe-eval', () => {
  const raw = "webgpu: could not load the model — EvalError: Refused to evaluate a string as JavaScript because 'unsafe-eval' is not an allowed source of script";
  assert.equal(describeLoadFailure(raw), `${CSP_EVAL_HINT}. Details: ${raw}`);
});

test('an ORT loader the server sends with the wrong MIME type', () => {
  assert.match(describeLoadFailure(MIME), /^ONNX Runtime's loader http:\/\/127\.0\.0\.1:44913\/\S+\.mjs could not be imported: serve \.mjs files as text\/javascript/);
});

test('anything else passes through unchanged', () => {
  assert.equal(describeLoadFailure('could not read /models/slm.json: HTTP 500'), 'could not read /models/slm.json: HTTP 500');
});
