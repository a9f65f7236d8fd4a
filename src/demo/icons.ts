/**
 * Inline SVG icons drawn here (no icon font, no CDN: the page requests nothing from
 * other origins). Paths are constants, never data, and built with createElementNS.
 */
/** The SVG namespace name (an identifier the DOM requires, never fetched). */
const SVG_NS = 'http://www.w3.org/2000/svg';

const PATHS = {
  like: ['M7 10v11', 'M15 5.9 14 10h5.8a2 2 0 0 1 1.9 2.6l-2.3 7A2 2 0 0 1 17.5 21H4a1 1 0 0 1-1-1v-9a1 1 0 0 1 1-1h2.8a2 2 0 0 0 1.8-1.1L12 2a3.1 3.1 0 0 1 3 3.9Z'],
  dislike: ['M17 14V3', 'M9 18.1 10 14H4.2a2 2 0 0 1-1.9-2.6l2.3-7A2 2 0 0 1 6.5 3H20a1 1 0 0 1 1 1v9a1 1 0 0 1-1 1h-2.8a2 2 0 0 0-1.8 1.1L12 22a3.1 3.1 0 0 1-3-3.9Z'],
  dismiss: ['M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18Z', 'm5.6 5.6 12.8 12.8'],
  star: ['M12 2.5l2.9 6 6.6.9-4.8 4.6 1.2 6.5L12 17.4l-5.9 3.1 1.2-6.5-4.8-4.6 6.6-.9Z'],
  close: ['M18 6 6 18', 'm6 6 12 12'],
  sparkle: ['M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8Z', 'M19 16l.8 2.2L22 19l-2.2.8L19 22l-.8-2.2L16 19l2.2-.8Z'],
} as const;

export type IconName = keyof typeof PATHS;

/** One drawn copy per icon, cloned for each use: cloning beats building ~200 icons on a page of cards. */
const drawn = new Map<IconName, SVGSVGElement>();

export function icon(name: IconName, className = 'icon'): SVGSVGElement {
  let original = drawn.get(name);
  if (!original) {
    original = document.createElementNS(SVG_NS, 'svg');
    original.setAttribute('viewBox', '0 0 24 24');
    original.setAttribute('aria-hidden', 'true');
    original.setAttribute('focusable', 'false');
    for (const d of PATHS[name]) {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      original.append(path);
    }
    drawn.set(name, original);
  }
  const svg = original.cloneNode(true) as SVGSVGElement;
  svg.setAttribute('class', className);
  return svg;
}
