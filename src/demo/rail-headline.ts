/**
 * The rail's headline: what Pulse thinks this shopper wants, in one or two sentences —
 * written on this device by the SLM when it can, composed from the history otherwise —
 * with a line saying which, and why not the SLM. Model text is untrusted: textContent only.
 */
import type { Rationale, SlmStatus } from '../slm/slm-types.ts';
import { byId, el, isolated } from './dom.ts';
import { formatMs } from './format.ts';

const DEVICE_LABEL: Record<string, string> = { webgpu: 'WebGPU', wasm: 'WebAssembly' };

export class RailHeadline {
  private readonly root = byId('recs-headline');
  private readonly text = byId('recs-headline-text');
  private readonly source = byId('recs-headline-source');

  /** While the SLM writes: the evidence statement stays, marked as about to be replaced. */
  writing(busy: boolean): void {
    if (busy) this.root.dataset.writing = '';
    else delete this.root.dataset.writing;
    this.root.setAttribute('aria-busy', String(busy));
  }

  show(rationale: Rationale | undefined, slm: SlmStatus): void {
    if (!rationale || rationale.text === 'No preferences known yet.') {
      this.root.hidden = true;
      this.root.dataset.source = '';
      return;
    }
    this.root.hidden = false;
    this.root.dataset.source = rationale.source;
    this.root.dataset.fallback = rationale.fallback ?? '';
    this.text.replaceChildren(isolated(rationale.text));
    this.source.replaceChildren(...this.sourceLine(rationale, slm));
  }

  private sourceLine(rationale: Rationale, slm: SlmStatus): Array<string | Node> {
    if (rationale.source === 'slm') {
      const where = slm.device ? ` on ${DEVICE_LABEL[slm.device] ?? slm.device}${slm.dtype ? ` (${slm.dtype})` : ''}` : '';
      const how = rationale.cached
        ? 'remembered for this history'
        : `best of ${rationale.candidates ?? 1} in ${formatMs(rationale.ms ?? 0)}`;
      return [`Written on this device by ${rationale.model ?? 'the SLM'}${where} · ${how}`];
    }
    const why = rationale.fallback ? ` — ${rationale.reason ?? rationale.fallback}` : '';
    return ['From your history', why ? el('span', { class: 'rail__headline-reason' }, why) : ''];
  }
}
