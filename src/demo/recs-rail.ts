/**
 * "Recommended for you": asks the worker for the top 10 after every change to the
 * history (debounced), and shows each movie with the reason Pulse picked it. Always
 * shows something: skeletons while loading, the error when it fails, never a blank.
 */
import type { PulseClient } from '../client/api.ts';
import type { CatalogItem, RecommendResult, Recommendation } from '../core/types.ts';
import { byId, el, isolated } from './dom.ts';
import { backendLabel, errorMessage, formatCount, formatMs } from './format.ts';
import { icon } from './icons.ts';
import { itemMeta } from './item-card.ts';
import { poster } from './poster.ts';
import { RailHeadline } from './rail-headline.ts';

export const RECS_K = 10;
const REFRESH_DEBOUNCE_MS = 250;
const SKELETONS = 6;

const RANKER_TEXT: Record<RecommendResult['ranker'], string> = {
  'thought-space': 'Personal — picked from what people with your taste chose, on this device',
  'text-similarity': 'Personal — by similarity to your history on this device',
  popularity: 'Popular right now — like or rate a few to personalise',
  'catalog-order': 'From the catalog — like or rate a few to personalise',
};

export class RecsRail {
  private readonly section = byId('recs');
  private readonly list = byId('recs-list');
  private readonly strategy = byId('recs-strategy');
  private readonly meta = byId('recs-meta');
  private readonly error = byId('recs-error');
  private readonly headline: RailHeadline;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the newest request may render; older answers are dropped. */
  private requestId = 0;
  private renders = 0;
  private catalog: ReadonlyMap<string, CatalogItem> | null = null;

  constructor(
    private readonly pulse: PulseClient,
    /** The catalog by id (main.ts builds it once for every panel). */
    private readonly catalogById: Promise<ReadonlyMap<string, CatalogItem>>,
    private readonly onOpen: (item: CatalogItem, anchor: HTMLElement) => void,
    private readonly onResult: (result: RecommendResult) => void,
    onHeadlineReason: (reason: string | null) => void = () => {},
  ) {
    this.headline = new RailHeadline(onHeadlineReason);
    this.showSkeletons();
    this.list.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-rec-action="view"]') : null;
      const id = button?.closest<HTMLElement>('[data-item-id]')?.dataset.itemId;
      const item = id === undefined ? undefined : this.catalog?.get(id);
      if (item) this.onOpen(item, this.section);
    });
    catalogById.then(
      (byId) => {
        this.catalog = byId;
      },
      () => {},
    );
    void this.init();
  }

  /** Re-rank soon; bursts of clicks cost one recommendation. */
  refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  async refresh(): Promise<void> {
    clearTimeout(this.timer);
    const id = ++this.requestId;
    this.section.setAttribute('aria-busy', 'true');
    this.section.classList.add('is-updating');
    try {
      const [result] = await Promise.all([this.pulse.recommend({ k: RECS_K }), this.catalogReady()]);
      if (id !== this.requestId) return;
      this.show(result);
      this.onResult(result);
      this.headlineLater(id, result);
    } catch (error) {
      if (id !== this.requestId) return;
      this.showError(errorMessage(error));
    } finally {
      if (id === this.requestId) {
        this.section.removeAttribute('aria-busy');
        this.section.classList.remove('is-updating');
      }
    }
  }

  /**
   * The list is on screen; the SLM's headline follows when written and replaces the evidence
   * statement in place (dropped if a newer list came meanwhile).
   */
  private headlineLater(id: number, result: RecommendResult): void {
    const fallback = result.rationale?.fallback;
    if (fallback !== 'loading' && fallback !== 'pending') return;
    this.headline.writing(true);
    this.pulse.rationale().then(
      (rationale) => {
        if (id !== this.requestId) return;
        this.headline.writing(false);
        this.headline.show(rationale);
      },
      () => {
        if (id === this.requestId) this.headline.writing(false);
      },
    );
  }

  private async init(): Promise<void> {
    try {
      await Promise.all([this.pulse.ready, this.catalogById]);
    } catch (error) {
      this.showError(`The recommender could not start: ${errorMessage(error)}`);
      return;
    }
    await this.refresh();
  }

  private async catalogReady(): Promise<void> {
    this.catalog ??= await this.catalogById;
  }

  private show(result: RecommendResult): void {
    this.error.hidden = true;
    this.error.textContent = '';
    // Says when the headline moved the ranking, so the shopper can tell it is not decoration.
    this.strategy.textContent = result.steered ? `${RANKER_TEXT[result.ranker]}, shaped by the summary above` : RANKER_TEXT[result.ranker];
    this.headline.show(result.rationale);
    this.section.dataset.strategy = result.strategy;
    this.section.dataset.ranker = result.ranker;
    this.section.dataset.steered = String(result.steered);
    const items = this.catalog ? this.catalog.size : 0;
    this.meta.textContent = `Ranked ${formatCount(items)} movies in ${formatMs(result.timings.scoreMs)} on ${backendLabel(result.backend)} · ${formatMs(result.timings.totalMs)} in all`;
    this.meta.title = `history ${formatMs(result.timings.historyMs)} · query ${formatMs(result.timings.queryMs)} · score ${formatMs(result.timings.scoreMs)} · total ${formatMs(result.timings.totalMs)}`;
    if (result.items.length === 0) {
      this.list.replaceChildren(
        el('li', { class: 'rail__empty' }, 'Nothing left to suggest — you have been through the whole catalog.'),
      );
    } else {
      this.list.replaceChildren(...result.items.map((rec, rank) => this.card(rec, rank)));
    }
    this.done('ready');
  }

  private card(rec: Recommendation, rank: number): HTMLElement {
    const item = this.catalog?.get(rec.id) ?? { id: rec.id, title: rec.id, text: '', categories: [], year: null };
    return el(
      'li',
      { class: 'rec', 'data-item-id': rec.id, 'data-why-kind': rec.why.kind, 'data-score': rec.score.toFixed(4) },
      el(
        'button',
        { type: 'button', class: 'rec__open', 'data-rec-action': 'view' },
        el('span', { class: 'rec__poster' }, poster(item, 'rail'), el('span', { class: 'rec__rank' }, String(rank + 1))),
        el('span', { class: 'rec__title', title: item.title }, isolated(item.title)),
        el('span', { class: 'rec__meta' }, itemMeta(item)),
      ),
      el('p', { class: 'rec__why', 'data-why': '' }, icon('sparkle'), el('span', {}, isolated(rec.why.text))),
    );
  }

  private showSkeletons(): void {
    this.section.dataset.state = 'loading';
    this.strategy.textContent = 'Loading the on-device recommender…';
    this.meta.textContent = '';
    const skeletons = Array.from({ length: SKELETONS }, () =>
      el('li', { class: 'rec rec--skeleton', 'aria-hidden': 'true' }, el('span', { class: 'skeleton skeleton--poster' }), el('span', { class: 'skeleton skeleton--line' }), el('span', { class: 'skeleton skeleton--line short' })),
    );
    this.list.replaceChildren(...skeletons);
  }

  private showError(message: string): void {
    this.error.replaceChildren(
      el('strong', {}, 'Recommendations are unavailable. '),
      el('span', { class: 'rail__error-text' }, message),
      ' ',
      this.retryButton(),
    );
    this.error.hidden = false;
    this.strategy.textContent = 'Could not rank the catalog on this device';
    this.meta.textContent = '';
    this.list.replaceChildren();
    delete this.section.dataset.strategy;
    delete this.section.dataset.ranker;
    delete this.section.dataset.steered;
    this.done('error');
  }

  private retryButton(): HTMLElement {
    const button = el('button', { type: 'button', class: 'link-button', id: 'recs-retry' }, 'Try again');
    button.addEventListener('click', () => void this.refresh());
    return button;
  }

  /** `data-refresh` counts renders so a test can wait for "the next one". */
  private done(state: 'ready' | 'error'): void {
    this.section.dataset.state = state;
    this.section.dataset.refresh = String(++this.renders);
  }
}
