/**
 * Times the product's SLM path in a module worker, as src/worker/slm-host.ts runs it:
 * configureRuntime (local files, self-hosted ORT) → SlmModel.load → greedy generate.
 */
/// <reference lib="webworker" />
import { configureRuntime, probeGpu } from '../src/slm/slm-runtime.ts';
import { SlmModel } from '../src/slm/slm-model.ts';
import type { SlmCaseResult, SlmCaseSpec } from './slm-protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

self.addEventListener('message', async (event: MessageEvent<SlmCaseSpec>) => {
  const { messages, ...spec } = event.data;
  try {
    configureRuntime({ modelsUrl: new URL('/models', self.location.href).href, webgpu: spec.device === 'webgpu' });
    const gpu = spec.device === 'webgpu' ? await probeGpu() : null;
    let adapter: SlmCaseResult['adapter'] = null;
    if (gpu?.available) {
      const info = (await navigator.gpu.requestAdapter())!.info;
      adapter = { vendor: info.vendor, architecture: info.architecture, isFallbackAdapter: gpu.isFallbackAdapter, shaderF16: gpu.shaderF16 };
    }
    const model = await SlmModel.load({ model: spec.model, device: spec.device, dtype: spec.dtype, remote: false });
    const options = { maxNewTokens: spec.maxNewTokens, sampling: { do_sample: false } };
    const warm = await model.generate(messages, options);
    const result: SlmCaseResult = {
      spec,
      adapter,
      load: { ...model.report },
      promptTokens: warm.promptTokens,
      firstTokenMs: [],
      newTokens: [],
      totalMs: [],
      text: warm.text,
    };
    for (let run = 0; run < spec.runs; run++) {
      const report = await model.generate(messages, options);
      result.firstTokenMs.push(report.firstTokenMs);
      result.newTokens.push(report.newTokens);
      result.totalMs.push(report.totalMs);
    }
    await model.dispose();
    self.postMessage({ ok: true, result });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
