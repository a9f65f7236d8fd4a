import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-model.ts';

/** Appends nodes with unique output names, so a graph reads like the code that computes it. */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private counter = 0;

  /** Adds one node; returns its first output (`outputs` names them explicitly, e.g. graph outputs). */
  op(opType: string, inputs: string[], attributes: Record<string, OnnxAttribute> = {}, outputs?: string[]): string {
    const id = this.counter++;
    const outs = outputs ?? [`/${opType}_${id}/out`];
    this.nodes.push({ opType, name: `/${opType}_${id}`, inputs, outputs: outs, attributes });
    return outs[0]!;
  }

  /** A node with several outputs (Split). */
  opMulti(opType: string, inputs: string[], outputCount: number, attributes: Record<string, OnnxAttribute> = {}): string[] {
    const id = this.counter++;
    const outs = Array.from({ length: outputCount }, (_, i) => `/${opType}_${id}/out${i}`);
    this.nodes.push({ opType, name: `/${opType}_${id}`, inputs, outputs: outs, attributes });
    return outs;
  }

  initializer(tensor: OnnxTensor): string {
    this.initializers.push(tensor);
    return tensor.name;
  }

  int64(name: string, values: number[], dims: number[] = [values.length]): string {
    return this.initializer({ name, dataType: 'int64', dims, data: BigInt64Array.from(values.map(BigInt)) });
  }

  float32(name: string, values: number[] | Float32Array, dims: number[]): string {
    return this.initializer({ name, dataType: 'float32', dims, data: Float32Array.from(values) });
  }

  build(name: string, inputs: OnnxValueInfo[], outputs: OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs, outputs };
  }
}
