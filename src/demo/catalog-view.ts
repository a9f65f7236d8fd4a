/**
 * Browse and search: the search box, sort, genre chips, one page of cards and the
 * pager. Never renders more than one page (24 cards) of the 9k movies.
 */
import type { CatalogItem } from '../core/types.ts';
import { CatalogIndex, isSortOrder } from './catalog-query.ts';
import type { CatalogQuery } from './catalog-query.ts';
import { byId, el } from './dom.ts';
import { formatCount, plural } from './format.ts';
import { actionAt } from './item-actions.ts';
import type { ItemAction } from './item-actions.ts';
import { itemCard, showCardState } from './item-card.ts';
import type { ShopperHistory } from './shopper-history.ts';

export const PAGE_SIZE = 24;
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
  private readonly itemsById: Map<string, CatalogItem>;
  private readonly query: CatalogQuery = { text: '', genres: new Set<string>(), sort: 'popular', page: 1, pageSize: PAGE_SIZE };
  private pages = 1;
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    items: readonly CatalogItem[],
    private readonly history: ShopperHistory,
    private readonly handlers: CatalogHandlers,
  ) {
    this.index = new CatalogIndex(items);
    this.itemsById = new Map(items.map((item) => [item.id, item]));
    this.search.placeholder = `Search ${formatCount(items.length)} movies by title`;
    this.search.disabled = false;
    this.sort.disabled = false;
    this.renderChips();
    this.wire();
    this.render();
    history.onChange(() => this.showStates());
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

  private renderChips(): void {
    const all = el('button', { type: 'button', class: 'chip', 'data-genre': '', 'aria-pressed': 'true' }, 'All genres');
    const chips = this.index.genres().map((genre) =>
      el('button', { type: 'button', class: 'chip', 'data-genre': genre, 'aria-pressed': 'false' }, genre),
    );
    this.chips.replaceChildren(all, ...chips);
  }

  private render(): void {
    this.handlers.beforeRender();
    const page = this.index.query(this.query);
    this.query.page = page.page;
    this.pages = page.pages;

    for (const chip of this.chips.querySelectorAll<HTMLElement>('[data-genre]')) {
      const genre = chip.dataset.genre ?? '';
      const pressed = genre === '' ? this.query.genres.size === 0 : this.query.genres.has(genre);
      chip.setAttribute('aria-pressed', String(pressed));
    }

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
      this.grid.replaceChildren(...page.items.map((item) => itemCard(item, this.history.state(item.id))));
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

  private showStates(): void {
    for (const card of this.grid.querySelectorAll<HTMLElement>('.card[data-item-id]')) {
      showCardState(card, this.history.state(card.dataset.itemId ?? ''));
    }
  }
}
