/**
 * The shape of Pulse's own small decoder: GPT-2's architecture (learned positions, pre-norm
 * blocks, tanh-GELU MLP, tied input/output embeddings) at a size that trains in minutes on a
 * laptop CPU and ships in a few MB. The same description drives the tfjs trainer and the
 * ONNX exporter, so the two cannot drift apart.
 */
export interface GptConfig {
  vocabSize: number;
  /** Longest sequence (learned position table rows). */
  contextLength: number;
  dModel: number;
  nLayers: number;
  nHeads: number;
  /** Hidden width of each MLP (GPT-2 uses 4 × dModel). */
  dFeedForward: number;
  layerNormEpsilon: number;
}

export function headDim(config: GptConfig): number {
  if (config.dModel % config.nHeads !== 0) throw new Error(`dModel ${config.dModel} is not divisible by nHeads ${config.nHeads}`);
  return config.dModel / config.nHeads;
}

/** Every weight by name and shape, in a fixed order (the order the exporter writes them). */
export function gptParameterShapes(config: GptConfig): [string, number[]][] {
  const { vocabSize: v, contextLength: p, dModel: d, dFeedForward: f } = config;
  const shapes: [string, number[]][] = [
    ['wte', [v, d]],
    ['wpe', [p, d]],
  ];
  for (let i = 0; i < config.nLayers; i++) {
    shapes.push(
      [`h.${i}.ln_1.weight`, [d]],
      [`h.${i}.ln_1.bias`, [d]],
      [`h.${i}.attn.qkv.weight`, [d, 3 * d]],
      [`h.${i}.attn.qkv.bias`, [3 * d]],
      [`h.${i}.attn.proj.weight`, [d, d]],
      [`h.${i}.attn.proj.bias`, [d]],
      [`h.${i}.ln_2.weight`, [d]],
      [`h.${i}.ln_2.bias`, [d]],
      [`h.${i}.mlp.fc.weight`, [d, f]],
      [`h.${i}.mlp.fc.bias`, [f]],
      [`h.${i}.mlp.proj.weight`, [f, d]],
      [`h.${i}.mlp.proj.bias`, [d]],
    );
  }
  shapes.push(['ln_f.weight', [d]], ['ln_f.bias', [d]]);
  return shapes;
}

export function gptParameterCount(config: GptConfig): number {
  return gptParameterShapes(config).reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0);
}

/** A weight's values, row-major, with its shape: what trainer, exporter and tests exchange. */
export interface NamedWeight {
  shape: number[];
  values: Float32Array;
}

export type GptWeights = Map<string, NamedWeight>;
