/**
 * The PULSE Thought Space as a Recommender: trains the towers on next-item InfoNCE (*what*)
 * plus alignment with the teacher's rationales (*why*), early-stopped on validation NDCG@10,
 * then tunes α — how far the browser's preference statement steers the query — on validation
 * (the one-standard-error rule of alpha-selection.ts).
 *
 * Variants (the ablations): 'full'; 'norat' (no rationale view: no *why* loss, α = 0);
 * 'ratonly' (queries by the rationale view alone); 'noid' (text-only item tower).
 */
import { composePreference, type ComposerContext } from '../core/evidence-composer.ts';
import type { EvalCase, Recommender, TrainContext } from '../eval/recommender.ts';
import { ensureTrainingBackend } from '../train/training-backend.ts';
import { fitSequenceModel, type FitReport } from '../train/fit-loop.ts';
import { meanNdcgAtK, ndcgAtKPerCase } from '../train/ranking-metrics.ts';
import { rationalePairs, rationaleTable } from '../train/teacher-rationales.ts';
import type { TextEncoder } from '../train/text-vector-cache.ts';
import { describeSelection, selectAlpha, type AlphaSelection } from './alpha-selection.ts';
import { historyWindows, nextItemBatch, type EncodedHistory } from './sequence-batch.ts';
import { SEQUENCE_DEFAULTS, type SequenceModelOptions } from './sequence-options.ts';
import { ThoughtSpaceModel } from './thought-space-model.ts';
import { caseHistories, sequenceData } from './training-data.ts';

export type ThoughtSpaceVariant = 'full' | 'norat' | 'ratonly' | 'noid';

export interface ThoughtSpaceOptions extends SequenceModelOptions {
  variant: ThoughtSpaceVariant;
  whyWeight: number;
  /** Teacher rationales per user (the most recent training positions). */
  rationalesPerUser: number;
  /** α values tried on validation (0 = behaviour alone). */
  alphas: number[];
  /**
   * Train the next-item (*what*) loss at the column that scoring reads (nextItemBatch): the
   * newest training event is a target, not an input. Off = the original batches, where the
   * query column only ever saw the *why* loss.
   */
  nextItemPairs: boolean;
  /** Every transition of every history (windows of maxLen + 1), not only the newest maxLen events. */
  allWindows: boolean;
}

export const THOUGHT_SPACE_DEFAULTS: ThoughtSpaceOptions = {
  ...SEQUENCE_DEFAULTS,
  variant: 'full',
  whyWeight: 0.5,
  rationalesPerUser: 10,
  alphas: [0, 0.05, 0.1, 0.2, 0.3, 0.5],
  // Off until measured: no Pulse training with them finished on this machine during issue 11 (SASRec's
  // measurements are in docs/thought-space.md). Turn on with PULSE_MODEL_OVERRIDES='{"nextItemPairs":true,"allWindows":true}'.
  nextItemPairs: false,
  allWindows: false,
};

export class ThoughtSpaceRecommender implements Recommender {
  model: ThoughtSpaceModel | null = null;
  alpha = 0;
  /** The validation sweep behind `alpha` (null until tuned, and for variants that do not steer). */
  alphaSelection: AlphaSelection | null = null;
  report: FitReport | null = null;
  private composer: ComposerContext | null = null;
  private indexOf: ReadonlyMap<string, number> = new Map();

  constructor(
    readonly name: string,
    readonly options: ThoughtSpaceOptions,
    private readonly encodeText: TextEncoder,
  ) {}

  private get usesRationales(): boolean {
    return this.options.variant !== 'norat';
  }

  async fit(context: TrainContext): Promise<void> {
    await ensureTrainingBackend();
    const o = this.options;
    const log = (line: string) => context.log(`${this.name}: ${line}`);
    const data = sequenceData(context);
    this.indexOf = context.indexOf;
    this.composer = { catalog: context.catalog, indexOf: context.indexOf, textVectors: context.textVectors, textDims: context.textDims };
    this.model?.dispose();
    const model = new ThoughtSpaceModel(
      {
        items: context.catalog.length,
        textDims: context.textDims,
        useIdEmbedding: o.variant !== 'noid',
        dims: o.dims,
        blocks: o.blocks,
        heads: o.heads,
        maxLen: o.maxLen,
        dropout: o.dropout,
      },
      { whatWeight: 1, whyWeight: this.usesRationales ? o.whyWeight : 0, negatives: o.negatives },
      context.textVectors,
      context.seed,
    );
    this.model = model;
    if (this.usesRationales && o.whyWeight > 0) {
      const pairs = rationalePairs(data.users.map((u) => context.train.get(u)!), o.rationalesPerUser, this.composer);
      log(`${pairs.length} teacher rationales (last ${o.rationalesPerUser} choices per user)`);
      model.setRationales(await rationaleTable(pairs, data.users.length, this.encodeText, log));
    }
    // Windows of a history: each knows its user row and where it starts, so the *why* loss still
    // finds the teacher rationale of event t (keyed by the index in the user's whole history).
    const windows = data.train.flatMap((h, user) =>
      o.allWindows ? historyWindows(h, o.maxLen).map((w) => ({ h: w, user, offset: w.items.byteOffset / 4 - h.items.byteOffset / 4 })) : [{ h, user, offset: 0 }],
    );
    this.report = await fitSequenceModel(
      {
        trainable: () => Object.values(model.w),
        weights: () => model.w,
        loss: (batch, rows, step) => {
          for (let i = 0; i < batch.eventIndex.length; i++) {
            if (batch.eventIndex[i]! >= 0) batch.eventIndex[i]! += windows[rows[Math.floor(i / batch.len)]!]!.offset;
          }
          return model.batchLoss(batch, rows.map((r) => windows[r]!.user), step);
        },
        ...(o.nextItemPairs ? { makeBatch: (histories: readonly EncodedHistory[], maxLen: number) => nextItemBatch(histories, maxLen) } : {}),
        // Early stopping watches the behaviour query alone; α is tuned once training is done.
        scoreHistories: (h) => model.score(h, null, 0),
      },
      windows.map((w) => w.h),
      data.validation,
      { maxLen: o.maxLen, lossWindow: o.maxLen, batchSize: o.batchSize, learningRate: o.learningRate, maxEpochs: o.maxEpochs, patience: o.patience, evalEvery: o.evalEvery, seed: context.seed, log, label: this.name, ...(o.timeBudgetMs !== undefined ? { timeBudgetMs: o.timeBudgetMs } : {}) },
    );
    log(`best validation NDCG@10 ${this.report.bestValidationNdcg10.toFixed(4)} at epoch ${this.report.bestEpoch} (${this.report.seconds.toFixed(0)} s, ${this.report.sequencesPerSecond.toFixed(1)} seq/s)`);
    if (this.usesRationales && o.variant !== 'ratonly') await this.tuneAlpha(context.validation, log);
  }

  /** Preference-statement text vectors for each case's history (what the browser would write). */
  private async preferenceVectors(cases: readonly EvalCase[]): Promise<Float32Array> {
    const composer = this.composer!;
    return this.encodeText(cases.map((c) => composePreference(c.history, composer)));
  }

  private async tuneAlpha(validation: readonly EvalCase[], log: (line: string) => void): Promise<void> {
    const cases = validation.filter((c) => this.indexOf.has(c.target.itemId));
    const histories = caseHistories(cases, this.indexOf);
    const preferences = await this.preferenceVectors(cases);
    const targets = cases.map((c) => this.indexOf.get(c.target.itemId)!);
    const excludes = histories.map((h) => new Set(h.items));
    const perUser: number[][] = [];
    for (const alpha of this.options.alphas) perUser.push(ndcgAtKPerCase(await this.scoreChunked(histories, preferences, alpha), targets, excludes));
    this.alphaSelection = selectAlpha(this.options.alphas, perUser);
    this.alpha = this.alphaSelection.alpha;
    log(`steering by the preference statement, validation NDCG@10: ${describeSelection(this.alphaSelection)}`);
  }

  private async scoreChunked(histories: readonly EncodedHistory[], preferences: Float32Array | null, alpha: number, rationaleOnly = false): Promise<Float32Array[]> {
    const model = this.model!;
    const textDims = model.config.textDims;
    const out: Float32Array[] = [];
    for (let start = 0; start < histories.length; start += 256) {
      const end = Math.min(histories.length, start + 256);
      const part = preferences === null ? null : preferences.subarray(start * textDims, end * textDims);
      out.push(...(await model.score(histories.slice(start, end), part, alpha, rationaleOnly)));
    }
    return out;
  }

  /** What the harness records as this run's tuned choices. */
  get chosen(): Record<string, number> | null {
    return this.report === null ? null : { alpha: this.alpha, bestEpoch: this.report.bestEpoch, epochs: this.report.epochs, sequencesPerSecond: Math.round(this.report.sequencesPerSecond) };
  }

  /** The preference statements' text vectors when scoring uses them (α > 0 or ratonly), else null. */
  async preferenceVectorsFor(cases: readonly EvalCase[]): Promise<Float32Array | null> {
    return this.options.variant === 'ratonly' || this.alpha > 0 ? this.preferenceVectors(cases) : null;
  }

  /** Validation NDCG@10 of the fitted model as scored by score(). */
  async validationNdcg(cases: readonly EvalCase[]): Promise<number> {
    const usable = cases.filter((c) => this.indexOf.has(c.target.itemId));
    const scores = await this.score(usable);
    const histories = caseHistories(usable, this.indexOf);
    return meanNdcgAtK(scores, usable.map((c) => this.indexOf.get(c.target.itemId)!), histories.map((h) => new Set(h.items)));
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (this.model === null) throw new Error(`${this.name}: score() before fit()`);
    const histories = caseHistories(cases, this.indexOf);
    const rationaleOnly = this.options.variant === 'ratonly';
    const preferences = await this.preferenceVectorsFor(cases);
    return this.scoreChunked(histories, preferences, this.alpha, rationaleOnly);
  }
}
