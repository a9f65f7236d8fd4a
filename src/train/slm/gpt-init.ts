import { seededRandom } from '../../core/random.ts';
import { gptParameterShapes, type GptConfig, type GptWeights } from './gpt-config.ts';

/**
 * GPT-2's initialisation, seeded by our own PRNG so that a training run starts from the same
 * weights on every backend: N(0, 0.02) for matrices, residual projections scaled by
 * 1/√(2·layers) so the residual stream's variance does not grow with depth, zero biases,
 * unit LayerNorm gains.
 */
export function initGptWeights(config: GptConfig, seed: number, std = 0.02): GptWeights {
  const random = seededRandom(seed);
  const gaussian = (): number => {
    // Box–Muller; 1 - u keeps log away from 0.
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const residualStd = std / Math.sqrt(2 * config.nLayers);
  const weights: GptWeights = new Map();
  for (const [name, shape] of gptParameterShapes(config)) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.includes('ln_') && name.endsWith('.weight')) values.fill(1);
    else if (shape.length === 2) {
      const scale = name.endsWith('proj.weight') ? residualStd : std;
      for (let i = 0; i < values.length; i++) values[i] = gaussian() * scale;
    }
    weights.set(name, { shape, values });
  }
  return weights;
}
