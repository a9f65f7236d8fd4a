/**
 * Browse and search: the search box, sort, genre chips, one page of cards and the
 * pager. Never renders more than one page (24 cards) of the 9k movies. The first page
 * shows at once; the search keys, genre chips and sorted orders follow in slices
 * (CatalogIndex.prepare), so no task of the first render runs long.
 */
import type { CatalogItem } from '../core/types.ts';
import { CatalogIndex, isSortOrder } from './catalog-query.ts';
import type { CatalogQuery } from './catalog-query.ts';
import { byId, el } from './dom.ts';
import { nextTask } from './next-task.ts';
import { formatCount, plural } from './format.ts';
import { actionAt } from './item-actions.ts';
import type { ItemAction } from './item-actions.ts';
import { itemCard, showCardState } from './item-card.ts';
import type { ShopperHistory } from './shopper-history.ts';

export const PAGE_SIZE = 24;
/** Cards built per task: a whole page at once is a long task on a slow machine. */
const CARDS_PER_TASK = 6;
const SEARCH_DEBOUNCE_MS = 120;

export interface CatalogHandlers {
  /** A control on a card was used; `card` is the card element. */
  onAction(item: CatalogItem, action: ItemAction, card: HTMLElement): void;
  /** The grid is about to be replaced (the detail panel lives in it and must close). */
  beforeRender(): void;
}

export class CatalogView {
  private readonly section = byId('catalog');
  private readonly search = byId<HTMLInputElement>('search');
  private readonly sort = byId<HTMLSelectElement>('sort');
  private readonly chips = byId('genres');
  private readonly grid = byId('catalog-grid');
  private readonly count = byId('result-count');
  private readonly prev = byId<HTMLButtonElement>('page-prev');
  private readonly next = byId<HTMLButtonElement>('page-next');
  private readonly pageInfo = byId('page-info');
  private readonly index: CatalogIndex;
  private readonly query: CatalogQuery = { text: '', genres: new Set<string>(), sort: 'popular', page: 1, pageSize: PAGE_SIZE };
  private pages = 1;
  /** Bumped by each render: cards still to append for an older one are dropped. */
  private renderToken = 0;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  /** `itemsById`: the catalog by id (main.ts builds it once for every panel). */
  constructor(
    items: readonly CatalogItem[],
    private readonly itemsById: ReadonlyMap<string, CatalogItem>,
    private readonly history: ShopperHistory,
    private readonly handlers: CatalogHandlers,
  ) {
    this.index = new CatalogIndex(items);
    this.search.placeholder = `Search ${formatCount(items.length)} movies by title`;
    this.search.disabled = false;
    this.sort.disabled = false;
    this.chips.replaceChildren(this.chip('', 'All genres'));
    this.wire();
    this.render();
    history.onChange(() => this.showStates());
    void this.index.prepare(nextTask).then(() => {
      this.renderChips();
      this.showPressed();
    });
  }

  item(id: string): CatalogItem | undefined {
    return this.itemsById.get(id);
  }

  private wire(): void {
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = setTimeout(() => this.update({ text: this.search.value, page: 1 }), SEARCH_DEBOUNCE_MS);
    });
    // Enter applies at once (no waiting for the debounce).
    this.search.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      clearTimeout(this.searchTimer);
      this.update({ text: this.search.value, page: 1 });
    });
    this.sort.addEventListener('change', () => {
      const value = this.sort.value;
      if (isSortOrder(value)) this.update({ sort: value, page: 1 });
    });
    this.chips.addEventListener('click', (event) => {
      const chip = event.target instanceof Element ? event.target.closest<HTMLElement>('[data-genre]') : null;
      if (!chip) return;
      const genre = chip.dataset.genre ?? '';
      const genres = new Set(this.query.genres);
      if (genre === '') genres.clear();
      else if (genres.has(genre)) genres.delete(genre);
      else genres.add(genre);
      this.update({ genres, page: 1 });
    });
    this.prev.addEventListener('click', () => this.goTo(this.query.page - 1));
    this.next.addEventListener('click', () => this.goTo(this.query.page + 1));
    this.grid.addEventListener('click', (event) => {
      const hit = actionAt(event.target);
      if (!hit) return;
      const card = hit.button.closest<HTMLElement>('[data-item-id]');
      const item = card ? this.itemsById.get(card.dataset.itemId ?? '') : undefined;
      if (card && item) this.handlers.onAction(item, hit.action, card);
    });
    // "/" jumps to search, as on most storefronts.
    document.addEventListener('keydown', (event) => {
      if (event.key !== '/' || event.defaultPrevented) return;
      const target = event.target;
      if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      this.search.focus();
    });
  }

  private goTo(page: number): void {
    this.update({ page });
    // Keep the top of the new page in view; the sticky header is covered by scroll-margin.
    if (this.section.getBoundingClientRect().top < 0) this.section.scrollIntoView({ block: 'start' });
  }

  private update(change: Partial<CatalogQuery>): void {
    Object.assign(this.query, change);
    this.render();
  }

  private chip(genre: string, label: string): HTMLElement {
    return el('button', { type: 'button', class: 'chip', 'data-genre': genre, 'aria-pressed': 'false' }, label);
  }

  private renderChips(): void {
    this.chips.replaceChildren(this.chip('', 'All genres'), ...this.index.genres().map((genre) => this.chip(genre, genre)));
  }

  private showPressed(): void {
    for (const chip of this.chips.querySelectorAll<HTMLElement>('[data-genre]')) {
      const genre = chip.dataset.genre ?? '';
      const pressed = genre === '' ? this.query.genres.size === 0 : this.query.genres.has(genre);
      chip.setAttribute('aria-pressed', String(pressed));
    }
  }

  private render(): void {
    this.handlers.beforeRender();
    const page = this.index.query(this.query);
    this.query.page = page.page;
    this.pages = page.pages;

    this.showPressed();

    const token = ++this.renderToken;
    if (page.total === 0) {
      const what = this.query.text.trim();
      this.grid.replaceChildren(
        el(
          'div',
          { class: 'empty' },
          el('p', { class: 'empty__title' }, what ? `No movies match “${what}”` : 'No movies in all these genres'),
          el('p', {}, 'Try fewer genres or a shorter search.'),
        ),
      );
    } else {
      this.grid.replaceChildren(...this.cards(page.items.slice(0, CARDS_PER_TASK)));
      void this.appendCards(page.items.slice(CARDS_PER_TASK), token);
    }

    this.count.textContent =
      page.total === 0
        ? 'No matches'
        : `${formatCount(page.offset + 1)}–${formatCount(page.offset + page.items.length)} of ${plural(page.total, 'movie')}`;
    this.pageInfo.textContent = `Page ${formatCount(page.page)} of ${formatCount(page.pages)}`;
    this.prev.disabled = page.page <= 1;
    this.next.disabled = page.page >= this.pages;
    this.section.dataset.state = 'ready';
    this.section.dataset.page = String(page.page);
    this.section.dataset.total = String(page.total);
  }

  private cards(items: readonly CatalogItem[]): HTMLElement[] {
    return items.map((item) => itemCard(item, this.history.state(item.id)));
  }

  /** The rest of the page, a few cards per task, unless a newer render replaced it. */
  private async appendCards(items: readonly CatalogItem[], token: number): Promise<void> {
    for (let start = 0; start < items.length; start += CARDS_PER_TASK) {
      await nextTask();
      if (token !== this.renderToken) return;
      this.grid.append(...this.cards(items.slice(start, start + CARDS_PER_TASK)));
    }
  }

  private showStates(): void {
    for (const card of this.grid.querySelectorAll<HTMLElement>('.card[data-item-id]')) {
      showCardState(card, this.history.state(card.dataset.itemId ?? ''));
    }
  }
}
