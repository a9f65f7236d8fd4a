/**
 * <pulse-recs k="8" placement="home|product|cart" item-id="…">: a list of recommendations
 * with their reasons. Loads nothing until it nears the viewport; every widget on a page
 * shares the page's one Pulse worker. Reference: docs/embed.md.
 *
 * Events (bubbling, composed): pulse:ready {status}, pulse:recommendations {items, strategy,
 * backend, placement}, pulse:click {itemId, item, position, placement} (cancelable:
 * preventDefault keeps the page from following the link), pulse:error {message}.
 */
import type { PulseStatus } from '../client/api.ts';
import type { RecommendResult } from '../core/types.ts';
import { trackThenFollow } from './follow-link.ts';
import type { Host } from './host.ts';
import { parseItemIds, parseK, parsePlacement, placementContext } from './placement.ts';
import { cardData, defaultCard, templateCard, type CardData } from './recs-card.ts';
import { recsStyleSheet } from './recs-styles.ts';

export type RecsState = 'idle' | 'loading' | 'ready' | 'empty' | 'error';

const TEXT = {
  heading: 'Recommended for you',
  loading: 'Loading recommendations…',
  empty: 'No recommendations yet.',
  error: 'Recommendations are unavailable right now.',
};
/** History changes (this tab or another) arrive in bursts; one refresh per burst. */
const REFRESH_DEBOUNCE_MS = 100;
/** The observer's margin: a widget this close to the viewport counts as seen. */
const NEAR_PX = 200;

/** Whether the element is rendered within NEAR_PX of the viewport (what the observer would report). */
function nearViewport(element: Element): boolean {
  if (element.getClientRects().length === 0) return false; // not rendered: display none, or in a hidden subtree
  const rect = element.getBoundingClientRect();
  const view = element.ownerDocument.defaultView;
  if (!view) return false;
  return rect.bottom >= -NEAR_PX && rect.top <= view.innerHeight + NEAR_PX && rect.right >= -NEAR_PX && rect.left <= view.innerWidth + NEAR_PX;
}

export function defineRecsElement(host: Host, registry: CustomElementRegistry = customElements): void {
  if (registry.get('pulse-recs')) return;

  class PulseRecs extends HTMLElement {
    static observedAttributes = ['k', 'placement', 'item-id'];
    private readonly root: ShadowRoot;
    private readonly list: HTMLUListElement;
    private readonly status: HTMLElement;
    private readonly statusText: HTMLSlotElement;
    private readonly headingSlot: HTMLSlotElement;
    /** The shop's words: from init at first, from pulse.config.json once Pulse has started. */
    private texts = host.config.texts;
    private cards: CardData[] = [];
    private visible = false;
    private announcedReady = false;
    private generation = 0;
    private refreshTimer: ReturnType<typeof setTimeout> | undefined;
    private unsubscribe: (() => void) | null = null;
    private observer: IntersectionObserver | null = null;

    constructor() {
      super();
      this.root = this.attachShadow({ mode: 'open' });
      this.root.adoptedStyleSheets = [recsStyleSheet()];
      const doc = this.ownerDocument;
      const section = doc.createElement('section');
      section.setAttribute('part', 'container');
      const heading = doc.createElement('h2');
      heading.setAttribute('part', 'heading');
      heading.id = 'heading';
      const headingSlot = doc.createElement('slot');
      headingSlot.name = 'heading';
      headingSlot.textContent = host.config.texts?.heading ?? TEXT.heading;
      this.headingSlot = headingSlot;
      heading.append(headingSlot);
      section.setAttribute('aria-labelledby', 'heading');
      this.status = doc.createElement('p');
      this.status.setAttribute('part', 'status');
      this.status.setAttribute('role', 'status');
      // A slot per state lets a shop word its own messages (slot="loading|empty|error").
      this.statusText = doc.createElement('slot');
      this.status.append(this.statusText);
      this.list = doc.createElement('ul');
      this.list.setAttribute('part', 'list');
      // Explicit: `list-style: none` makes some screen readers drop list semantics.
      this.list.setAttribute('role', 'list');
      const cardsSlot = doc.createElement('slot');
      cardsSlot.name = 'cards';
      section.append(heading, this.status, this.list, cardsSlot);
      this.root.append(section);
      this.addEventListener('click', (event) => this.onClick(event));
      this.addEventListener('keydown', (event) => this.onKey(event));
    }

    /** idle | loading | ready | empty | error, also reflected as the `state` attribute. */
    get state(): RecsState {
      return (this.getAttribute('state') as RecsState | null) ?? 'idle';
    }

    connectedCallback(): void {
      if (this.visible) {
        // Moved or re-attached: attributes may have changed while it was out of the document.
        this.subscribe();
        return this.scheduleRefresh();
      }
      this.setState('idle');
      // Lazy: nothing loads for a widget far below the fold.
      this.observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          this.observer?.disconnect();
          this.observer = null;
          this.visible = true;
          this.subscribe();
          void this.refresh();
        },
        { rootMargin: `${NEAR_PX}px` },
      );
      this.observer.observe(this);
      // Already near the screen (a product page's widget): the worker and the runtime start as
      // soon as the queued calls have run, not when the observer first reports, which waits for
      // a rendered frame (measured 50–300 ms after pulse.js ran: bench/boot-breakdown.ts). The
      // list itself still starts from the observer, as before.
      // A task of its own, not pulse.js's: its layout read and the worker's start stay out of
      // the script's evaluation (one task, kept short).
      void host.queueRun.then(() =>
        setTimeout(() => {
          if (!this.isConnected || this.visible || !nearViewport(this)) return;
          host.startWorker();
          host.runtime().catch(() => {}); // the widget's refresh reports a failed start
        }, 0),
      );
    }

    disconnectedCallback(): void {
      this.observer?.disconnect();
      this.observer = null;
      this.unsubscribe?.();
      this.unsubscribe = null;
      clearTimeout(this.refreshTimer);
    }

    attributeChangedCallback(_name: string, before: string | null, after: string | null): void {
      if (before !== after && this.visible) this.scheduleRefresh();
    }

    /** Re-ranks now (e.g. after the shop changed something the widget cannot see). */
    async refresh(): Promise<void> {
      const generation = ++this.generation;
      // Re-ranking is loading too: the cards shown stay (no flash) but are no longer "ready".
      this.setState('loading');
      this.setAttribute('aria-busy', 'true');
      try {
        // This widget will ask for a list: the worker starts now, beside the runtime's import.
        host.startWorker();
        const runtime = await host.runtime();
        // The shop's pulse.config.json is read when Pulse starts, after this element was made.
        this.texts = runtime.config.texts;
        if (this.texts?.heading) this.headingSlot.textContent = this.texts.heading;
        this.subscribe();
        const status = await runtime.client.ready;
        if (!this.announcedReady) {
          this.announcedReady = true;
          this.emit<{ status: PulseStatus }>('pulse:ready', { status });
        }
        // A newer refresh (an attribute the page set, an event just tracked) started while this
        // one waited for the worker: only the newest list is shown, so only it is ranked. On a
        // product page three lists queued here, and the first personal one waited for all three.
        if (generation !== this.generation) return;
        const placement = parsePlacement(this.getAttribute('placement'));
        const result: RecommendResult = await runtime.client.recommend({
          k: parseK(this.getAttribute('k')),
          context: placementContext(placement, parseItemIds(this.getAttribute('item-id'))),
        });
        if (generation !== this.generation) return;
        const page = this.ownerDocument.location?.href ?? '';
        const cards = await Promise.all(result.items.map(async (rec, i) => cardData(rec, await runtime.item(rec.id), i, page, this.texts)));
        if (generation !== this.generation) return;
        this.render(cards);
        this.emit('pulse:recommendations', {
          items: cards.map(({ id, title, why, url, position, item }) => ({ id, title, why, url, position, item })),
          strategy: result.strategy,
          backend: result.backend,
          placement,
        });
      } catch (error) {
        if (generation !== this.generation) return;
        // A PulseError carries the worker-side class (CatalogError, ItemVectorsError …) as kind.
        const kind = error instanceof Error ? ((error as Error & { kind?: string }).kind ?? error.name) : 'Error';
        const message = error instanceof Error ? `${kind}: ${error.message}` : String(error);
        this.cards = [];
        this.render([]);
        this.setState('error');
        this.emit('pulse:error', { message });
        console.error(`Pulse <pulse-recs>: ${message}`);
      } finally {
        if (generation === this.generation) this.removeAttribute('aria-busy');
      }
    }

    private subscribe(): void {
      if (this.unsubscribe || !host.started) return;
      void host.runtime().then((runtime) => {
        if (this.unsubscribe || !this.isConnected) return;
        // New events here or in another tab of the shop change what fits.
        this.unsubscribe = runtime.client.on('history', () => this.scheduleRefresh());
      }, () => {});
    }

    private scheduleRefresh(): void {
      clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), REFRESH_DEBOUNCE_MS);
    }

    private render(cards: CardData[]): void {
      this.cards = cards;
      const template = this.querySelector<HTMLTemplateElement>(':scope > template');
      const doc = this.ownerDocument;
      this.querySelector(':scope > [data-pulse-cards]')?.remove();
      if (template) {
        // The shop's own cards live in the light DOM, where the shop's CSS reaches them.
        const container = doc.createElement('div');
        container.slot = 'cards';
        container.dataset.pulseCards = '';
        container.setAttribute('role', 'list');
        container.append(...cards.map((card) => templateCard(template, card)));
        this.list.replaceChildren();
        this.list.hidden = true;
        this.append(container);
      } else {
        this.list.hidden = false;
        this.list.replaceChildren(...cards.map((card) => defaultCard(doc, card)));
      }
      this.setState(cards.length > 0 ? 'ready' : 'empty');
    }

    private setState(state: RecsState): void {
      this.setAttribute('state', state);
      const message = state === 'loading' || state === 'empty' || state === 'error' ? state : null;
      this.statusText.name = message ?? '';
      this.statusText.textContent = message ? (this.texts?.[message] ?? TEXT[message]) : '';
      // While cards from the last ranking are on screen, a re-rank says so by state and aria-busy alone.
      this.status.hidden = message === null || (state === 'loading' && this.cards.length > 0);
    }

    private emit<T>(type: string, detail: T, cancelable = false): boolean {
      return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
    }

    private cardOf(event: Event): { element: HTMLElement; card: CardData } | null {
      for (const node of event.composedPath()) {
        if (node === this) break;
        const id = node instanceof HTMLElement ? node.dataset.itemId : undefined;
        const card = id !== undefined ? this.cards.find((c) => c.id === id) : undefined;
        if (card) return { element: node as HTMLElement, card };
      }
      return null;
    }

    private onClick(event: MouseEvent): void {
      const hit = this.cardOf(event);
      if (!hit) return;
      const { card, element } = hit;
      const placement = parsePlacement(this.getAttribute('placement'));
      const proceed = this.emit('pulse:click', { itemId: card.id, item: card.item, position: card.position, placement }, true);
      const write = host.runtime().then((runtime) => runtime.client.track({ type: 'click', itemId: card.id }));
      write.catch((error: unknown) => console.error('Pulse: could not record a click:', error));
      if (!proceed) {
        event.preventDefault();
        return;
      }
      trackThenFollow(event, element instanceof HTMLAnchorElement ? element : element.closest('a'), write);
    }

    /** Arrow keys move between cards; Home and End jump to the ends. */
    private onKey(event: KeyboardEvent): void {
      const keys = ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'Home', 'End'];
      if (!keys.includes(event.key)) return;
      const focusables = [
        ...this.root.querySelectorAll<HTMLElement>('[data-item-id]'),
        ...this.querySelectorAll<HTMLElement>(':scope > [data-pulse-cards] [data-item-id]'),
      ].filter((element) => !element.closest('[hidden]'));
      const active = this.root.activeElement ?? this.ownerDocument.activeElement;
      const index = focusables.findIndex((element) => element === active || element.contains(active));
      if (index < 0 || focusables.length === 0) return;
      const last = focusables.length - 1;
      const next =
        event.key === 'Home' ? 0 : event.key === 'End' ? last : event.key === 'ArrowRight' || event.key === 'ArrowDown' ? Math.min(index + 1, last) : Math.max(index - 1, 0);
      event.preventDefault();
      focusables[next]!.focus();
    }
  }

  registry.define('pulse-recs', PulseRecs);
}
