import type { Page } from 'playwright-core';
/**
 * Words for the engine's developers, never for the shopper (issue 12): the steering weight α,
 * the engine's parts by their internal names, and option names. The demo's engine panel and
 * `status()` may use them; the rail, the detail panel and <pulse-recs> may not.
 */
export const ENGINE_TERMS: readonly RegExp[] = [/α/, /ToT-lite/i, /USE-lite/i, /Thought Space/i, /\bslm\b/i, /thoughtSpace/, /\benabled\s*=/, /\b(?:q4|q8|fp16|fp32|int8)\b/, /tiny-lm|pulse-slm/];

/** What the shopper reads: the page's text without the developer's engine panel (#status). */
export function shopperText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const panel = document.querySelector<HTMLElement>('#status')!;
    panel.style.display = 'none';
    const text = document.body.innerText;
    panel.style.display = '';
    return text;
  });
}
