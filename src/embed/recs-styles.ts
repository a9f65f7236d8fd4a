/**
 * The widget's default look. Adopted as a constructed stylesheet, which a strict
 * style-src policy allows (an inline <style> would need 'unsafe-inline'). Shops theme it
 * with the custom properties below, or restyle any ::part().
 */
export const RECS_CSS = `
:host {
  display: block;
  font: var(--pulse-font, inherit);
  color: var(--pulse-color, inherit);
}
:host([hidden]) { display: none; }
[part~='heading'] { font-size: var(--pulse-heading-size, 1.1em); margin: 0 0 0.6em; }
[part~='status'] { color: var(--pulse-muted, #666); margin: 0.4em 0; }
[part~='status']:empty { display: none; }
[part~='list'] {
  list-style: none; margin: 0; padding: 0; display: grid; gap: var(--pulse-gap, 12px);
  grid-template-columns: repeat(auto-fill, minmax(var(--pulse-card-width, 160px), 1fr));
}
[part~='link'] {
  display: flex; flex-direction: column; gap: 4px; width: 100%; height: 100%; box-sizing: border-box;
  padding: var(--pulse-card-padding, 10px); text-align: start; font: inherit; color: inherit; text-decoration: none;
  background: var(--pulse-card-background, transparent); border: 1px solid var(--pulse-border, #ddd);
  border-radius: var(--pulse-radius, 8px); cursor: pointer;
}
[part~='link']:hover { border-color: var(--pulse-accent, #333); }
[part~='link']:focus-visible { outline: 2px solid var(--pulse-accent, #333); outline-offset: 2px; }
[part~='image'] { width: 100%; aspect-ratio: var(--pulse-image-ratio, 2 / 3); object-fit: cover; border-radius: calc(var(--pulse-radius, 8px) / 2); }
[part~='title'] { font-weight: 600; }
[part~='meta'], [part~='why'] { font-size: 0.85em; color: var(--pulse-muted, #666); }
[part~='meta']:empty { display: none; }
`;

let sheet: CSSStyleSheet | null = null;
export function recsStyleSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(RECS_CSS);
  }
  return sheet;
}
