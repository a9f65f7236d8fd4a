/**
 * Says plainly when a Content-Security-Policy rules WebAssembly out: tfjs only reports that
 * its wasm backend failed to initialise. Compiling the smallest valid module fails for one
 * reason only: the policy lacks 'wasm-unsafe-eval' (or 'unsafe-eval') in script-src.
 */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export function assertWasmAllowed(): void {
  if (typeof WebAssembly === 'undefined') throw new Error('this browser has no WebAssembly');
  try {
    new WebAssembly.Module(EMPTY_MODULE);
  } catch (error) {
    throw new Error(
      `WebAssembly is blocked, most likely by the page's Content-Security-Policy: add 'wasm-unsafe-eval' to script-src ` +
        `(${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
