/**
 * "Your history": what Pulse has stored about the shopper, newest first, with the two
 * rights that make local-only storage real — take it with you (export) and erase it.
 */
import type { PulseClient } from '../client/api.ts';
import type { CatalogItem } from '../core/types.ts';
import { byId, el, isolated } from './dom.ts';
import { errorMessage, formatAgo, formatCount, plural } from './format.ts';
import { describeEvent } from './item-state.ts';
import type { ShopperHistory } from './shopper-history.ts';

/** A long history stays readable; the export always has all of it. */
const SHOWN_EVENTS = 100;
const CLOCK_MS = 30_000;

/**
 * Fills a <time>'s tooltip on demand: toLocaleString is the page's first use of ICU, a 50 ms+
 * task on a slow machine, so it waits for a shopper who points at the time.
 */
function showTimeTitle(event: Event): void {
  const time = event.target instanceof Element ? event.target.closest('time[datetime]') : null;
  if (time && !time.hasAttribute('title')) time.setAttribute('title', new Date(time.getAttribute('datetime') ?? '').toLocaleString());
}

export class PrivacyPanel {
  private readonly section = byId('privacy');
  private readonly count = byId('history-count');
  private readonly list = byId('history-list');
  private readonly empty = byId('history-empty');
  private readonly more = byId('history-more');
  private readonly exportButton = byId<HTMLButtonElement>('export-history');
  private readonly forgetButton = byId<HTMLButtonElement>('forget-history');
  private catalog: ReadonlyMap<string, CatalogItem> = new Map();

  constructor(
    private readonly pulse: PulseClient,
    private readonly history: ShopperHistory,
    private readonly notify: (message: string, kind?: 'info' | 'error') => void,
  ) {
    history.onChange(() => this.render());
    this.list.addEventListener('pointerover', showTimeTitle);
    this.list.addEventListener('focusin', showTimeTitle);
    this.exportButton.addEventListener('click', () => void this.exportJson());
    this.forgetButton.addEventListener('click', () => void this.forget());
    // "2 min ago" must not go stale while the page stays open.
    setInterval(() => this.render(), CLOCK_MS);
    this.render();
  }

  /** The catalog by id (main.ts builds it once for every panel). */
  setCatalog(byId: ReadonlyMap<string, CatalogItem>): void {
    this.catalog = byId;
    this.render();
  }

  private render(): void {
    const events = this.history.events();
    const loaded = this.history.loaded() || events.length > 0;
    this.section.dataset.count = String(events.length);
    this.count.textContent = loaded ? plural(events.length, 'event') : 'Reading…';
    this.exportButton.disabled = events.length === 0;
    this.forgetButton.disabled = events.length === 0;
    this.empty.hidden = !loaded || events.length > 0;

    const now = Date.now();
    const newest = [...events].reverse().slice(0, SHOWN_EVENTS);
    this.list.replaceChildren(
      ...newest.map((event) => {
        const title = this.catalog.get(event.itemId)?.title ?? `Item ${event.itemId}`;
        return el(
          'li',
          { class: `event event--${event.type}`, 'data-event-type': event.type, 'data-event-item-id': event.itemId },
          el('span', { class: 'event__verb' }, describeEvent(event)),
          el('span', { class: 'event__title', title }, isolated(title)),
          // The local date and time as a tooltip, written when first pointed at (showTimeTitle).
          el('time', { class: 'event__time', datetime: new Date(event.ts).toISOString() }, formatAgo(event.ts, now)),
        );
      }),
    );
    const hidden = events.length - newest.length;
    this.more.hidden = hidden <= 0;
    this.more.textContent = hidden > 0 ? `…and ${formatCount(hidden)} older ${hidden === 1 ? 'event' : 'events'}, all included in the export.` : '';
  }

  private async exportJson(): Promise<void> {
    try {
      const json = await this.pulse.exportHistory();
      // A Blob URL is same-origin: the file is made here and never travels.
      const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
      const link = el('a', { href: url, download: `pulse-history-${new Date().toISOString().slice(0, 10)}.json` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.notify('Your history was saved as a JSON file.');
    } catch (error) {
      this.notify(`Export failed: ${errorMessage(error)}`, 'error');
    }
  }

  private async forget(): Promise<void> {
    const n = this.history.events().length;
    if (!window.confirm(`Delete all ${plural(n, 'event')} Pulse stored in this browser? This cannot be undone.`)) return;
    this.forgetButton.disabled = true;
    try {
      await this.history.forget();
      this.notify('Done — Pulse holds nothing about you on this device any more.');
    } catch (error) {
      this.notify(`Could not delete the history: ${errorMessage(error)}`, 'error');
      this.render();
    }
  }
}
