/**
 * One movie in the browse grid: poster, title, year and genres (one "view" button
 * opens the detail), the rating controls, and a badge with what the shopper did.
 */
import type { CatalogItem } from '../core/types.ts';
import { formatPrice } from '../core/price.ts';
import { el, isolated } from './dom.ts';
import { actionControls, showActionState } from './item-actions.ts';
import { stateLabel, stateName } from './item-state.ts';
import type { ItemState } from './item-state.ts';
import { poster } from './poster.ts';

export function itemMeta(item: CatalogItem): string {
  const parts: string[] = [];
  if (item.year !== null) parts.push(String(item.year));
  if (item.categories.length > 0) parts.push(item.categories.slice(0, 3).join(', '));
  if (item.price !== undefined) parts.push(formatPrice(item.price, item.currency));
  return parts.join(' · ');
}

export function itemCard(item: CatalogItem, state: Readonly<ItemState>): HTMLElement {
  const open = el(
    'button',
    { type: 'button', class: 'card__open', 'data-action': 'view', 'aria-expanded': 'false' },
    el('span', { class: 'card__poster' }, poster(item, 'card')),
    el('span', { class: 'card__title', title: item.title }, isolated(item.title)),
    el('span', { class: 'card__meta' }, itemMeta(item)),
  );
  const card = el(
    'article',
    { class: 'card', 'data-item-id': item.id },
    open,
    el('span', { class: 'card__badge', 'aria-live': 'polite' }),
    actionControls(item.title, 'compact'),
  );
  showCardState(card, state);
  return card;
}

/** Updates an existing card in place (keeps focus on the button just pressed). */
export function showCardState(card: HTMLElement, state: Readonly<ItemState>): void {
  const name = stateName(state);
  card.dataset.state = name;
  if (state.rating !== null && !state.dismissed) card.dataset.rating = String(state.rating);
  else delete card.dataset.rating;
  const badge = card.querySelector<HTMLElement>('.card__badge');
  if (badge) {
    const label = stateLabel(state);
    badge.textContent = label ?? '';
    badge.hidden = label === null;
  }
  showActionState(card, state);
}
