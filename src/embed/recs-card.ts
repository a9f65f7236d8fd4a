/**
 * One recommended item as DOM: the default card, or a clone of the shop's own <template>.
 * Catalog text only ever becomes textContent or a checked URL attribute, so a title that
 * contains markup shows as characters; and it goes in as a `<bdi>` isolate with its bidi
 * controls removed, so a title cannot reorder the text drawn after it (core/bidi.ts).
 */
import { stripBidiControls } from '../core/bidi.ts';
import type { CatalogItem, Recommendation } from '../core/types.ts';
import type { ShopTexts } from './config.ts';
import { formatPrice } from '../core/price.ts';
import { safeUrl } from './safe-url.ts';

export interface CardData {
  id: string;
  position: number;
  title: string;
  why: string;
  url: string | null;
  image: string | null;
  meta: string;
  item: CatalogItem | undefined;
}

/** `texts.popular` (the shop's own words) replaces the reason of a popular item. */
export function cardData(rec: Recommendation, item: CatalogItem | undefined, position: number, pageUrl: string, texts?: ShopTexts): CardData {
  const meta = [item?.year ?? null, item?.price !== undefined ? formatPrice(item.price, item.currency) : null].filter((part) => part !== null).join(' · ');
  return {
    id: rec.id,
    position,
    title: item?.title ?? rec.id,
    why: rec.why.kind === 'popular' && texts?.popular ? texts.popular : rec.why.text,
    url: safeUrl(item?.url, pageUrl),
    image: safeUrl(item?.image, pageUrl),
    meta,
    item,
  };
}

function part(doc: Document, tag: string, name: string, text?: string): HTMLElement {
  const element = doc.createElement(tag);
  element.setAttribute('part', name);
  if (text !== undefined) element.append(isolated(doc, text));
  return element;
}

/** Shop-facing text as its own bidi isolate, without bidi controls. */
function isolated(doc: Document, text: string): HTMLElement {
  const bdi = doc.createElement('bdi');
  bdi.textContent = stripBidiControls(text);
  return bdi;
}

export function defaultCard(doc: Document, card: CardData): HTMLLIElement {
  const li = part(doc, 'li', 'item') as HTMLLIElement;
  const link = card.url ? part(doc, 'a', 'link') : part(doc, 'button', 'link');
  if (link instanceof HTMLAnchorElement) link.href = card.url!;
  else link.setAttribute('type', 'button');
  link.dataset.itemId = card.id;
  if (card.image) {
    const img = part(doc, 'img', 'image') as HTMLImageElement;
    img.src = card.image;
    img.alt = stripBidiControls(card.title);
    img.loading = 'lazy';
    link.append(img);
  }
  link.append(part(doc, 'span', 'title', card.title), part(doc, 'span', 'meta', card.meta), part(doc, 'span', 'why', card.why));
  li.append(link);
  return li;
}

/**
 * Fills a clone of the shop's template: `data-pulse-field` names what goes where (title,
 * why, meta, year, price, id as text; url as href; image as src with the title as alt).
 */
export function templateCard(template: HTMLTemplateElement, card: CardData): HTMLElement {
  const doc = template.ownerDocument;
  const wrapper = doc.createElement('div');
  wrapper.setAttribute('role', 'listitem');
  wrapper.append(template.content.cloneNode(true));
  const text: Record<string, string> = {
    title: card.title,
    why: card.why,
    meta: card.meta,
    id: card.id,
    year: card.item?.year != null ? String(card.item.year) : '',
    price: card.item?.price !== undefined ? formatPrice(card.item.price, card.item.currency) : '',
  };
  for (const element of wrapper.querySelectorAll<HTMLElement>('[data-pulse-field]')) {
    const field = element.dataset.pulseField ?? '';
    if (field === 'url') {
      if (card.url) element.setAttribute('href', card.url);
    } else if (field === 'image') {
      if (card.image) element.setAttribute('src', card.image);
      element.setAttribute('alt', stripBidiControls(card.title));
    } else if (field in text) {
      element.replaceChildren(isolated(doc, text[field]!));
    }
  }
  const target = wrapper.querySelector<HTMLElement>('a, button') ?? wrapper;
  target.dataset.itemId = card.id;
  return wrapper;
}
