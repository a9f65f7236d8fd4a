/**
 * The "Language model" line of the engine panel: which SLM, where it runs and in which
 * dtype, its load progress and times, or why it is unavailable (then the whys come from
 * the history alone, and the panel says so).
 */
import type { SlmStatus } from '../slm/slm-types.ts';
import { byId, el } from './dom.ts';
import { formatMs } from './format.ts';

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

export class SlmStatusLine {
  private readonly line = byId('status-slm');
  private last: SlmStatus | null = null;
  /** Why the rail's headline is the history's and not the writer's, in the engine's words. */
  private headlineReason: string | null = null;

  /** `ignored`: URL parameters that were not usable (from slm-param.ts). */
  constructor(private readonly ignored: readonly string[]) {}

  /** The shopper's rail says it in plain words (rail-headline.ts); the details belong here. */
  showHeadlineReason(reason: string | null): void {
    this.headlineReason = reason;
    if (this.last) this.render(this.last);
  }

  render(slm: SlmStatus): void {
    this.last = slm;
    this.line.dataset.state = slm.state;
    const parts: Array<string | Node> = [];
    const name = slm.model ?? 'the SLM';
    const where = slm.device ? ` on ${slm.device}${slm.dtype ? ` · ${slm.dtype}` : ''}` : '';
    switch (slm.state) {
      case 'off':
        parts.push('Off — whys come from your history alone', el('span', { class: 'fineprint', 'data-slm-reason': '' }, slm.reason ?? ''));
        break;
      case 'loading': {
        const p = slm.progress;
        const how = !p ? '' : p.phase === 'compile' ? ' — compiling' : p.total > 0 ? ` — ${megabytes(p.loaded)} of ${megabytes(p.total)}` : '';
        parts.push(`Loading ${name}${where}${how}…`);
        break;
      }
      case 'ready':
      case 'generating': {
        parts.push(`${name}${where}${slm.state === 'generating' ? ' — writing…' : ''}`);
        const t = slm.loadTimings;
        if (t.totalMs !== undefined) {
          parts.push(el('span', { class: 'fineprint' }, `download ${formatMs(t.downloadMs ?? 0)} · compile ${formatMs(t.compileMs ?? 0)} · ${megabytes(t.bytes ?? 0)}`));
        }
        break;
      }
      case 'unavailable':
        parts.push(`Unavailable — whys come from your history alone`, el('span', { class: 'fineprint', 'data-slm-reason': '' }, slm.reason ?? ''));
        break;
    }
    if (this.headlineReason !== null) parts.push(el('span', { class: 'fineprint', 'data-headline-reason': '' }, `headline from the history: ${this.headlineReason}`));
    for (const note of slm.notes) parts.push(el('span', { class: 'fineprint' }, note));
    if (this.ignored.length > 0) parts.push(el('span', { class: 'fineprint' }, `ignored ${this.ignored.join(', ')}`));
    this.line.replaceChildren(...parts);
  }
}
