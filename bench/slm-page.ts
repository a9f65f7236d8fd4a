/**
 * The SLM bench page: one fresh module worker per case (ORT keeps one wasm instance per
 * worker, and a case must not inherit another's warm caches), exposed as `window.slmBench`.
 */
import type { SlmBenchApi, SlmCaseResult, SlmCaseSpec } from './slm-protocol.ts';

const api: SlmBenchApi = {
  run(spec: SlmCaseSpec) {
    const worker = new Worker(new URL('./slm-worker.ts', import.meta.url), { type: 'module' });
    return new Promise<SlmCaseResult>((resolve, reject) => {
      worker.addEventListener('message', (event: MessageEvent<{ ok: true; result: SlmCaseResult } | { ok: false; error: string }>) => {
        worker.terminate();
        if (event.data.ok) resolve(event.data.result);
        else reject(new Error(event.data.error));
      });
      worker.addEventListener('error', (event) => {
        worker.terminate();
        reject(new Error(`bench worker failed: ${event.message || 'script load or crash'}`));
      });
      worker.postMessage(spec);
    });
  },
};
window.slmBench = api;
document.body.dataset.benchState = 'ready';
