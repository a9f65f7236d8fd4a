/**
 * The controls a shopper uses to tell Pulse what they think of a movie: like, dislike,
 * 1–5 stars, not interested. Shared by the grid cards and the detail panel; the
 * `data-action` / `data-value` attributes are the stable hooks tests use.
 */
import type { EventInput } from '../core/types.ts';
import { el, setAttrs } from './dom.ts';
import { icon } from './icons.ts';
import type { IconName } from './icons.ts';
import type { ItemState } from './item-state.ts';

export type ItemAction =
  | { kind: 'like' }
  | { kind: 'dislike' }
  | { kind: 'dismiss' }
  | { kind: 'view' }
  | { kind: 'rate'; value: number };

const STARS = [1, 2, 3, 4, 5] as const;

/** Reads the action off a clicked element (or one of its children). */
export function actionAt(target: EventTarget | null): { action: ItemAction; button: HTMLElement } | null {
  if (!(target instanceof Element)) return null;
  const button = target.closest<HTMLElement>('[data-action]');
  if (!button) return null;
  const kind = button.dataset.action;
  switch (kind) {
    case 'like':
    case 'dislike':
    case 'dismiss':
    case 'view':
      return { action: { kind }, button };
    case 'rate': {
      const value = Number(button.dataset.value);
      return Number.isInteger(value) && value >= 1 && value <= 5 ? { action: { kind, value }, button } : null;
    }
    default:
      return null;
  }
}

/** The event an action records. */
export function eventFor(itemId: string, action: ItemAction): EventInput {
  switch (action.kind) {
    case 'like':
      // A like, not a 5★ rating: the shopper said yes, not how many stars (no rating habit from it).
      return { type: 'like', itemId };
    case 'dislike':
      // A dislike, not a 1★ rating: the shopper said no, not how many stars (no rating habit from it).
      return { type: 'dislike', itemId };
    case 'rate':
      return { type: 'rating', itemId, value: action.value };
    case 'dismiss':
      return { type: 'dismiss', itemId };
    case 'view':
      return { type: 'view', itemId };
  }
}

/**
 * True when the action would only repeat what the history already says (liking a liked
 * movie): we skip those so the history stays a record of changes of mind, not of clicks.
 * Views always count.
 */
export function isRepeat(action: ItemAction, state: Readonly<ItemState>): boolean {
  switch (action.kind) {
    case 'like':
      return !state.dismissed && state.liked;
    case 'dislike':
      return !state.dismissed && state.disliked;
    case 'rate':
      return !state.dismissed && state.rating === action.value;
    case 'dismiss':
      return state.dismissed;
    case 'view':
      return false;
  }
}

function iconButton(action: string, name: IconName, label: string, extraClass = ''): HTMLButtonElement {
  return el(
    'button',
    { type: 'button', class: `act act--${action} ${extraClass}`.trim(), 'data-action': action, 'aria-label': label, title: label, 'aria-pressed': 'false' },
    icon(name),
  );
}

/** One built copy per layout, cloned for every card: a page of cards is ~400 controls. */
const controls = new Map<'compact' | 'wide', HTMLElement>();

/** Stars plus the three buttons. `title` names the movie for screen readers. */
export function actionControls(title: string, layout: 'compact' | 'wide' = 'compact'): HTMLElement {
  let original = controls.get(layout);
  if (!original) controls.set(layout, (original = buildControls(layout)));
  const copy = original.cloneNode(true) as HTMLElement;
  setAttrs(copy.querySelector('.stars')!, { 'aria-label': `Your rating for ${title}` });
  return copy;
}

function buildControls(layout: 'compact' | 'wide'): HTMLElement {
  const stars = el('div', { class: 'stars', role: 'group' });
  for (const n of STARS) {
    const star = el(
      'button',
      { type: 'button', class: 'star', 'data-action': 'rate', 'data-value': n, 'aria-label': `Rate ${n} of 5`, title: `${n} of 5`, 'aria-pressed': 'false' },
      icon('star'),
    );
    stars.append(star);
  }
  const wide = layout === 'wide';
  const buttons = el(
    'div',
    { class: 'act-row' },
    labelled(iconButton('like', 'like', 'Like'), wide ? 'Like' : null),
    labelled(iconButton('dislike', 'dislike', 'Dislike'), wide ? 'Dislike' : null),
    labelled(iconButton('dismiss', 'dismiss', 'Not interested'), wide ? 'Not interested' : null),
  );
  return el('div', { class: `actions actions--${layout}` }, stars, buttons);
}

function labelled(button: HTMLButtonElement, text: string | null): HTMLButtonElement {
  if (text !== null) {
    button.append(el('span', { class: 'act__text' }, text));
    button.classList.add('act--labelled');
  }
  return button;
}

/** Reflects the history in the controls: pressed buttons and filled stars. */
export function showActionState(container: ParentNode, state: Readonly<ItemState>): void {
  const rating = state.dismissed ? null : state.rating;
  for (const button of container.querySelectorAll<HTMLElement>('[data-action]')) {
    let pressed = false;
    let filled = false;
    switch (button.dataset.action) {
      case 'like':
        pressed = !state.dismissed && state.liked;
        break;
      case 'dislike':
        pressed = !state.dismissed && state.disliked;
        break;
      case 'dismiss':
        pressed = state.dismissed;
        break;
      case 'rate': {
        const value = Number(button.dataset.value);
        pressed = rating === value;
        filled = rating !== null && value <= rating;
        break;
      }
      default:
        continue;
    }
    button.setAttribute('aria-pressed', String(pressed));
    button.classList.toggle('is-filled', filled);
  }
}
