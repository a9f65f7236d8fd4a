/**
 * The markdown of `npm run bench:page`: one table row per page × backend × visit (median ± SE
 * over runs), then the long tasks with their sources, the files fetched twice, where the bytes
 * before the first list went, and issue 10's targets checked against the medians.
 */
import type { Visit } from './page.ts';

export interface Row {
  page: string;
  backend: string;
  visit: 'first' | 'second';
  visits: Visit[];
}

export function median(values: readonly number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return Number.NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

/** Standard error of the mean; NaN with fewer than two runs. */
export function standardError(values: readonly number[]): number {
  const v = values.filter(Number.isFinite);
  if (v.length < 2) return Number.NaN;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
  return Math.sqrt(variance / v.length);
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} KB`;
  return `${Math.round(n)} B`;
}

function num(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

/** "median ± SE" (SE left out with one run). */
function stat(values: readonly number[], show: (n: number) => string): string {
  const se = standardError(values);
  return Number.isFinite(se) ? `${show(median(values))} ± ${show(se)}` : show(median(values));
}

const ratioOf = (v: Visit) => v.firstPersonalMs / v.rankingMs;

function label(row: Row): string {
  return `${row.page} | ${row.backend} | ${row.visit}`;
}

function taskText(task: Visit['longTasks'][number]): string {
  const sources = task.sources.map((s) => `${s.source} (${s.invoker}, ${s.durationMs} ms)`).join('; ');
  return `${task.durationMs} ms @${task.startMs}: ${sources || `no long animation frame overlaps; ${task.container}`}`;
}

export function formatTable(rows: readonly Row[], meta: { command: string; started: string; load: number[]; settleS: number }): string {
  const out: string[] = [];
  const runs = Math.max(...rows.map((r) => r.visits.length));
  out.push(`# Page benchmark (${meta.started.slice(0, 10)})`, '');
  out.push(`Command: \`npx vite build && ${meta.command}\` (${runs} run${runs === 1 ? '' : 's'} per row; started ${meta.started}; 1-min load average ${meta.load.map((l) => l.toFixed(1)).join(' → ')}).`);
  out.push('');
  out.push('Each cell is the median ± standard error over runs. **gzip** = bytes on the wire (CDP `encodedDataLength`: headers + encoded body; the servers send the build\'s .br/.gz copies), **raw** = the decoded bodies the server sent (0 for a 304 or an HTTP-cache hit); requests count round trips to the server (HTTP-cache hits left out; model files read from Cache Storage make no request). "Before" = responses complete when the first personal list was on screen. "Total" = until ' + `${meta.settleS} s after it. **ranking** = the worker's history + query + score time for that list (its RecommendTimings); **ratio** = nav → first personal ÷ ranking. Long tasks: main thread > 50 ms, load → ${meta.settleS} s after the first list.`);
  out.push('');
  out.push('| page | backend | visit | before: gzip | before: raw | before: requests | total: gzip | total: raw | total: requests | nav → first personal (ms) | ranking (ms) | ratio | long tasks (n / longest ms) |');
  out.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) {
    const v = row.visits;
    out.push(
      `| ${label(row)} | ${stat(v.map((x) => x.before.transferred), bytes)} | ${stat(v.map((x) => x.before.raw), bytes)} | ${stat(v.map((x) => x.before.requests), num)} | ${stat(v.map((x) => x.total.transferred), bytes)} | ${stat(v.map((x) => x.total.raw), bytes)} | ${stat(v.map((x) => x.total.requests), num)} | ${stat(v.map((x) => x.firstPersonalMs), num)} | ${stat(v.map((x) => x.rankingMs), (n) => num(n, 1))} | ${stat(v.map(ratioOf), num)}× | ${stat(v.map((x) => x.longTasks.length), num)} / ${num(median(v.map((x) => Math.max(0, ...x.longTasks.map((t) => t.durationMs)))))} |`,
    );
  }
  out.push('', '## Targets (issue 10), on the medians', '');
  const pick = (page: string, backend: string, visit: string) => rows.find((r) => r.page === page && r.backend === backend && r.visit === visit);
  const check = (what: string, value: number, limit: number, show: (n: number) => string) =>
    out.push(`- ${what}: ${show(value)} (target ≤ ${show(limit)}) — ${!Number.isFinite(value) ? 'not measured' : value <= limit ? '**met**' : `**not met**, ${(value / limit).toFixed(1)}× the target`}`);
  for (const backend of ['wasm', 'webgpu']) {
    for (const page of ['demo', 'shop']) {
      const first = pick(page, backend, 'first');
      const second = pick(page, backend, 'second');
      if (first) check(`${page} ${backend}, first visit, gzip before the first personal list`, median(first.visits.map((x) => x.before.transferred)), 3e6, bytes);
      if (second) check(`${page} ${backend}, second visit, gzip before the first personal list`, median(second.visits.map((x) => x.before.transferred)), 50e3, bytes);
    }
  }
  for (const visit of ['first', 'second']) {
    const shop = pick('shop', 'wasm', visit);
    if (!shop) continue;
    check(`shop wasm ${visit} visit, navigation → first personal list`, median(shop.visits.map((x) => x.firstPersonalMs)), 1500, (n) => `${num(n)} ms`);
    check(`shop wasm ${visit} visit, that time ÷ the worker's ranking + history time`, median(shop.visits.map(ratioOf)), 5, (n) => `${num(n)}×`);
  }
  for (const row of rows) {
    if (row.page === 'shop') out.push(`- ${label(row).replaceAll(' | ', ' ')}: ${median(row.visits.map((x) => x.longTasks.length))} long tasks (target 0 from Pulse; sources below)`);
  }
  out.push('', '## Long tasks, each run (duration @ ms since navigation: the biggest scripts of the overlapping long animation frames)', '');
  for (const row of rows) {
    for (const v of row.visits) {
      out.push(`- **${label(row).replaceAll(' | ', ' ')}, run ${v.run}** (first personal list at ${v.firstPersonalMs} ms): ${v.longTasks.length === 0 ? 'none' : ''}`);
      for (const task of v.longTasks) out.push(`  - ${taskText(task)}`);
    }
  }
  out.push('', '## Fetched more than once in one visit (round trips to the server, same URL)', '');
  for (const row of rows) {
    const twice = [...new Set(row.visits.flatMap((v) => v.twice))];
    out.push(`- ${label(row).replaceAll(' | ', ' ')}: ${twice.join(', ') || 'none'}`);
  }
  out.push('', '## Biggest transfers before the first personal list (run 1)', '');
  for (const row of rows) {
    const v = row.visits[0];
    if (!v) continue;
    out.push(`- ${label(row).replaceAll(' | ', ' ')}: ${v.biggestBefore.map((b) => `${b.path} ${bytes(b.transferred)}${b.status === 304 ? ' (304)' : ''}`).join(', ') || 'nothing'}`);
  }
  const errors = rows.flatMap((r) => r.visits.flatMap((v) => v.errors.map((e) => `${label(r).replaceAll(' | ', ' ')} run ${v.run}: ${e}`)));
  const wrong = rows.flatMap((r) => r.visits.filter((v) => v.resultBackend !== null && v.resultBackend !== v.backend).map((v) => `${label(r).replaceAll(' | ', ' ')} run ${v.run} ranked on ${v.resultBackend}`));
  if (errors.length || wrong.length) out.push('', '## Page errors and backend fallbacks', '', ...[...wrong, ...errors].map((e) => `- ${e.slice(0, 300)}`));
  out.push('');
  return out.join('\n');
}
