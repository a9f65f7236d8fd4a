/**
 * Tracks a click on a link without losing it: a page that unloads may abort an IndexedDB
 * write still in flight, so a plain left click waits for the write (at most WAIT_MS) and then
 * follows the link itself. Clicks that open a new tab leave this page alive and are not held.
 */
const WAIT_MS = 400;

export function isPlainClick(event: MouseEvent): boolean {
  return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
}

export function trackThenFollow(event: MouseEvent, link: HTMLAnchorElement | null, write: Promise<unknown>): void {
  const href = link?.href;
  const sameTab = !link?.target || link.target === '_self';
  if (!link || !href || !sameTab || link.hasAttribute('download') || !isPlainClick(event) || event.defaultPrevented) return;
  event.preventDefault();
  const timeout = new Promise((resolve) => setTimeout(resolve, WAIT_MS));
  void Promise.race([write.catch(() => {}), timeout]).then(() => location.assign(href));
}
