/**
 * The rail's headline: what Pulse thinks this shopper wants, in one or two sentences —
 * written on this device by the SLM when it can, composed from the history otherwise —
 * with a line saying which, and why not the SLM. Model text is untrusted: textContent only.
 */
import type { Rationale, RationaleFallback } from '../slm/slm-types.ts';
import { byId, el, isolated } from './dom.ts';
import { formatMs } from './format.ts';

/**
 * Why the headline is not the writer's, in words a shopper can read. The engine's own reason
 * (option names, error text) goes to the developer panel through `onReason`, never here.
 */
const FALLBACK_WORDS: Record<RationaleFallback, string> = {
  off: '',
  cancelled: '',
  loading: 'the on-device writer is still loading',
  pending: 'the on-device writer is still writing',
  unavailable: 'the on-device writer cannot run in this browser',
  timeout: 'the on-device writer took too long',
  failed: 'the on-device writer did not finish',
  empty: 'the on-device writer had nothing to say',
  ungrounded: 'what the on-device writer wrote did not match your history',
};

export class RailHeadline {
  private readonly root = byId('recs-headline');
  private readonly text = byId('recs-headline-text');
  private readonly source = byId('recs-headline-source');

  /** `onReason`: the engine's reason for a fallback headline (null when none), for the developer panel. */
  constructor(private readonly onReason: (reason: string | null) => void = () => {}) {}

  /** While the SLM writes: the evidence statement stays, marked as about to be replaced. */
  writing(busy: boolean): void {
    if (busy) this.root.dataset.writing = '';
    else delete this.root.dataset.writing;
    this.root.setAttribute('aria-busy', String(busy));
  }

  show(rationale: Rationale | undefined): void {
    if (!rationale || rationale.text === 'No preferences known yet.') {
      this.root.hidden = true;
      this.root.dataset.source = '';
      return;
    }
    this.root.hidden = false;
    this.root.dataset.source = rationale.source;
    this.root.dataset.fallback = rationale.fallback ?? '';
    this.text.replaceChildren(isolated(rationale.text));
    this.source.replaceChildren(...this.sourceLine(rationale));
    this.onReason(rationale.fallback ? (rationale.reason ?? rationale.fallback) : null);
  }

  private sourceLine(rationale: Rationale): Array<string | Node> {
    if (rationale.source === 'slm') {
      // Which model, on which backend, in which dtype, from how many candidates: the engine
      // panel's (slm-status.ts). The shopper reads only that a model wrote it, here, and when.
      const how = rationale.cached ? 'remembered for this history' : `in ${formatMs(rationale.ms ?? 0)}`;
      return [`Written on this device by a small language model · ${how}`];
    }
    const words = rationale.fallback ? FALLBACK_WORDS[rationale.fallback] : '';
    const why = words ? ` — ${words}` : '';
    return ['From your history', why ? el('span', { class: 'rail__headline-reason' }, why) : ''];
  }
}
