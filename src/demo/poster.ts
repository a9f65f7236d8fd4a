/**
 * A generated poster: the catalog has no images, and the page may load nothing from
 * other origins, so each movie gets a gradient coloured by its genres, a pattern and
 * its title's initials. Deterministic (hash of the id), so a movie always looks the same.
 */
import type { CatalogItem } from '../core/types.ts';
import { fnv1a } from '../core/hash.ts';
import { el } from './dom.ts';

/** A hue per genre, chosen so that the mood reads at a glance (horror red, sci-fi cyan …). */
const GENRE_HUES: Record<string, number> = {
  Action: 12,
  Adventure: 32,
  Animation: 175,
  Children: 48,
  Comedy: 42,
  Crime: 222,
  Documentary: 155,
  Drama: 262,
  Fantasy: 290,
  'Film-Noir': 215,
  Horror: 350,
  IMAX: 200,
  Musical: 318,
  Mystery: 245,
  Romance: 335,
  'Sci-Fi': 188,
  Thriller: 4,
  War: 85,
  Western: 26,
};

/** Muted genres get less saturation, so noir looks like noir. */
const MUTED = new Set(['Film-Noir', 'Documentary', 'War']);
const PATTERNS = ['stripes', 'rings', 'grid', 'glow'] as const;
const SKIPPED_WORDS = new Set(['the', 'a', 'an', 'la', 'le', 'les', 'el', 'der', 'die', 'das', 'of', 'and']);

export interface PosterStyle {
  hue1: number;
  hue2: number;
  saturation: number;
  angle: number;
  pattern: (typeof PATTERNS)[number];
  initials: string;
}

/** Up to two letters: first letters of the first significant words, alternate titles dropped. */
export function initials(title: string): string {
  const main = title.replace(/\s*\(.*$/, '').trim() || title;
  const words = main.split(/[\s:\-–—/]+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  const significant = words.filter((w) => !SKIPPED_WORDS.has(w.toLowerCase()));
  const chosen = (significant.length > 0 ? significant : words).slice(0, 2);
  return chosen
    .map((w) => (w.match(/[\p{L}\p{N}]/u)?.[0] ?? '').toLocaleUpperCase())
    .join('');
}

export function posterStyle(item: Pick<CatalogItem, 'id' | 'title' | 'categories'>): PosterStyle {
  const h = fnv1a(`${item.id}\u0000${item.title}`);
  const jitter = (h % 25) - 12;
  const known = item.categories.filter((g) => g in GENRE_HUES);
  const first = known[0];
  const second = known[1];
  const hue1 = ((first !== undefined ? GENRE_HUES[first]! : h % 360) + jitter + 360) % 360;
  const hue2 = second !== undefined ? (GENRE_HUES[second]! - jitter + 360) % 360 : (hue1 + 35 + ((h >>> 8) % 30)) % 360;
  const saturation = first !== undefined && MUTED.has(first) ? 28 : 62 + ((h >>> 4) % 16);
  return {
    hue1,
    hue2,
    saturation,
    angle: 120 + ((h >>> 12) % 120),
    pattern: PATTERNS[(h >>> 20) % PATTERNS.length]!,
    initials: initials(item.title),
  };
}

/** The poster element; `size` only changes the type scale (CSS). */
export function poster(item: CatalogItem, size: 'card' | 'rail' | 'detail' = 'card'): HTMLElement {
  const style = posterStyle(item);
  const node = el(
    'div',
    { class: `poster poster--${size}`, 'data-pattern': style.pattern, 'aria-hidden': 'true' },
    el('span', { class: 'poster__initials' }, style.initials),
    el('span', { class: 'poster__caption' }, item.categories.slice(0, 2).join(' · ')),
  );
  node.style.setProperty('--h1', String(style.hue1));
  node.style.setProperty('--h2', String(style.hue2));
  node.style.setProperty('--sat', `${style.saturation}%`);
  node.style.setProperty('--angle', `${style.angle}deg`);
  return node;
}
