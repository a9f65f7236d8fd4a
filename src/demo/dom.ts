/**
 * The one way the demo builds DOM. Text always goes in through textContent, never
 * innerHTML: catalog titles are data and may contain markup characters ("Tom & Viv").
 * Bidi controls are removed from every text and attribute here, and catalog or model text
 * goes in through `isolated()`, so no title can reorder what is drawn next to it (core/bidi.ts).
 */
import { stripBidiControls } from '../core/bidi.ts';

type Attrs = Record<string, string | number | boolean | null | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === 'string' ? document.createTextNode(stripBidiControls(child)) : child);
  }
  return node;
}

/** `class` and `data-*` like HTML; `false`/`null`/`undefined` leave the attribute out. */
export function setAttrs(node: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) node.removeAttribute(name);
    else node.setAttribute(name, value === true ? '' : stripBidiControls(String(value)));
  }
}

/** Looks an element up by id and fails loudly when index.html and the code disagree. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`index.html has no element #${id}`);
  return node as T;
}

/** Catalog or model text as its own bidi isolate: `<bdi>` (direction from its first strong letter). */
export function isolated(text: string): HTMLElement {
  return el('bdi', {}, text);
}
