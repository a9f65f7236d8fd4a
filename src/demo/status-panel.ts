/**
 * "On-device engine": which backend ranks the catalog, whether (and why) it fell back,
 * the GPU adapter, what was loaded and how long everything took. Honest numbers are
 * part of the privacy story: the shopper can see the work happens here.
 */
import type { PulseStatus } from '../client/api.ts';
import type { RecommendResult } from '../core/types.ts';
import { byId, el } from './dom.ts';
import { backendLabel, formatCount, formatMs } from './format.ts';

export class StatusPanel {
  private readonly section = byId('status');
  private readonly state = byId('status-state');
  private readonly backend = byId('status-backend');
  private readonly requested = byId('status-requested');
  private readonly fallback = byId('status-fallback');
  private readonly adapter = byId('status-adapter');
  private readonly catalog = byId('status-catalog');
  private readonly thoughtSpace = byId('status-thought-space');
  private readonly degraded = byId('status-degraded');
  private readonly load = byId('status-load');
  private readonly recommend = byId('status-recommend');
  private readonly error = byId('status-error');
  private readonly headerBadge = byId('header-backend');
  /** A rejection of `ready` whose message the status itself lacks. */
  private readyError: string | null = null;

  /** `override`: how the page chose the backend (`?backend=`), for the "requested" line. */
  constructor(private readonly override: { backend: string | undefined; ignored: string | null }) {}

  showReadyError(message: string): void {
    this.readyError = message;
  }

  render(status: PulseStatus): void {
    const state = this.readyError !== null && status.state !== 'ready' ? 'error' : status.state;
    this.section.dataset.state = state;
    this.section.dataset.backend = status.backend ?? '';
    this.section.removeAttribute('aria-busy');
    if (state === 'loading') this.section.setAttribute('aria-busy', 'true');

    this.state.replaceChildren(
      el('span', { class: `dot dot--${state}`, 'aria-hidden': 'true' }),
      state === 'loading' ? 'Loading models and catalog…' : state === 'ready' ? 'Ready — ranking on this device' : 'Failed to start',
    );

    for (const badge of [this.backend, this.headerBadge]) {
      badge.dataset.backend = status.backend ?? (state === 'error' ? 'error' : 'loading');
      badge.textContent = status.backend ? backendLabel(status.backend) : state === 'error' ? 'Unavailable' : 'Starting…';
    }
    this.headerBadge.title = status.backend ? `Recommendations are computed on this device with ${backendLabel(status.backend)}` : '';

    const how = this.override.backend ? `forced with ?backend=${this.override.backend}` : 'automatic: WebGPU → WebAssembly → CPU';
    const ignored = this.override.ignored !== null ? ` (ignored ?backend=${this.override.ignored}: use webgpu, wasm or cpu)` : '';
    this.requested.textContent = `Requested ${backendLabel(status.requestedBackend)} — ${how}${ignored}`;

    if (status.fallback || status.fallbackReasons.length > 0) {
      this.fallback.replaceChildren(
        el('span', {}, status.fallback ? `Yes — fell back from ${backendLabel(status.requestedBackend)}` : 'No, but:'),
        el('ul', { class: 'reasons' }, ...status.fallbackReasons.map((reason) => el('li', {}, reason))),
      );
    } else {
      this.fallback.textContent = status.backend ? 'No' : '—';
    }

    const a = status.adapter;
    if (a) {
      const name = [a.vendor, a.architecture].filter((s) => s.trim() !== '').join(' · ') || a.description || 'unnamed adapter';
      this.adapter.replaceChildren(
        el('span', {}, name),
        a.isFallbackAdapter ? el('span', { class: 'pill pill--warn' }, 'fallback adapter') : '',
      );
      if (a.description) this.adapter.title = a.description;
    } else {
      this.adapter.textContent = state === 'loading' ? '—' : 'No WebGPU adapter';
    }

    const c = status.catalog;
    this.catalog.textContent = !c
      ? '—'
      : c.textVectors === 'deferred'
        ? `${formatCount(c.items)} items · text vectors not loaded: the Thought Space covers the catalog`
        : `${formatCount(c.items)} items · ${formatCount(c.vectorsFromFile)} vectors from file · ${formatCount(c.embeddedOnDevice)} embedded on device`;

    const ts = status.thoughtSpace;
    this.thoughtSpace.dataset.state = ts.state;
    this.thoughtSpace.textContent =
      ts.state === 'ready'
        ? `${ts.model} — ${formatCount(ts.covered)} items${ts.alpha ? ` · rationale steering α ${ts.alpha}` : ''}${ts.alpha && ts.unsteered ? ` (off here: ${ts.unsteered})` : ''}`
        : ts.state === 'loading'
          ? `Loading ${ts.model}…`
          : `Off — ${ts.reason ?? 'no model'}`;

    // What runs below its best, and why: the engine keeps ranking with what remains.
    this.degraded.replaceChildren(
      state === 'loading' && status.degraded.length === 0
        ? '—'
        : status.degraded.length === 0
          ? 'Nothing'
          : el('ul', { class: 'degraded' }, ...status.degraded.map((d) => el('li', {}, el('strong', {}, d.component), ` — ${d.reason}`))),
    );

    const phases = Object.entries(status.loadTimings);
    this.load.replaceChildren(
      ...(phases.length === 0
        ? ['—']
        : phases.map(([phase, ms]) => el('span', { class: 'timing' }, el('span', { class: 'timing__k' }, phase.replace(/Ms$/, '')), ' ', formatMs(ms)))),
    );

    const message = status.error ?? (state === 'error' ? this.readyError : null);
    this.error.hidden = message === null;
    this.error.textContent = message ?? '';
  }

  showRecommend(result: RecommendResult): void {
    const t = result.timings;
    this.recommend.replaceChildren(
      ...(
        [
          ['score', t.scoreMs],
          ['query', t.queryMs],
          ['history', t.historyMs],
          ['total', t.totalMs],
        ] as const
      ).map(([phase, ms]) => el('span', { class: 'timing' }, el('span', { class: 'timing__k' }, phase), ' ', formatMs(ms))),
      el('span', { class: 'timing' }, el('span', { class: 'timing__k' }, 'on'), ' ', backendLabel(result.backend)),
    );
  }
}
