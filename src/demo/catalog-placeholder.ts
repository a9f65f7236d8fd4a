/** What the browse grid shows before the catalog arrives, or if it cannot be loaded. */
import { byId, el } from './dom.ts';

const SKELETON_CARDS = 12;

export function showCatalogLoading(): void {
  byId('catalog').dataset.state = 'loading';
  byId('result-count').textContent = 'Loading the catalog…';
  byId('catalog-grid').replaceChildren(
    ...Array.from({ length: SKELETON_CARDS }, () =>
      el('div', { class: 'card card--skeleton', 'aria-hidden': 'true' }, el('span', { class: 'skeleton skeleton--poster' }), el('span', { class: 'skeleton skeleton--line' }), el('span', { class: 'skeleton skeleton--line short' })),
    ),
  );
}

export function showCatalogError(message: string): void {
  byId('catalog').dataset.state = 'error';
  byId('result-count').textContent = '';
  byId('page-info').textContent = '';
  byId('catalog-grid').replaceChildren(
    el('div', { class: 'empty empty--error', role: 'alert' }, el('p', { class: 'empty__title' }, 'The catalog could not be loaded'), el('p', {}, message)),
  );
}
