/**
 * Reads a Chrome trace (Tracing domain, JSON "traceEvents") and lists every task longer than
 * a threshold on a renderer's main thread, with what dominated it: the trace events inside
 * (script evaluation, function calls, style, layout, GC…) and, where the V8 sampling profiler
 * ran (category disabled-by-default-v8.cpu_profiler), the functions whose samples fill it.
 * Pure: no browser, so it is unit-tested on a hand-made trace.
 */

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  id?: string | number;
  args?: Record<string, unknown>;
}

export interface Culprit {
  /** "FunctionCall http://…/main.js:12" or "Layout" or "fn (url:line)" for a sample. */
  what: string;
  ms: number;
}

export interface LongTask {
  pid: number;
  /** ms from the first navigation's start (or the trace's first event). */
  startMs: number;
  ms: number;
  /** Trace events directly below the task, by total duration, largest first. */
  events: Culprit[];
  /** Sampled JS functions (self time), largest first; empty without the CPU profiler. */
  functions: Culprit[];
}

/** Task envelopes the scheduler emits; the first that exists on a thread is used. */
const TASK_NAMES = ['ThreadControllerImpl::RunTask', 'RunTask'];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
  parent?: number;
}

/** Renderer processes that committed an http(s) page (not Chromium's own WebUI renderers). */
function pageProcesses(events: readonly TraceEvent[]): Set<number> {
  const pids = new Set<number>();
  for (const e of events) {
    if (e.name !== 'FrameCommittedInBrowser') continue;
    const data = (e.args?.data ?? {}) as { processId?: number; url?: string };
    if (typeof data.processId === 'number' && /^https?:/.test(data.url ?? '')) pids.add(data.processId);
  }
  return pids;
}

/** Main threads (thread_name "CrRendererMain") of the page's renderer processes. */
function rendererMains(events: readonly TraceEvent[]): Set<string> {
  const pages = pageProcesses(events);
  const mains = new Set<string>();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && (e.args?.name as string | undefined) === 'CrRendererMain' && (pages.size === 0 || pages.has(e.pid))) mains.add(`${e.pid}:${e.tid}`);
  }
  return mains;
}

function shortUrl(url: string): string {
  if (!url) return '';
  try {
    const u = new URL(url);
    return u.pathname.split('/').slice(-2).join('/');
  } catch {
    return url;
  }
}

/** One trace event's label: its name plus the script or event type it names. */
function label(e: TraceEvent): string {
  const data = (e.args?.data ?? e.args?.beginData ?? {}) as Record<string, unknown>;
  const url = typeof data.url === 'string' ? data.url : typeof data.scriptName === 'string' ? data.scriptName : '';
  const fn = typeof data.functionName === 'string' && data.functionName ? ` ${data.functionName}` : '';
  const type = typeof data.type === 'string' ? ` ${data.type}` : '';
  const where = url ? ` ${shortUrl(url)}${typeof data.lineNumber === 'number' ? `:${data.lineNumber}` : ''}` : '';
  return `${e.name}${type}${fn}${where}`;
}

/** CPU profile samples per (pid:tid): absolute timestamps (µs) and the leaf node's label. */
function profileSamples(events: readonly TraceEvent[]): Map<string, { ts: number; what: string }[]> {
  // A profile starts with a "Profile" event (startTime, on the sampled thread) and its
  // "ProfileChunk"s share its id; chunks may come from the sampler thread, so map by id.
  const profiles = new Map<string, { key: string; start: number; nodes: Map<number, ProfileNode>; last: number }>();
  const out = new Map<string, { ts: number; what: string }[]>();
  for (const e of events) {
    const id = `${e.pid}:${String(e.id)}`;
    if (e.name === 'Profile') {
      const data = (e.args?.data ?? {}) as { startTime?: number };
      profiles.set(id, { key: `${e.pid}:${e.tid}`, start: data.startTime ?? e.ts, nodes: new Map(), last: data.startTime ?? e.ts });
    } else if (e.name === 'ProfileChunk') {
      const profile = profiles.get(id);
      if (!profile) continue;
      const data = (e.args?.data ?? {}) as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] };
      for (const node of data.cpuProfile?.nodes ?? []) profile.nodes.set(node.id, node);
      const samples = data.cpuProfile?.samples ?? [];
      const deltas = data.timeDeltas ?? [];
      const list = out.get(profile.key) ?? [];
      samples.forEach((nodeId, i) => {
        profile.last += deltas[i] ?? 0;
        const frame = profile.nodes.get(nodeId)?.callFrame;
        const name = frame ? frame.functionName || '(anonymous)' : '?';
        // Minified bundles are one line: the column tells their functions apart.
        const column = (frame as { columnNumber?: number } | undefined)?.columnNumber;
        const where = frame?.url ? ` (${shortUrl(frame.url)}:${(frame.lineNumber ?? 0) + 1}${column ? `:${column + 1}` : ''})` : '';
        list.push({ ts: profile.last, what: `${name}${where}` });
      });
      out.set(profile.key, list);
    }
  }
  return out;
}

function top(totals: Map<string, number>, n: number): Culprit[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([what, us]) => ({ what, ms: Math.round(us / 100) / 10 }));
}

/** Every main-thread task over `thresholdMs`, in time order. */
export function longTasks(events: readonly TraceEvent[], thresholdMs = 50, topN = 4): LongTask[] {
  const mains = rendererMains(events);
  const complete = events.filter((e) => e.ph === 'X' && typeof e.dur === 'number' && mains.has(`${e.pid}:${e.tid}`));
  const origin =
    events.find((e) => e.name === 'navigationStart' && mains.has(`${e.pid}:${e.tid}`) && /^https?:/.test(String((e.args?.data as { documentLoaderURL?: string } | undefined)?.documentLoaderURL)))?.ts ??
    Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts));
  const samples = profileSamples(events);
  const tasks: LongTask[] = [];
  for (const thread of mains) {
    const own = complete.filter((e) => `${e.pid}:${e.tid}` === thread);
    const taskName = TASK_NAMES.find((name) => own.some((e) => e.name === name));
    if (!taskName) continue;
    const envelopes = own.filter((e) => e.name === taskName && e.dur! > thresholdMs * 1000);
    for (const task of envelopes) {
      const end = task.ts + task.dur!;
      const inside = own.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end && e.name !== taskName);
      // Only the outermost events inside: a FunctionCall's nested v8 events would double count.
      const outer = inside.filter((e) => !inside.some((p) => p !== e && p.ts <= e.ts && p.ts + p.dur! >= e.ts + e.dur! && (p.ts < e.ts || p.dur! > e.dur!)));
      const byEvent = new Map<string, number>();
      for (const e of outer) byEvent.set(label(e), (byEvent.get(label(e)) ?? 0) + e.dur!);
      const byFunction = new Map<string, number>();
      const mine = samples.get(thread) ?? [];
      for (let i = 0; i < mine.length; i++) {
        const s = mine[i]!;
        if (s.ts < task.ts || s.ts > end) continue;
        // A sample stands for the interval up to the next one (capped at the task's end).
        const next = Math.min(mine[i + 1]?.ts ?? end, end);
        byFunction.set(s.what, (byFunction.get(s.what) ?? 0) + Math.max(0, next - s.ts));
      }
      tasks.push({
        pid: task.pid,
        startMs: Math.round((task.ts - origin) / 1000),
        ms: Math.round(task.dur! / 1000),
        events: top(byEvent, topN),
        functions: top(byFunction, topN),
      });
    }
  }
  return tasks.sort((a, b) => a.startMs - b.startMs);
}

export function formatTask(task: LongTask): string {
  const events = task.events.map((c) => `${c.what} ${c.ms}`).join('; ');
  const functions = task.functions.map((c) => `${c.what} ${c.ms}`).join('; ');
  return `${task.ms} ms @${task.startMs} ms — ${events || '(no inner events)'}${functions ? ` — JS: ${functions}` : ''}`;
}
