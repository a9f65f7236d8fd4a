import { ProtoWriter } from './protobuf-writer.ts';

/**
 * An in-memory ONNX graph and its serialisation to a ModelProto (field numbers from
 * onnx/onnx.proto). Only the parts a decoder-only transformer needs: tensors as raw_data,
 * int/float/ints/tensor attributes, value infos with named (symbolic) dimensions.
 */

export type OnnxDataType = 'float32' | 'uint8' | 'int8' | 'int32' | 'int64' | 'bool';

const DATA_TYPE_CODE: Record<OnnxDataType, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7, bool: 9 };

export interface OnnxTensor {
  name: string;
  dataType: OnnxDataType;
  dims: number[];
  data: Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;
}

export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  opType: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, OnnxAttribute>;
}

/** A graph input or output; a string dimension is symbolic (e.g. `batch_size`). */
export interface OnnxValueInfo {
  name: string;
  dataType: OnnxDataType;
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModelOptions {
  opset: number;
  /** IR version 8 goes with opsets up to 18. */
  irVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
}

function tensorBytes(tensor: OnnxTensor): Uint8Array {
  const { data } = tensor;
  // ONNX raw_data is little-endian, which is what every platform we run on uses for typed arrays.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function writeTensor(w: ProtoWriter, tensor: OnnxTensor): void {
  const expected = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.data.length !== expected) {
    throw new Error(`ONNX tensor ${tensor.name}: ${tensor.data.length} values for dims [${tensor.dims.join(', ')}]`);
  }
  if (tensor.dims.length) w.packedInts(1, tensor.dims);
  w.int(2, DATA_TYPE_CODE[tensor.dataType]);
  w.string(8, tensor.name);
  w.bytes(9, tensorBytes(tensor));
}

function writeAttribute(w: ProtoWriter, name: string, attribute: OnnxAttribute): void {
  w.string(1, name);
  switch (attribute.kind) {
    case 'float':
      w.float(2, attribute.value).int(20, 1);
      break;
    case 'int':
      w.int(3, attribute.value).int(20, 2);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, attribute.value)).int(20, 4);
      break;
    case 'ints':
      w.packedInts(8, attribute.value).int(20, 7);
      break;
  }
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const [name, attribute] of Object.entries(node.attributes ?? {})) {
    w.message(5, (a) => writeAttribute(a, name, attribute));
  }
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensorType) => {
      tensorType.int(1, DATA_TYPE_CODE[info.dataType]);
      tensorType.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.int(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}

/** Serialises the graph as an ONNX ModelProto (the bytes of a `.onnx` file). */
export function encodeOnnxModel(graph: OnnxGraph, options: OnnxModelOptions): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, options.irVersion);
  w.string(2, options.producerName);
  w.string(3, options.producerVersion);
  if (options.docString) w.string(6, options.docString);
  w.message(7, (g) => {
    for (const node of graph.nodes) g.message(1, (n) => writeNode(n, node));
    g.string(2, graph.name);
    for (const tensor of graph.initializers) g.message(5, (t) => writeTensor(t, tensor));
    for (const input of graph.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of graph.outputs) g.message(12, (v) => writeValueInfo(v, output));
  });
  w.message(8, (opset) => opset.string(1, '').int(2, options.opset));
  return w.finish();
}
