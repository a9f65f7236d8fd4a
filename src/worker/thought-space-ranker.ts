/**
 * Ranking in the trained Thought Space, in the worker. The towers that trained in Node run
 * here unchanged (src/model/thought-space-loader.ts): the behaviour tower reads the history,
 * the query may be steered by the rationale tower's vector of the headline *why*, and every
 * catalog item is scored by one product with the item matrix on the active tfjs backend.
 *
 * Each item's reason names the history item whose deletion lowers its score most in these
 * towers (measured: every item of the window the tower reads is deleted in turn, one batch).
 * Explanations and reasons use the Thought Space's own item vectors, so a covered catalog
 * needs no USE-lite catalog vectors at all (issue 10: 4.7 MB not fetched before the first list).
 *
 * With the model's blend (blend.json + its EASE file, low-rank or sparse; src/model/pulse-blend.ts)
 * the ranked score is the Thought Space's blended with EASE and the category profile, by the one pure function the
 * evaluation harness scores with; reasons then measure deletions under that blended score. Without
 * it (missing or corrupt files) the Thought Space ranks alone and `blendProblem` says why.
 *
 * A Thought Space belongs to the catalog it was trained on: one that covers too little of
 * this catalog is not used, and the status says why — the text-similarity ranker takes over.
 * Weights that are NaN or out of range are refused at load (thought-space-loader.ts); a query
 * whose scores still come out NaN or infinite (an overflow) throws NonFiniteValueError, and the
 * chain drops the model and ranks with the next ranker. There is no probe query at load: it
 * cost 56–88 ms before the first list (bench/boot-breakdown.ts) and checked nothing the first
 * real query does not check the same way.
 */
import { buildRankingIndex, evidenceFor, type RankingIndex } from '../core/ranker.ts';
import { countNonFiniteScores, NonFiniteValueError } from '../core/finite-values.ts';
import { reasonFromContributions, steeredScores, unitVector, type Contribution } from '../core/item-reason.ts';
import { itemSignals } from '../core/profile.ts';
import { topK } from '../core/topk.ts';
import type { CatalogItem, PulseEvent, Recommendation, Why } from '../core/types.ts';
import { normalize } from '../core/vector-math.ts';
import { loadBlend, type LoadedBlend } from '../model/blend-file.ts';
import { blendedDeletions, blendedScores, buildBlendIndex, type BlendIndex, type BlendWeights } from '../model/pulse-blend.ts';
import { fetchSource, loadThoughtSpace, type ThoughtSpace } from '../model/thought-space-loader.ts';
import type { FetchOnce } from './fetch-once.ts';
import type { Prefetched } from './model-prefetch.ts';
import { exclusive } from './backend-lock.ts';

/** Below this share of the catalog, the model was trained on another catalog. */
const MIN_COVERAGE = 0.9;

export interface ThoughtSpaceRanking {
  items: Recommendation[];
  /** Whether the rationale's vector moved the query. */
  steered: boolean;
  queryMs: number;
  scoreMs: number;
}

/**
 * The catalog in Thought Space item vectors, centred over the covered rows and unit length
 * (as the text index is, so `similarity` reads as a cosine); uncovered rows stay zero.
 */
function evidenceIndex(catalog: readonly CatalogItem[], space: ThoughtSpace, rowOf: Int32Array): RankingIndex {
  const { dims, itemVectors } = space;
  const vectors = new Float32Array(catalog.length * dims);
  const mean = new Float64Array(dims);
  let covered = 0;
  rowOf.forEach((r) => {
    if (r < 0) return;
    covered++;
    for (let d = 0; d < dims; d++) mean[d]! += itemVectors[r * dims + d]!;
  });
  rowOf.forEach((r, row) => {
    if (r < 0) return;
    for (let d = 0; d < dims; d++) vectors[row * dims + d] = itemVectors[r * dims + d]! - mean[d]! / covered;
    normalize(vectors, row * dims, dims);
  });
  return buildRankingIndex(catalog, vectors, dims);
}

export class ThoughtSpaceRanker {
  /** Catalog row → Thought Space row (−1: no vector). */
  private readonly rowOf: Int32Array;
  private readonly evidence: RankingIndex;
  private readonly blend: { index: BlendIndex; weights: BlendWeights } | null;

  private constructor(
    readonly space: ThoughtSpace,
    catalog: readonly CatalogItem[],
    blend: LoadedBlend | null,
    /** Why the blend is not used, when it is not (null: it is, or the model ships none). */
    readonly blendProblem: string | null = null,
  ) {
    this.rowOf = Int32Array.from(catalog, (item) => space.indexOf.get(item.id) ?? -1);
    this.evidence = evidenceIndex(catalog, space, this.rowOf);
    this.blend = blend ? { index: buildBlendIndex(catalog, blend.ease), weights: blend.manifest.weights } : null;
  }

  /** A ranker over an already loaded Thought Space (Node tests and tools), blended when `blend` is given. */
  static fromSpace(space: ThoughtSpace, catalog: readonly CatalogItem[], blend: LoadedBlend | null = null): ThoughtSpaceRanker {
    return new ThoughtSpaceRanker(space, catalog, blend);
  }

  /** Whether the ranked score is the blend (else the Thought Space alone). */
  get blended(): boolean {
    return this.blend !== null;
  }

  /**
   * Loads `${modelsUrl}/${model}`; throws with a reason a shop owner can act on. `readJson`
   * reads its manifests, so the ones the coverage check already read are not fetched again;
   * `early` holds the files the worker requested while its backend started (model-prefetch.ts).
   */
  static async load(modelsUrl: string, model: string, catalog: readonly CatalogItem[], readJson?: FetchOnce, early?: Prefetched): Promise<ThoughtSpaceRanker> {
    const fetchFn: typeof fetch = (input, init) =>
      (typeof input === 'string' ? early?.take(input) : undefined) ??
      (readJson && typeof input === 'string' && input.endsWith('.json') ? readJson(input) : fetch(input, init));
    const source = fetchSource(`${modelsUrl.replace(/\/+$/, '')}/${model}`, fetchFn);
    const space = await loadThoughtSpace(source);
    performance.mark('pulse:towers-loaded');
    try {
      let blend: LoadedBlend | null = null;
      let blendProblem: string | null = null;
      try {
        blend = await loadBlend(source);
        performance.mark('pulse:blend-loaded');
      } catch (error) {
        blendProblem = `${error instanceof Error ? error.message : String(error)}; the Thought Space ranks without the EASE blend`;
      }
      const ranker = new ThoughtSpaceRanker(space, catalog, blend, blendProblem);
      const covered = ranker.covered;
      if (covered < MIN_COVERAGE * catalog.length) {
        throw new Error(
          `the Thought Space "${model}" covers ${covered} of this catalog's ${catalog.length} items: it was trained on another catalog (train one with npm run train)`,
        );
      }
      performance.mark('pulse:indexes-built');
      return ranker;
    } catch (error) {
      space.dispose();
      throw error;
    }
  }

  private assertFinite(scores: Float32Array, when: string): void {
    const bad = countNonFiniteScores(scores);
    if (bad > 0) {
      throw new NonFiniteValueError(`the Thought Space scored ${bad} of ${scores.length} items NaN or infinite in ${when} (corrupt weights or an overflow)`);
    }
  }

  get covered(): number {
    let n = 0;
    for (const row of this.rowOf) if (row >= 0) n++;
    return n;
  }

  /** Whether the behaviour tower can read anything of this history (items new since training are skipped). */
  reads(events: readonly PulseEvent[]): boolean {
    return events.some((event) => this.space.indexOf.has(event.itemId));
  }

  /** Whether `itemId` has a Thought Space vector. */
  covers(itemId: string): boolean {
    return this.space.indexOf.has(itemId);
  }

  get alpha(): number {
    return this.space.manifest.alpha;
  }

  /**
   * Why `itemId` would be recommended to this history, in the Thought Space; null when the item
   * has no vector. The same reason a list would give it: the history item whose deletion lowers
   * its (blended) score most, so `explain()` and the list's own why never name different items.
   * Unsteered: explain() has no headline why to steer by. A history the towers cannot read, or
   * with nothing liked, has no contributor to name: then the evidence link (closest history
   * item by text) answers, as before.
   */
  async explain(events: readonly PulseEvent[], itemId: string, now = Date.now()): Promise<Why | null> {
    const row = this.evidence.indexOf.get(itemId);
    if (row === undefined || this.rowOf[row]! < 0) return null;
    const signals = itemSignals(events, now);
    if (!this.reads(events) || !signals.some((s) => s.weight > 0)) return evidenceFor(row, signals, this.evidence);
    const ordered = [...events].sort((a, b) => a.ts - b.ts);
    const [contributions] = await exclusive(() => (this.blend ? this.blendedDeletions(ordered, null, [row]) : this.deletions(ordered, null, [this.rowOf[row]!])));
    const bySignal = new Map(signals.map((s) => [s.itemId, s] as const));
    return reasonFromContributions(this.evidence.items[row]!, contributions ?? [], (id) => bySignal.get(id), (id) => this.itemOf(id));
  }

  private itemOf(id: string): CatalogItem | undefined {
    const row = this.evidence.indexOf.get(id);
    return row === undefined ? undefined : this.evidence.items[row];
  }

  /**
   * Top-k for a history with at least one positive signal. `rationaleVector` is the USE-lite
   * vector of the headline why, or null to rank by behaviour alone.
   */
  rank(events: readonly PulseEvent[], k: number, exclude: readonly string[], rationaleVector: Float32Array | null, now = Date.now()): Promise<ThoughtSpaceRanking> {
    return exclusive(() => this.rankNow(events, k, exclude, rationaleVector, now));
  }

  private async rankNow(events: readonly PulseEvent[], k: number, exclude: readonly string[], rationaleVector: Float32Array | null, now: number): Promise<ThoughtSpaceRanking> {
    const t0 = performance.now();
    // The behaviour tower reads events oldest first; a stable sort keeps same-time order.
    const ordered = [...events].sort((a, b) => a.ts - b.ts);
    const behaviour = await this.space.encodeHistory(ordered);
    const steered = rationaleVector !== null && this.alpha > 0;
    const rationale = steered ? await this.space.encodeRationale(rationaleVector) : null;
    const query = await this.space.query(behaviour, rationale);
    const t1 = performance.now();
    const spaceScores = await this.space.scores(query);
    this.assertFinite(spaceScores, 'this query');
    const skip = new Set<number>();
    for (const id of [...ordered.map((e) => e.itemId), ...exclude]) {
      const row = this.evidence.indexOf.get(id);
      if (row !== undefined) skip.add(row);
    }
    const byRow = this.byCatalogRow(spaceScores);
    const scores = this.blend ? blendedScores(this.blend.index, ordered, byRow, this.blend.weights) : byRow;
    const top = topK(scores, k, (row) => skip.has(row) || this.rowOf[row]! < 0);
    const contributions = this.blend
      ? await this.blendedDeletions(ordered, rationale, top.map((t) => t.index))
      : await this.deletions(ordered, rationale, top.map((t) => this.rowOf[t.index]!));
    const signals = new Map(itemSignals(ordered, now).map((s) => [s.itemId, s] as const));
    const items = top.map(({ index: row, score }, i) => ({
      id: this.evidence.items[row]!.id,
      score,
      why: reasonFromContributions(this.evidence.items[row]!, contributions[i]!, (id) => signals.get(id), (id) => this.itemOf(id)),
    }));
    return { items, steered, queryMs: t1 - t0, scoreMs: performance.now() - t1 };
  }

  /** Thought Space scores (its rows) → catalog rows, −∞ where an item has no vector. */
  private byCatalogRow(spaceScores: ArrayLike<number>): Float32Array {
    const out = new Float32Array(this.rowOf.length);
    for (let row = 0; row < out.length; row++) {
      const r = this.rowOf[row]!;
      out[row] = r < 0 ? Number.NEGATIVE_INFINITY : spaceScores[r]!;
    }
    return out;
  }

  /**
   * For each target (a catalog row), how much deleting each history item lowers its *blended*
   * score (pulse-blend.ts blendedDeletions): the towers re-encode every shortened history of the
   * window they read in one batch, the Thought Space scores of each come from the item vectors in
   * plain JS (every row: the blend standardises over the catalog), EASE and the profile are
   * recomputed from the shortened history itself.
   */
  async blendedDeletions(ordered: readonly PulseEvent[], rationale: Float32Array | null, targets: readonly number[]): Promise<Contribution[][]> {
    const { space, blend } = this;
    if (!blend) throw new Error('blendedDeletions without a blend');
    const window = ordered.slice(-space.manifest.config.maxLen);
    const read = [...new Set(window.map((e) => e.itemId))].filter((id) => space.indexOf.has(id));
    if (targets.length === 0) return [];
    const [base, ...without] = await space.encodeHistories([ordered, ...read.map((id) => ordered.filter((e) => e.itemId !== id))]);
    const unit = rationale ? unitVector(rationale) : null;
    const allRows = Array.from({ length: space.ids.length }, (_, r) => r);
    const full = (b: Float32Array) => this.byCatalogRow(steeredScores(b, unit, this.alpha, space.itemVectors, allRows, space.dims));
    const baseScores = full(base!);
    const byItem = new Map(read.map((id, i) => [id, without[i]!] as const));
    return blendedDeletions(blend.index, ordered, baseScores, (id) => {
      const b = byItem.get(id);
      return b ? full(b) : baseScores;
    }, blend.weights, targets);
  }

  /**
   * For each target (a Thought Space row), how much deleting each history item lowers its score:
   * every distinct item of the window the tower reads (its last maxLen events) is deleted in
   * turn and the histories are encoded in one batch. Items outside the window are not read, so
   * deleting them changes nothing.
   */
  async deletions(ordered: readonly PulseEvent[], rationale: Float32Array | null, targets: readonly number[]): Promise<Contribution[][]> {
    const { space } = this;
    const window = ordered.slice(-space.manifest.config.maxLen);
    const ids = [...new Set(window.map((e) => e.itemId))].filter((id) => space.indexOf.has(id));
    if (targets.length === 0 || ids.length === 0) return targets.map(() => []);
    const [base, ...without] = await space.encodeHistories([ordered, ...ids.map((id) => ordered.filter((e) => e.itemId !== id))]);
    const unit = rationale ? unitVector(rationale) : null;
    const score = (b: Float32Array) => steeredScores(b, unit, this.alpha, space.itemVectors, targets, space.dims);
    const baseScores = score(base!);
    const deleted = without.map(score);
    return targets.map((_, t) => ids.map((itemId, i) => ({ itemId, drop: baseScores[t]! - deleted[i]![t]! })));
  }

  dispose(): void {
    this.space.dispose();
  }
}
