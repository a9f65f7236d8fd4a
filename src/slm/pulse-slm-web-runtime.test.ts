import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';

/**
 * The browser runs the shipped model on onnxruntime-web, not onnxruntime-node: both files
 * must load in the web build's wasm backend (every operator and the opset supported there)
 * and compute the same logits as the native runtime, cache outputs included.
 */

const onnxDir = fileURLToPath(new URL('../../models/pulse-slm/onnx/', import.meta.url));
const configUrl = new URL('../../models/pulse-slm/config.json', import.meta.url);

function feeds<T extends { new (type: 'int64' | 'float32', data: BigInt64Array | Float32Array, dims: number[]): unknown }>(Tensor: T, layers: number, heads: number, headDim: number) {
  const ids = [1n, 40n, 300n, 7n, 2n];
  const out: Record<string, InstanceType<T>> = {
    input_ids: new Tensor('int64', BigInt64Array.from(ids), [1, ids.length]) as InstanceType<T>,
    attention_mask: new Tensor('int64', BigInt64Array.from(ids, () => 1n), [1, ids.length]) as InstanceType<T>,
    position_ids: new Tensor('int64', BigInt64Array.from(ids, (_, i) => BigInt(i)), [1, ids.length]) as InstanceType<T>,
  };
  for (let i = 0; i < layers; i++) {
    for (const kv of ['key', 'value']) out[`past_key_values.${i}.${kv}`] = new Tensor('float32', new Float32Array(0), [1, heads, 0, headDim]) as InstanceType<T>;
  }
  return out;
}

test('onnxruntime-web (wasm) runs fp32 and q8 like onnxruntime-node', async () => {
  ortWeb.env.wasm.numThreads = 1;
  const config = JSON.parse(await readFile(configUrl, 'utf8'));
  for (const file of ['model.onnx', 'model_quantized.onnx']) {
    const bytes = await readFile(`${onnxDir}${file}`);
    const web = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const native = await ortNode.InferenceSession.create(bytes);
    const a = await web.run(feeds(ortWeb.Tensor, config.n_layer, config.n_head, config.head_dim) as never);
    const b = await native.run(feeds(ortNode.Tensor, config.n_layer, config.n_head, config.head_dim) as never);
    assert.deepEqual(a.logits!.dims, [1, 5, config.vocab_size]);
    assert.deepEqual(a[`present.${config.n_layer - 1}.value`]!.dims, [1, config.n_head, 5, config.head_dim]);
    const x = a.logits!.data as Float32Array;
    const y = b.logits!.data as Float32Array;
    let diff = 0;
    let range = 0;
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
      range = Math.max(range, Math.abs(y[i]!));
    }
    // fp32: the same arithmetic up to summation order. q8: onnxruntime-node fuses
    // DequantizeLinear→MatMul into an integer MatMul with dynamically quantised activations,
    // the web build keeps the float MatMul, so a small quantisation-sized gap is expected.
    const tolerance = file === 'model.onnx' ? 1e-3 : 0.02 * range;
    assert.ok(diff < tolerance, `${file}: web vs native max |Δlogit| ${diff} (|logit| up to ${range})`);
    await web.release();
    await native.release();
  }
});
