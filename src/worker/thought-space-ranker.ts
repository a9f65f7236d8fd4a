/**
 * Ranking in the trained Thought Space, in the worker. The towers that trained in Node run
 * here unchanged (src/model/thought-space-loader.ts): the behaviour tower reads the history,
 * the query may be steered by the rationale tower's vector of the headline *why*, and every
 * catalog item is scored by one product with the item matrix on the active tfjs backend.
 * Each item's reason names the history item whose deletion lowers its score most in these
 * towers (measured: every item of the window the tower reads is deleted in turn, one batch).
 *
 * A Thought Space belongs to the catalog it was trained on: one that covers too little of
 * this catalog is not used, and the status says why — the text-similarity ranker takes over.
 */
import { reasonFromContributions, steeredScores, unitVector, type Contribution } from '../core/item-reason.ts';
import type { RankingIndex } from '../core/ranker.ts';
import { itemSignals } from '../core/profile.ts';
import { topK } from '../core/topk.ts';
import type { PulseEvent, Recommendation } from '../core/types.ts';
import { fetchSource, loadThoughtSpace, type ThoughtSpace } from '../model/thought-space-loader.ts';

/** Below this share of the catalog, the model was trained on another catalog. */
const MIN_COVERAGE = 0.9;

export interface ThoughtSpaceRanking {
  items: Recommendation[];
  /** Whether the rationale's vector moved the query. */
  steered: boolean;
  queryMs: number;
  scoreMs: number;
}

export class ThoughtSpaceRanker {
  /** Catalog row → Thought Space row (−1: no vector). */
  private readonly rowOf: Int32Array;

  private constructor(
    readonly space: ThoughtSpace,
    private readonly index: RankingIndex,
  ) {
    this.rowOf = Int32Array.from(index.items, (item) => space.indexOf.get(item.id) ?? -1);
  }

  /** A ranker over an already loaded Thought Space (Node tests and tools). */
  static fromSpace(space: ThoughtSpace, index: RankingIndex): ThoughtSpaceRanker {
    return new ThoughtSpaceRanker(space, index);
  }

  /** Loads `${modelsUrl}/${model}`; throws with a reason a shop owner can act on. */
  static async load(modelsUrl: string, model: string, index: RankingIndex): Promise<ThoughtSpaceRanker> {
    const space = await loadThoughtSpace(fetchSource(`${modelsUrl.replace(/\/+$/, '')}/${model}`));
    const ranker = new ThoughtSpaceRanker(space, index);
    const covered = ranker.covered;
    if (covered < MIN_COVERAGE * index.items.length) {
      space.dispose();
      throw new Error(
        `the Thought Space "${model}" covers ${covered} of this catalog's ${index.items.length} items: it was trained on another catalog (train one with npm run train)`,
      );
    }
    return ranker;
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

  get alpha(): number {
    return this.space.manifest.alpha;
  }

  /**
   * Top-k for a history with at least one positive signal. `rationaleVector` is the USE-lite
   * vector of the headline why, or null to rank by behaviour alone.
   */
  async rank(events: readonly PulseEvent[], k: number, exclude: readonly string[], rationaleVector: Float32Array | null, now = Date.now()): Promise<ThoughtSpaceRanking> {
    const t0 = performance.now();
    // The behaviour tower reads events oldest first; a stable sort keeps same-time order.
    const ordered = [...events].sort((a, b) => a.ts - b.ts);
    const behaviour = await this.space.encodeHistory(ordered);
    const steered = rationaleVector !== null && this.alpha > 0;
    const rationale = steered ? await this.space.encodeRationale(rationaleVector) : null;
    const query = await this.space.query(behaviour, rationale);
    const t1 = performance.now();
    const spaceScores = await this.space.scores(query);
    const skip = new Set<number>();
    for (const id of [...ordered.map((e) => e.itemId), ...exclude]) {
      const row = this.index.indexOf.get(id);
      if (row !== undefined) skip.add(row);
    }
    const scores = new Float32Array(this.rowOf.length);
    for (let row = 0; row < scores.length; row++) {
      const r = this.rowOf[row]!;
      scores[row] = r < 0 ? Number.NEGATIVE_INFINITY : spaceScores[r]!;
    }
    const top = topK(scores, k, (row) => skip.has(row) || this.rowOf[row]! < 0);
    const contributions = await this.deletions(ordered, rationale, top.map((t) => this.rowOf[t.index]!));
    const signals = new Map(itemSignals(ordered, now).map((s) => [s.itemId, s] as const));
    const lookup = (id: string) => {
      const row = this.index.indexOf.get(id);
      return row === undefined ? undefined : this.index.items[row];
    };
    const items = top.map(({ index: row, score }, i) => ({
      id: this.index.items[row]!.id,
      score,
      why: reasonFromContributions(this.index.items[row]!, contributions[i]!, (id) => signals.get(id), lookup),
    }));
    return { items, steered, queryMs: t1 - t0, scoreMs: performance.now() - t1 };
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
