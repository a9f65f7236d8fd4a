/**
 * Helpers for the example-shop tests: open a shop page, wait for its widgets, read what
 * they show (through their shadow roots) and what Pulse stored, through `pulse()` only.
 */
import type { Page } from 'playwright-core';
import type { PulseEvent } from '../src/core/types.ts';

type PulseFn = (command: string, ...args: unknown[]) => Promise<unknown>;
export interface ShopWindow {
  pulse: PulseFn & { q?: unknown[]; loaded?: boolean };
  /** Filled by recordPulseEvents: every pulse:* DOM event that reached the document. */
  pulseEvents: { type: string; target: string; detail: unknown }[];
  cspViolations: string[];
}

/** Before any page script: collect pulse:* events and CSP violations on window. */
export async function recordPulseEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as ShopWindow;
    w.pulseEvents = [];
    w.cspViolations = [];
    for (const type of ['pulse:ready', 'pulse:recommendations', 'pulse:click', 'pulse:error']) {
      document.addEventListener(type, (event) => {
        const target = event.target instanceof Element ? event.target.id || event.target.localName : 'document';
        w.pulseEvents.push({ type, target, detail: JSON.parse(JSON.stringify((event as CustomEvent).detail ?? null)) });
      });
    }
    document.addEventListener('securitypolicyviolation', (event) => {
      w.cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
}

/** Waits until the widget (a CSS selector) has settled: ready, empty or error. */
export async function widgetSettled(page: Page, selector: string, timeout = 180_000): Promise<string> {
  await page.waitForFunction(
    (sel) => ['ready', 'empty', 'error'].includes(document.querySelector(sel)?.getAttribute('state') ?? ''),
    selector,
    { timeout },
  );
  return (await page.getAttribute(selector, 'state')) ?? '';
}

export interface ShownCard {
  id: string;
  title: string;
  why: string;
  href: string | null;
  alt: string | null;
}

/** The default cards of a widget, read from its shadow root. */
export function shownCards(page: Page, selector: string): Promise<ShownCard[]> {
  return page.evaluate((sel) => {
    const root = document.querySelector(sel)?.shadowRoot;
    return [...(root?.querySelectorAll<HTMLElement>('[part~="item"] [data-item-id]') ?? [])].map((link) => ({
      id: link.dataset.itemId ?? '',
      title: link.querySelector('[part~="title"]')?.textContent ?? '',
      why: link.querySelector('[part~="why"]')?.textContent ?? '',
      href: link.getAttribute('href'),
      alt: link.querySelector('img')?.getAttribute('alt') ?? null,
    }));
  }, selector);
}

export function storedHistory(page: Page): Promise<PulseEvent[]> {
  return page.evaluate(() => (window as unknown as ShopWindow).pulse('history') as Promise<PulseEvent[]>);
}

export function pulseEvents(page: Page): Promise<ShopWindow['pulseEvents']> {
  return page.evaluate(() => (window as unknown as ShopWindow).pulseEvents);
}

/**
 * Polls an async check from Node until it holds (page.waitForFunction would treat the
 * promise an async predicate returns as truthy at once).
 */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The history as "type:itemId" strings, oldest first. */
export async function historyKeys(page: Page): Promise<string[]> {
  return (await storedHistory(page)).map((event) => `${event.type}:${event.itemId}`);
}
