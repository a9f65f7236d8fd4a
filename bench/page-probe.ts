/**
 * What `npm run bench:page` records inside the page, installed before any page script runs:
 * the moment the first personal list is on screen, the worker's own timings for the reply that
 * carried it, and every main-thread long task with the scripts of the animation frames that
 * overlap it (Long Animation Frames name the script URL and function; a longtask entry alone
 * only says "window").
 */
import type { Page } from 'playwright-core';
import type { RecommendTimings } from '../src/core/types.ts';

export interface LongTaskSource {
  /** Script URL (path only), or the frame's own work ("style/layout", "render"). */
  source: string;
  /** What started it: the event, callback or "classic-script" the browser names. */
  invoker: string;
  durationMs: number;
}

export interface LongTask {
  /** Since navigation start, ms. */
  startMs: number;
  durationMs: number;
  /** The longtask entry's own attribution (container type/name): usually "window". */
  container: string;
  /** The biggest scripts of overlapping long animation frames; empty when none overlapped. */
  sources: LongTaskSource[];
}

export interface PageMarks {
  /** performance.now() when the first personal list was on screen; null until then. */
  firstPersonalMs: number | null;
  /** The same moment as epoch ms (performance.timeOrigin + now), to compare with request times. */
  firstPersonalEpochMs: number | null;
  /** The worker's timings from the first reply with strategy "personal". */
  timings: RecommendTimings | null;
  /** The backend that reply names. */
  backend: string | null;
  longTasks: LongTask[];
  frames: { startMs: number; durationMs: number; blockingMs: number; scripts: LongTaskSource[]; renderMs: number }[];
}

declare global {
  interface Window {
    benchMarks: PageMarks;
  }
}

/** How the page under test shows its first personal list. */
export type PersonalSignal = 'demo-rail' | 'widget-event';

export async function installProbe(page: Page, signal: PersonalSignal): Promise<void> {
  // tsx names functions with an `__name` helper that the page's copy of this script cannot see.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript((how: PersonalSignal) => {
    const marks: PageMarks = { firstPersonalMs: null, firstPersonalEpochMs: null, timings: null, backend: null, longTasks: [], frames: [] };
    window.benchMarks = marks;
    const path = (url: string) => {
      try {
        const u = new URL(url);
        return u.origin === location.origin ? u.pathname : u.href;
      } catch {
        return url || '(inline or unknown)';
      }
    };
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const attribution = (entry as PerformanceEntry & { attribution?: { containerType?: string; containerName?: string; containerSrc?: string }[] }).attribution ?? [];
        const container = attribution.map((a) => [a.containerType, a.containerSrc || a.containerName].filter(Boolean).join(' ')).join('; ') || entry.name;
        marks.longTasks.push({ startMs: Math.round(entry.startTime), durationMs: Math.round(entry.duration), container, sources: [] });
      }
    }).observe({ type: 'longtask', buffered: true });
    try {
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          const frame = entry as PerformanceEntry & {
            blockingDuration: number;
            renderStart: number;
            scripts: { sourceURL: string; sourceFunctionName: string; invoker: string; invokerType: string; duration: number }[];
          };
          const renderMs = frame.renderStart > 0 ? Math.round(frame.startTime + frame.duration - frame.renderStart) : 0;
          marks.frames.push({
            startMs: Math.round(frame.startTime),
            durationMs: Math.round(frame.duration),
            blockingMs: Math.round(frame.blockingDuration),
            renderMs,
            scripts: frame.scripts.map((s) => ({
              source: `${path(s.sourceURL)}${s.sourceFunctionName ? ` ${s.sourceFunctionName}` : ''}`,
              invoker: s.invoker || s.invokerType,
              durationMs: Math.round(s.duration),
            })),
          });
        }
      }).observe({ type: 'long-animation-frame', buffered: true });
    } catch {
      // No Long Animation Frames in this browser: long tasks keep only their container.
    }
    const mark = () => {
      if (marks.firstPersonalMs !== null) return;
      marks.firstPersonalMs = performance.now();
      marks.firstPersonalEpochMs = performance.timeOrigin + marks.firstPersonalMs;
    };
    // The worker's replies carry its timings; the page's client reads the same message.
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener('message', (event: MessageEvent) => {
          const data = event.data as { kind?: string; ok?: boolean; result?: { strategy?: string; backend?: string; timings?: RecommendTimings } } | null;
          if (marks.timings === null && data?.kind === 'reply' && data.ok && data.result?.strategy === 'personal' && data.result.timings) {
            marks.timings = data.result.timings;
            marks.backend = data.result.backend ?? null;
          }
        });
      }
    };
    if (how === 'widget-event') {
      // <pulse-recs> emits it after rendering its cards.
      document.addEventListener('pulse:recommendations', (event) => {
        if ((event as CustomEvent<{ strategy: string }>).detail.strategy === 'personal') mark();
      });
    } else {
      // The demo's rail: its section says the strategy; checked on every DOM change.
      const check = () => {
        if (document.querySelector('#recs[data-strategy="personal"] li.rec')) {
          mark();
          observer.disconnect();
        }
      };
      const observer = new MutationObserver(check);
      observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-strategy'] });
    }
  }, signal);
}

/** The marks, with each long task given the scripts of the long animation frames it overlaps. */
export async function readMarks(page: Page): Promise<PageMarks> {
  const marks = await page.evaluate(() => window.benchMarks);
  for (const task of marks.longTasks) {
    const end = task.startMs + task.durationMs;
    const overlapping = marks.frames.filter((f) => f.startMs < end && f.startMs + f.durationMs > task.startMs);
    const scripts = overlapping.flatMap((f) => f.scripts).filter((s) => s.durationMs >= 5);
    const render = overlapping.reduce((a, f) => a + f.renderMs, 0);
    if (render >= 20) scripts.push({ source: 'style/layout/paint', invoker: 'render', durationMs: render });
    task.sources = scripts.sort((a, b) => b.durationMs - a.durationMs).slice(0, 3);
  }
  return marks;
}
