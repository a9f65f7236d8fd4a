import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composePreference, type ComposerContext } from '../../core/evidence-composer.ts';
import { dirSource } from '../../model/node-model-files.ts';
import { loadThoughtSpace, type ThoughtSpace } from '../../model/thought-space-loader.ts';
import { ensureTrainingBackend } from '../../train/training-backend.ts';
import type { TextEncoder } from '../../train/text-vector-cache.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { validationNdcg10 } from '../tuning.ts';

/**
 * An exported Thought Space (a models/ folder) evaluated through the loader the worker uses —
 * no training: what the demo ships, in the harness, so blends with it can be measured.
 *
 * A model belongs to the split it trained on. fit() therefore checks that this run's validation
 * cases reproduce the model card's validation NDCG@10 (unsteered, through the exported files) to
 * 4 decimals; on any other split or seed the test users' events were in its training data, and
 * it refuses to score.
 */
export class ShippedThoughtSpace implements Recommender {
  private space: ThoughtSpace | null = null;
  private composer: ComposerContext | null = null;
  private alpha = 0;
  private rowOf: Int32Array = new Int32Array(0);
  chosen: Record<string, number | string> | null = null;

  constructor(
    readonly name: string,
    private readonly dir: string,
    private readonly encodeText: TextEncoder,
  ) {}

  async fit(context: TrainContext): Promise<void> {
    await ensureTrainingBackend();
    const report = JSON.parse(await readFile(join(this.dir, 'train-report.json'), 'utf8')) as { seed: number; validation: { exported: number; float32?: number } };
    this.space?.dispose();
    const space = await loadThoughtSpace(dirSource(this.dir));
    this.space = space;
    this.rowOf = Int32Array.from(context.catalog, (item) => space.indexOf.get(item.id) ?? -1);
    this.composer = { catalog: context.catalog, indexOf: context.indexOf, textVectors: context.textVectors, textDims: context.textDims };
    this.alpha = 0;
    const scored = await this.scoreAll(context.validation);
    const unsteered = validationNdcg10(context.validation, context.indexOf, (c) => scored.get(c)!);
    const expected = report.validation.float32 ?? report.validation.exported;
    context.log(`${this.name}: ${this.dir} unsteered validation NDCG@10 ${unsteered.toFixed(4)} (its card: ${expected.toFixed(4)})`);
    if (context.seed !== report.seed || Math.abs(unsteered - expected) > 5e-5) {
      throw new RangeError(`${this.name}: ${this.dir} was trained on another split (seed ${report.seed}; validation NDCG@10 ${expected.toFixed(4)}, here ${unsteered.toFixed(4)}): its test users would be in its training data`);
    }
    this.alpha = space.manifest.alpha;
    this.chosen = { alpha: this.alpha, validationNdcg10Unsteered: Number(unsteered.toFixed(4)) };
  }

  private async scoreAll(cases: readonly EvalCase[]): Promise<Map<EvalCase, Float32Array>> {
    const out = new Map<EvalCase, Float32Array>();
    (await this.score(cases)).forEach((s, i) => out.set(cases[i]!, s));
    return out;
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    const space = this.space;
    if (space === null) throw new Error(`${this.name}: score() before fit()`);
    const textDims = space.manifest.config.textDims;
    const preferences = this.alpha > 0 ? await this.encodeText(cases.map((c) => composePreference(c.history, this.composer!))) : null;
    const out: Float32Array[] = [];
    for (const [i, c] of cases.entries()) {
      const behaviour = await space.encodeHistory(c.history);
      const rationale = preferences === null ? null : await space.encodeRationale(preferences.subarray(i * textDims, (i + 1) * textDims));
      const spaceScores = await space.scores(await space.query(behaviour, rationale));
      out.push(Float32Array.from(this.rowOf, (r) => (r < 0 ? -Infinity : spaceScores[r]!)));
    }
    return out;
  }
}
