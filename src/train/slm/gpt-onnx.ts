import { gptParameterShapes, headDim, type GptConfig, type GptWeights } from './gpt-config.ts';
import { quantizeInt8 } from './int8-quantize.ts';
import { encodeOnnxModel, type OnnxValueInfo } from './onnx-model.ts';
import { OnnxGraphBuilder } from './onnx-graph-builder.ts';

/**
 * The decoder as an ONNX graph with a KV cache, in the signature transformers.js drives for
 * decoder-only models (models/modeling_utils.js `decoder_forward`):
 *   inputs  input_ids, attention_mask, position_ids [batch, seq] int64,
 *           past_key_values.{i}.key/value [batch, heads, past, headDim] float32;
 *   outputs logits [batch, seq, vocab], present.{i}.key/value [batch, heads, past+seq, headDim].
 * transformers.js builds the first (empty) cache from these input shapes: `batch_size` becomes
 * the batch, every other symbolic dimension 0 (`resolveCacheShape`), so those names matter.
 * Every operation mirrors gpt-tfjs.ts.
 */

export const ONNX_OPSET = 17; // LayerNormalization
const IR_VERSION = 8;
const MASKED_SCORE = -1e9;
const GELU_C = Math.sqrt(2 / Math.PI);

export interface GptOnnxOptions {
  /** int8 weight matrices + DequantizeLinear (what transformers.js loads as dtype 'q8'). */
  quantized: boolean;
  producerVersion?: string;
}

export function encodeGptOnnx(config: GptConfig, weights: GptWeights, options: GptOnnxOptions): Uint8Array {
  const { nLayers, nHeads: h, dModel: d, vocabSize } = config;
  const hd = headDim(config);
  const g = new OnnxGraphBuilder();

  // Weights: floats, or int8 + per-channel scales dequantised in the graph. Matrices are
  // quantised per output column; the embedding tables per row (one token / position each).
  const weight = (name: string): string => {
    const w = weights.get(name);
    if (!w) throw new Error(`ONNX export: missing weight ${name}`);
    if (!options.quantized || w.shape.length !== 2) return g.float32(name, w.values, w.shape);
    const axis = name === 'wte' || name === 'wpe' ? 0 : 1;
    const q = quantizeInt8(w.values, w.shape, axis);
    const values = g.initializer({ name: `${name}_quantized`, dataType: 'int8', dims: w.shape, data: q.values });
    const scales = g.float32(`${name}_scale`, q.scales, [q.scales.length]);
    const zero = g.initializer({ name: `${name}_zero_point`, dataType: 'int8', dims: [q.scales.length], data: new Int8Array(q.scales.length) });
    return g.op('DequantizeLinear', [values, scales, zero], { axis: { kind: 'int', value: axis } });
  };
  for (const [name] of gptParameterShapes(config)) if (!weights.has(name)) throw new Error(`ONNX export: missing weight ${name}`);

  const int64Scalar = (name: string, value: number): string => g.int64(name, [value], []);
  const one = int64Scalar('const_one', 1);
  const zero = int64Scalar('const_zero', 0);
  const half = g.float32('const_half', [0.5], []);
  const unit = g.float32('const_unit', [1], []);
  const geluCubic = g.float32('const_gelu_cubic', [0.044715], []);
  const geluScale = g.float32('const_gelu_scale', [GELU_C], []);
  const attnScale = g.float32('const_attn_scale', [1 / Math.sqrt(hd)], []);
  const maskedScore = g.float32('const_masked_score', [MASKED_SCORE], []);
  const headsShape = g.int64('shape_heads', [0, 0, h, hd]);
  const modelShape = g.int64('shape_model', [0, 0, d]);
  const qkvSplit = g.int64('split_qkv', [d, d, d]);
  const axes1 = g.int64('axes_1', [1]);
  const axes12 = g.int64('axes_1_2', [1, 2]);

  // Embeddings.
  const wte = weight('wte');
  const x0 = g.op('Add', [g.op('Gather', [wte, 'input_ids'], { axis: { kind: 'int', value: 0 } }), g.op('Gather', [weight('wpe'), 'position_ids'], { axis: { kind: 'int', value: 0 } })]);

  // Mask [batch, 1, seq, total]: query i (absolute position past+i) sees key j ≤ past+i, and
  // only keys the attention_mask keeps (left padding in batched generation).
  const seqLen = g.op('Gather', [g.op('Shape', ['input_ids']), one], { axis: { kind: 'int', value: 0 } });
  const totalLen = g.op('Gather', [g.op('Shape', ['attention_mask']), one], { axis: { kind: 'int', value: 0 } });
  const pastLen = g.op('Sub', [totalLen, seqLen]);
  const queryPos = g.op('Unsqueeze', [g.op('Range', [pastLen, totalLen, one]), axes1]);
  const keyPos = g.op('Range', [zero, totalLen, one]);
  const causal = g.op('LessOrEqual', [keyPos, queryPos]);
  const kept = g.op('Unsqueeze', [g.op('Cast', ['attention_mask'], { to: { kind: 'int', value: 9 } }), axes12]);
  const allowed = g.op('And', [causal, kept]);

  const layerNorm = (x: string, prefix: string): string =>
    g.op('LayerNormalization', [x, weight(`${prefix}.weight`), weight(`${prefix}.bias`)], {
      axis: { kind: 'int', value: -1 },
      epsilon: { kind: 'float', value: config.layerNormEpsilon },
    });
  const linear = (x: string, prefix: string): string => g.op('Add', [g.op('MatMul', [x, weight(`${prefix}.weight`)]), weight(`${prefix}.bias`)]);
  const toHeads = (x: string): string => g.op('Transpose', [g.op('Reshape', [x, headsShape])], { perm: { kind: 'ints', value: [0, 2, 1, 3] } });

  let x = x0;
  const cacheInputs: OnnxValueInfo[] = [];
  const cacheOutputs: OnnxValueInfo[] = [];
  for (let i = 0; i < nLayers; i++) {
    const p = `h.${i}`;
    const [q, k, v] = g.opMulti('Split', [linear(layerNorm(x, `${p}.ln_1`), `${p}.attn.qkv`), qkvSplit], 3, { axis: { kind: 'int', value: 2 } }) as [string, string, string];
    const pastKey = `past_key_values.${i}.key`;
    const pastValue = `past_key_values.${i}.value`;
    const presentKey = `present.${i}.key`;
    const presentValue = `present.${i}.value`;
    for (const name of [pastKey, pastValue]) cacheInputs.push({ name, dataType: 'float32', shape: ['batch_size', h, 'past_sequence_length', hd] });
    for (const name of [presentKey, presentValue]) cacheOutputs.push({ name, dataType: 'float32', shape: ['batch_size', h, 'total_sequence_length', hd] });
    const keys = g.op('Concat', [pastKey, toHeads(k)], { axis: { kind: 'int', value: 2 } }, [presentKey]);
    const values = g.op('Concat', [pastValue, toHeads(v)], { axis: { kind: 'int', value: 2 } }, [presentValue]);
    const scores = g.op('Mul', [g.op('MatMul', [toHeads(q), g.op('Transpose', [keys], { perm: { kind: 'ints', value: [0, 1, 3, 2] } })]), attnScale]);
    const probs = g.op('Softmax', [g.op('Where', [allowed, scores, maskedScore])], { axis: { kind: 'int', value: -1 } });
    const context = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, values])], { perm: { kind: 'ints', value: [0, 2, 1, 3] } }), modelShape]);
    x = g.op('Add', [x, linear(context, `${p}.attn.proj`)]);
    const fc = linear(layerNorm(x, `${p}.ln_2`), `${p}.mlp.fc`);
    const cube = g.op('Mul', [g.op('Mul', [fc, fc]), fc]);
    const inner = g.op('Mul', [g.op('Add', [fc, g.op('Mul', [cube, geluCubic])]), geluScale]);
    const gelu = g.op('Mul', [g.op('Mul', [fc, half]), g.op('Add', [g.op('Tanh', [inner]), unit])]);
    x = g.op('Add', [x, linear(gelu, `${p}.mlp.proj`)]);
  }
  const final = layerNorm(x, 'ln_f');
  // Tied output embedding: ORT folds the constant transpose once at session creation.
  g.op('MatMul', [final, g.op('Transpose', [wte], { perm: { kind: 'ints', value: [1, 0] } })], {}, ['logits']);

  const graph = g.build(
    'pulse_gpt',
    [
      { name: 'input_ids', dataType: 'int64', shape: ['batch_size', 'sequence_length'] },
      { name: 'attention_mask', dataType: 'int64', shape: ['batch_size', 'total_sequence_length'] },
      { name: 'position_ids', dataType: 'int64', shape: ['batch_size', 'sequence_length'] },
      ...cacheInputs,
    ],
    [{ name: 'logits', dataType: 'float32', shape: ['batch_size', 'sequence_length', vocabSize] }, ...cacheOutputs],
  );
  return encodeOnnxModel(graph, {
    opset: ONNX_OPSET,
    irVersion: IR_VERSION,
    producerName: 'pulse',
    producerVersion: options.producerVersion ?? '0.1.0',
  });
}
