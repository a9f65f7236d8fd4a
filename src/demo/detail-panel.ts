/**
 * A movie's detail, opened inline (below the clicked card's row, or below the rail)
 * rather than as a modal: nothing on the page is covered or blocked while it is open.
 * Shows why Pulse thinks it fits (`explain`) and the same rating controls as a card.
 */
import type { PulseClient } from '../client/api.ts';
import type { CatalogItem, Why } from '../core/types.ts';
import { el, isolated } from './dom.ts';
import { errorMessage, formatCount } from './format.ts';
import { icon } from './icons.ts';
import { actionAt, actionControls, showActionState } from './item-actions.ts';
import type { ItemAction } from './item-actions.ts';
import { stateName } from './item-state.ts';
import type { ItemState } from './item-state.ts';
import { poster } from './poster.ts';
import type { ShopperHistory } from './shopper-history.ts';

export class DetailPanel {
  readonly element: HTMLElement;
  private item: CatalogItem | null = null;
  private placement: { anchor: HTMLElement; mode: 'row' | 'after' } | null = null;
  /** Bumped on every open, so a slow `explain` for a previous movie is dropped. */
  private generation = 0;

  constructor(
    private readonly pulse: PulseClient,
    private readonly history: ShopperHistory,
    private readonly onAction: (item: CatalogItem, action: ItemAction) => void,
  ) {
    this.element = el('section', { id: 'detail', class: 'detail', 'aria-label': 'Movie details', tabindex: '-1' });
    this.element.hidden = true;
    this.element.addEventListener('click', (event) => {
      if (event.target instanceof Element && event.target.closest('[data-detail-close]')) {
        this.close(true);
        return;
      }
      const hit = actionAt(event.target);
      if (hit && this.item) this.onAction(this.item, hit.action);
    });
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close(true);
    });
    history.onChange(() => this.showState());
    // The grid's columns change with the width; keep the panel under the right row.
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => this.place(), 150);
    });
  }

  openItemId(): string | null {
    return this.item?.id ?? null;
  }

  /**
   * `row`: `anchor` is a grid card; the panel goes after the last card of its row.
   * `after`: the panel goes right after `anchor`.
   */
  open(item: CatalogItem, anchor: HTMLElement, mode: 'row' | 'after'): void {
    const generation = ++this.generation;
    this.markAnchor(false);
    this.item = item;
    this.placement = { anchor, mode };
    this.markAnchor(true);
    this.render(item);
    this.element.hidden = false;
    this.place();
    this.showState();
    const smooth = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    this.element.scrollIntoView({ block: 'nearest', behavior: smooth ? 'smooth' : 'auto' });
    void this.loadWhy(item, generation);
  }

  /** `restoreFocus`: after a shopper closes it, put focus back where they were. */
  close(restoreFocus = false): void {
    if (!this.item) return;
    const anchor = this.placement?.anchor;
    this.markAnchor(false);
    this.generation++;
    this.item = null;
    this.placement = null;
    this.element.hidden = true;
    this.element.remove();
    if (restoreFocus && anchor?.isConnected) anchor.querySelector<HTMLElement>('[data-action="view"], [data-rec-action="view"]')?.focus();
  }

  /** The card whose detail is open is highlighted and its button says it is expanded. */
  private markAnchor(open: boolean): void {
    const placement = this.placement;
    if (!placement || placement.mode !== 'row') return;
    placement.anchor.classList.toggle('is-open', open);
    placement.anchor.querySelector('[data-action="view"]')?.setAttribute('aria-expanded', String(open));
  }

  private place(): void {
    const placement = this.placement;
    if (!placement || !placement.anchor.isConnected) return;
    if (placement.mode === 'after') {
      placement.anchor.after(this.element);
      return;
    }
    // Measure without the panel in the grid, then insert after the row's last card.
    this.element.remove();
    const top = placement.anchor.offsetTop;
    let last: Element = placement.anchor;
    for (let next = last.nextElementSibling; next instanceof HTMLElement && next.offsetTop === top; next = next.nextElementSibling) {
      last = next;
    }
    last.after(this.element);
  }

  private render(item: CatalogItem): void {
    const facts: string[] = [];
    if (item.year !== null) facts.push(String(item.year));
    if (item.popularity !== undefined) facts.push(`${formatCount(item.popularity)} ratings on MovieLens`);
    this.element.dataset.detailItemId = item.id;
    this.element.replaceChildren(
      el('div', { class: 'detail__poster' }, poster(item, 'detail')),
      el(
        'div',
        { class: 'detail__body' },
        el('button', { type: 'button', class: 'detail__close', 'data-detail-close': '', 'aria-label': 'Close details', title: 'Close' }, icon('close')),
        el('p', { class: 'detail__eyebrow' }, facts.join(' · ')),
        el('h2', { class: 'detail__title' }, isolated(item.title)),
        el('ul', { class: 'tags', 'aria-label': 'Genres' }, ...item.categories.map((genre) => el('li', { class: 'tag' }, genre))),
        el(
          'div',
          { class: 'why why--loading', id: 'detail-why', 'aria-live': 'polite' },
          icon('sparkle'),
          el('span', {}, 'Asking the on-device model why this might suit you…'),
        ),
        actionControls(item.title, 'wide'),
        el('p', { class: 'detail__state', id: 'detail-state' }),
      ),
    );
  }

  private showState(): void {
    if (!this.item) return;
    const state = this.history.state(this.item.id);
    showActionState(this.element, state);
    this.element.dataset.state = stateName(state);
    const line = this.element.querySelector('#detail-state');
    if (line) line.textContent = describeState(state);
  }

  private async loadWhy(item: CatalogItem, generation: number): Promise<void> {
    let text: string;
    let kind = 'error';
    try {
      const why: Why = await this.pulse.explain(item.id);
      kind = why.kind;
      // The view just recorded can make an item "similar to itself"; say so plainly.
      text = why.kind === 'similar' && why.itemId === item.id ? 'It is already in your history on this device, so Pulse uses it to find more like it.' : why.text;
    } catch (error) {
      text = `No explanation available: ${errorMessage(error)}`;
    }
    if (generation !== this.generation) return;
    const box = this.element.querySelector<HTMLElement>('#detail-why');
    if (!box) return;
    box.className = `why why--${kind}`;
    box.dataset.whyKind = kind;
    box.replaceChildren(icon('sparkle'), el('span', {}, isolated(text)));
  }
}

function describeState(state: Readonly<ItemState>): string {
  const parts: string[] = [];
  if (state.dismissed) parts.push('marked not interested');
  else if (state.liked) parts.push('liked');
  else if (state.disliked) parts.push('disliked');
  else if (state.rating !== null) parts.push(`rated ${state.rating} of 5`);
  if (state.views > 0) parts.push(state.views === 1 ? 'opened once' : `opened ${state.views} times`);
  return parts.length === 0 ? 'Not in your history yet.' : `In your history: ${parts.join(', ')}.`;
}
