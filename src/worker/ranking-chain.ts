/**
 * The degrade chain, per request: Thought Space (its own item vectors) → text similarity
 * (catalog vectors, or items embedded on the device) → popularity → catalog order. Each link
 * is optional; a request ranks with the best one that can read its history, and a link that
 * fails (NaN scores, vectors that cannot load) is reported once and skipped from then on.
 *
 * The text-similarity link loads on first need when a Thought Space covers the catalog: the
 * USE-lite catalog vectors (4.7 MB for the demo) are then fetched only for a history the
 * Thought Space cannot read, or to explain an item it has no vector for.
 */
import type { Degradation, RankerName } from '../client/api.ts';
import { NonFiniteValueError } from '../core/finite-values.ts';
import { explain as explainByText, POPULAR, rank, type RankingIndex, type Scorer } from '../core/ranker.ts';
import { itemSignals } from '../core/profile.ts';
import type { PulseEvent, Recommendation, Why } from '../core/types.ts';
import type { ThoughtSpaceRanker } from './thought-space-ranker.ts';

/** Text similarity, once its matrix is on the backend. */
export interface TextRanker {
  index: RankingIndex;
  scorer: Scorer;
}

export interface ChainRanking {
  items: Recommendation[];
  strategy: 'personal' | 'popular';
  ranker: RankerName;
  steered: boolean;
  queryMs: number;
  scoreMs: number;
}

export interface ChainRequest {
  k: number;
  exclude: readonly string[];
  /** The headline why's USE-lite vector when it steers the Thought Space; null otherwise. */
  rationaleVector: Float32Array | null;
}

export interface RankingChainOptions {
  /** The catalog with popularity and no vectors (dims 0): what every link can fall back to. */
  catalog: RankingIndex;
  space: ThoughtSpaceRanker | null;
  /** Loads text similarity once (a second call gets the same promise); rejects when it cannot. */
  text: () => Promise<TextRanker>;
  /** Reports a link that failed; the chain has already moved past it. */
  degrade(problem: Degradation): void;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class RankingChain {
  private space: ThoughtSpaceRanker | null;
  private text: Promise<TextRanker | null> | null = null;
  private textFailed = false;
  /** Whether any item has a popularity figure; without, "popular" means catalog order. */
  readonly hasPopularity: boolean;

  constructor(private readonly options: RankingChainOptions) {
    this.space = options.space;
    this.hasPopularity = options.catalog.popularity.some((p) => p > 0);
  }

  /** The Thought Space while it works; null once it failed (or when there is none). */
  thoughtSpace(): ThoughtSpaceRanker | null {
    return this.space;
  }

  /** Text similarity, loaded on first call; null when it cannot load (reported once). */
  textRanker(): Promise<TextRanker | null> {
    return (this.text ??= this.options.text().catch((error: unknown) => {
      this.textFailed = true;
      this.options.degrade({ component: 'text-similarity', reason: `${message(error)}; lists rank by ${this.fallbackName()} instead` });
      return null;
    }));
  }

  /** The best ranker available now (text similarity counts while it may still load). */
  best(): RankerName {
    if (this.space) return 'thought-space';
    if (!this.textFailed) return 'text-similarity';
    return this.fallbackName();
  }

  private fallbackName(): RankerName {
    return this.hasPopularity ? 'popularity' : 'catalog-order';
  }

  /** Drops the Thought Space after it produced unusable scores; the request carries on down the chain. */
  private dropSpace(error: unknown): void {
    this.space = null;
    this.options.degrade({ component: 'thought-space', reason: `${message(error)}; ranking by text similarity instead` });
  }

  /**
   * Ranks `events` with the best link that can read them. `inSpace`: the caller decided the
   * Thought Space reads this history (and steered its query accordingly).
   */
  async rank(events: readonly PulseEvent[], request: ChainRequest, inSpace: boolean): Promise<ChainRanking> {
    const { k, exclude } = request;
    const space = this.space;
    if (inSpace && space) {
      try {
        return { ...(await space.rank(events, k, exclude, request.rationaleVector)), strategy: 'personal', ranker: 'thought-space' };
      } catch (error) {
        if (!(error instanceof NonFiniteValueError)) throw error;
        this.dropSpace(error);
      }
    }
    // Without a positive signal every link would return the popularity list: no need to load text similarity for it.
    const personal = itemSignals(events, Date.now()).some((signal) => signal.weight > 0);
    const text = personal ? await this.textRanker() : null;
    if (text) {
      try {
        const ranking = await rank(events, text.index, text.scorer, { k, exclude });
        return { ...ranking, steered: false, ranker: ranking.strategy === 'personal' ? 'text-similarity' : this.fallbackName() };
      } catch (error) {
        if (!(error instanceof NonFiniteValueError)) throw error;
        this.text = Promise.resolve(null);
        this.textFailed = true;
        this.options.degrade({ component: 'text-similarity', reason: `${message(error)}; lists rank by ${this.fallbackName()} instead` });
      }
    }
    // The catalog index has no vectors: rank() finds no query and returns the popularity list.
    const ranking = await rank(events, this.options.catalog, NO_SCORER, { k, exclude });
    return { ...ranking, steered: false, ranker: this.fallbackName() };
  }

  /** Why `itemId` would be recommended: in the Thought Space when it covers the item, else by text, else popularity. */
  async explain(events: readonly PulseEvent[], itemId: string): Promise<Why> {
    if (!this.options.catalog.indexOf.has(itemId)) throw new RangeError(`unknown item id "${itemId}"`);
    const inSpace = await this.space?.explain(events, itemId);
    if (inSpace) return inSpace;
    const text = await this.textRanker();
    return text ? explainByText(events, text.index, itemId) : POPULAR;
  }
}

/** Never called: a vector-less index never yields a query to score. */
const NO_SCORER: Scorer = {
  score: () => Promise.reject(new Error('the catalog index has no vectors to score')),
};
