/**
 * Why the SLM could not load, in words a site owner can act on. ONNX Runtime wraps the
 * real cause in "no available backend found. ERR: [wasm] RuntimeError: Aborted(…)", and the
 * causes a shop can fix itself (its Content-Security-Policy, its server's MIME types) read
 * like internal errors there. The raw text is kept after the explanation: nothing is lost.
 * Platform-free, so the wording is unit-tested against messages measured in Chromium.
 */

/** Chromium: "Compiling or instantiating WebAssembly module violates … Content Security policy". */
const WASM_BLOCKED = /WebAssembly[^]*?(content security policy|content-security-policy)|wasm-eval/i;
/** A string compiled as code (`new Function`, `eval`) refused by the policy. */
const EVAL_BLOCKED = /EvalError|Refused to evaluate a string as JavaScript|'unsafe-eval' is not an allowed source of script/i;
/** A module script served with a non-JavaScript MIME type (or missing) cannot be imported. */
const IMPORT_FAILED = /Failed to fetch dynamically imported module:? (\S+\.mjs)/;

export const CSP_WASM_HINT =
  "the language model is blocked by this page's Content-Security-Policy: add 'wasm-unsafe-eval' to script-src " +
  '(on the worker script\'s response too); ONNX Runtime compiles WebAssembly on every device, WebGPU included';
export const CSP_EVAL_HINT =
  "the language model is blocked by this page's Content-Security-Policy: ONNX Runtime compiled a string as code; " +
  "add 'unsafe-eval' to script-src, or turn the SLM off (slm.enabled = false)";

export function describeLoadFailure(raw: string): string {
  let hint: string | null = null;
  if (WASM_BLOCKED.test(raw)) hint = CSP_WASM_HINT;
  else if (EVAL_BLOCKED.test(raw)) hint = CSP_EVAL_HINT;
  else {
    const url = IMPORT_FAILED.exec(raw)?.[1];
    if (url) hint = `ONNX Runtime's loader ${url} could not be imported: serve .mjs files as text/javascript (and check the file is deployed)`;
  }
  return hint ? `${hint}. Details: ${raw}` : raw;
}
