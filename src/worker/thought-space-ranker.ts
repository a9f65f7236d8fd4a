/**
 * Ranking in the trained Thought Space, in the worker. The towers that trained in Node run
 * here unchanged (src/model/thought-space-loader.ts): the behaviour tower reads the history,
 * the query may be steered by the rationale tower's vector of the headline *why*, and every
 * catalog item is scored by one product with the item matrix on the active tfjs backend.
 * Each item still carries its evidence ("Because you liked …") from the text-space index.
 *
 * A Thought Space belongs to the catalog it was trained on: one that covers too little of
 * this catalog is not used, and the status says why — the text-similarity ranker takes over.
 */
import { evidenceFor, type RankingIndex } from '../core/ranker.ts';
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
    const query = await this.space.query(behaviour, steered ? await this.space.encodeRationale(rationaleVector) : null);
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
    const signals = itemSignals(ordered, now);
    const items = topK(scores, k, (row) => skip.has(row) || this.rowOf[row]! < 0).map(({ index: row, score }) => ({
      id: this.index.items[row]!.id,
      score,
      why: evidenceFor(row, signals, this.index),
    }));
    return { items, steered, queryMs: t1 - t0, scoreMs: performance.now() - t1 };
  }

  dispose(): void {
    this.space.dispose();
  }
}
