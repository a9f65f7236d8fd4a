import { loadBlend, type LoadedBlend } from '../../model/blend-file.ts';
import { dirSource } from '../../model/node-model-files.ts';
import { blendedScores, buildBlendIndex, type BlendIndex } from '../../model/pulse-blend.ts';
import type { TextEncoder } from '../../train/text-vector-cache.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { ShippedThoughtSpace } from './thought-space-shipped.ts';

/**
 * The shipped blend exactly as the worker ranks with it: the exported Thought Space (through the
 * worker's loader, ShippedThoughtSpace) and the model's blend.json + its EASE file, scored by the one
 * pure function the worker calls (src/model/pulse-blend.ts blendedScores). Nothing is fitted or
 * tuned here — the weights and the EASE form were chosen on this split's validation by
 * `npm run blend` — so, like the Thought Space, it only runs on the split it was made on.
 */
export class ShippedPulseBlend implements Recommender {
  private readonly space: ShippedThoughtSpace;
  private blend: LoadedBlend | null = null;
  private index: BlendIndex | null = null;
  chosen: Record<string, number | string> | null = null;

  constructor(
    readonly name: string,
    private readonly dir: string,
    encodeText: TextEncoder,
  ) {
    this.space = new ShippedThoughtSpace('pulse-shipped', dir, encodeText);
  }

  async fit(context: TrainContext): Promise<void> {
    await this.space.fit({ ...context, log: (l) => context.log(`${this.name}/${l}`) });
    const blend = await loadBlend(dirSource(this.dir));
    if (blend.manifest.seed !== context.seed) throw new RangeError(`${this.name}: ${this.dir}/blend.json was tuned on seed ${blend.manifest.seed}, not ${context.seed}`);
    this.blend = blend;
    this.index = buildBlendIndex(context.catalog, blend.ease);
    const { weights, ease } = blend.manifest;
    const form: Record<string, number | string> = ease.form === 'lowrank' ? { form: 'lowrank', rank: ease.rank } : { form: 'sparse', k: ease.k };
    this.chosen = { easeWeight: weights.ease, profileWeight: weights.profile, ...form, items: ease.items.length, lambda: ease.lambda, ...this.space.chosen };
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (!this.blend || !this.index) throw new Error(`${this.name}: score() before fit()`);
    const pulse = await this.space.score(cases);
    return pulse.map((p, i) => blendedScores(this.index!, cases[i]!.history, p, this.blend!.manifest.weights));
  }
}
