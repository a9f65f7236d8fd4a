/** Short confirmations and errors in one polite live region, so actions never fail silently. */
import { byId, el } from './dom.ts';

const VISIBLE_MS = 4_000;
const MAX_TOASTS = 3;

export function showToast(message: string, kind: 'info' | 'error' = 'info'): void {
  const region = byId('toasts');
  const toast = el('div', { class: `toast toast--${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  region.append(toast);
  while (region.childElementCount > MAX_TOASTS) region.firstElementChild?.remove();
  setTimeout(() => {
    toast.classList.add('is-leaving');
    setTimeout(() => toast.remove(), 300);
  }, kind === 'error' ? VISIBLE_MS * 2 : VISIBLE_MS);
}
