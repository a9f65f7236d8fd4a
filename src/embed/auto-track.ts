/**
 * Opt-in tracking from markup: nothing is recorded unless the shop marks an element with
 * `data-pulse-item="ID"`. A click on it records `click`, or the event named by
 * `data-pulse-event` (cart, purchase, like, dislike, dismiss); `data-pulse-event="view"` records a view
 * once, when the element first shows on screen.
 */
import type { EventInput, EventType } from '../core/types.ts';
import { trackThenFollow } from './follow-link.ts';

const CLICK_TYPES: readonly string[] = ['click', 'cart', 'purchase', 'like', 'dislike', 'dismiss'];

export type Track = (event: EventInput) => Promise<void>;

function marked(event: Event): HTMLElement | null {
  for (const node of event.composedPath()) {
    if (node instanceof HTMLElement && node.dataset.pulseItem !== undefined) return node;
    // Widgets track their own clicks.
    if (node instanceof HTMLElement && node.localName === 'pulse-recs') return null;
  }
  return null;
}

export function startAutoTracking(doc: Document, track: Track, onError: (error: unknown) => void): () => void {
  const record = (event: EventInput): Promise<void> => {
    const write = track(event);
    write.catch(onError);
    return write;
  };

  const onClick = (event: MouseEvent) => {
    const element = marked(event);
    const itemId = element?.dataset.pulseItem?.trim();
    if (!element || !itemId) return;
    const type = element.dataset.pulseEvent ?? 'click';
    if (!CLICK_TYPES.includes(type)) return;
    const write = record({ type: type as EventType, itemId });
    trackThenFollow(event, element.closest('a'), write);
  };
  doc.addEventListener('click', onClick);

  const seen = new WeakSet<Element>();
  const views = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const itemId = (entry.target as HTMLElement).dataset.pulseItem?.trim();
      if (!entry.isIntersecting || !itemId) continue;
      views.unobserve(entry.target);
      void record({ type: 'view', itemId });
    }
  });
  const watch = (root: ParentNode) => {
    for (const element of root.querySelectorAll('[data-pulse-item][data-pulse-event="view"]')) {
      if (seen.has(element)) continue;
      seen.add(element);
      views.observe(element);
    }
  };
  watch(doc);
  // Shops render products after load too; views of those count the same.
  const added = new MutationObserver(() => watch(doc));
  added.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-pulse-item', 'data-pulse-event'] });

  return () => {
    doc.removeEventListener('click', onClick);
    views.disconnect();
    added.disconnect();
  };
}
