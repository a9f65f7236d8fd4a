import { referenceModel, type ModelSummary, type Stat } from './summary.ts';

/** The results as markdown tables: full ranking first (the headline), then sampled, then cost. */

const FULL = ['HR@1', 'HR@5', 'HR@10', 'HR@20', 'NDCG@5', 'NDCG@10', 'NDCG@20', 'MRR'];
const SAMPLED = ['HR@1', 'HR@5', 'HR@10', 'NDCG@10'];

export function formatStat(s: Stat | undefined, digits = 4, seeds = 2): string {
  if (!s || Number.isNaN(s.mean)) return '–';
  return seeds > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Bold the best mean in each metric column (ties all bold). */
function bestMarks(summaries: readonly ModelSummary[], pick: (s: ModelSummary) => Stat | undefined): (s: ModelSummary, text: string) => string {
  const best = Math.max(...summaries.map((s) => pick(s)?.mean ?? -Infinity));
  return (s, text) => (summaries.length > 1 && pick(s)?.mean === best ? `**${text}**` : text);
}

export function fullRankingTable(summaries: readonly ModelSummary[]): string {
  const seeds = summaries[0]?.seeds ?? 1;
  const marks = FULL.map((m) => bestMarks(summaries, (s) => s.full[m]));
  const rows = summaries.map((s) => [
    s.model,
    ...FULL.map((m, k) => marks[k]!(s, formatStat(s.full[m], 4, seeds))),
    s.standardError['NDCG@10'].toFixed(4),
    s.model === s.versusBest.model ? '(best)' : `${signed(s.versusBest.delta)} ± ${s.versusBest.se.toFixed(4)}`,
    formatStat(s.coverage10, 3, seeds),
    formatStat(s.popularity10, 1, seeds),
  ]);
  return table(['model', ...FULL, 'SE NDCG@10', 'Δ NDCG@10 vs best (paired SE)', 'coverage@10', 'pop@10'], rows);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(4)}`;
}

export function sampledTable(summaries: readonly ModelSummary[]): string {
  const seeds = summaries[0]?.seeds ?? 1;
  const rows = summaries.map((s) => [
    s.model,
    ...SAMPLED.map((m) => formatStat(s.sampled100[m], 4, seeds)),
    ...SAMPLED.slice(0, 2).map((m) => formatStat(s.sampled20[m], 4, seeds)),
    formatStat(s.sampled20['NDCG@5'], 4, seeds),
  ]);
  const header = ['model', ...SAMPLED.map((m) => `${m} (1+99)`), 'HR@1 (1+19)', 'HR@5 (1+19)', 'NDCG@5 (1+19)'];
  return table(header, rows);
}

/** The PULSE paper's protocol: the true item among 4 (or 19) random unseen items, HR@1. */
export function paperProtocolTable(summaries: readonly ModelSummary[]): string {
  const seeds = summaries[0]?.seeds ?? 1;
  const marks = [bestMarks(summaries, (s) => s.sampled5['HR@1']), bestMarks(summaries, (s) => s.sampled20['HR@1'])];
  const rows = summaries.map((s) => [
    s.model,
    marks[0]!(s, formatStat(s.sampled5['HR@1'], 4, seeds)),
    formatStat(s.sampled5['HR@3'], 4, seeds),
    marks[1]!(s, formatStat(s.sampled20['HR@1'], 4, seeds)),
    formatStat(s.full['NDCG@10'], 4, seeds),
  ]);
  return table(['model', 'HR@1 (1+4)', 'HR@3 (1+4)', 'HR@1 (1+19)', 'full NDCG@10 (for reference)'], rows);
}

export function costTable(summaries: readonly ModelSummary[]): string {
  const seeds = summaries[0]?.seeds ?? 1;
  const reference = referenceModel(summaries.map((s) => s.model));
  const seconds = (s: Stat): Stat => ({ mean: s.mean / 1000, std: s.std / 1000 });
  const rows = summaries.map((s) => [
    s.model,
    formatStat(seconds(s.fitMs), 1, seeds),
    formatStat(seconds(s.scoreMs), 2, seeds),
    (s.scoreMs.mean / Math.max(1, s.cases)).toFixed(2),
    ratio(s.fitRatio),
    ratio(s.scoreRatio),
    chosenText(s.chosen),
  ]);
  return table(['model', 'fit s (incl. tuning)', 'score s (test)', 'score ms / case', `fit ÷ ${reference}`, `score ÷ ${reference}`, 'chosen on validation (per seed)'], rows);
}

function ratio(r: number): string {
  if (!Number.isFinite(r)) return '–';
  return r >= 100 ? `${Math.round(r)}×` : `${r.toFixed(2)}×`;
}

/** Tuned settings per seed, e.g. "neighbours 50, shrink 0 / …"; validation scores left to the JSON. */
function chosenText(chosen: readonly unknown[]): string {
  const one = (c: unknown) =>
    c && typeof c === 'object'
      ? Object.entries(c as Record<string, unknown>)
          .filter(([k]) => k !== 'validationNdcg10' && k !== 'sweep')
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')
      : '–';
  return chosen.map(one).join(' / ');
}

export interface ReportHeader {
  title: string;
  lines: string[];
}

export function markdownReport(header: ReportHeader, summaries: readonly ModelSummary[]): string {
  const seeds = summaries[0]?.seeds ?? 1;
  return [
    `# ${header.title}`,
    '',
    ...header.lines.map((l) => `- ${l}`),
    '',
    `## Full ranking (every item the user has not interacted with; ${seeds > 1 ? `mean ± std over ${seeds} seeds` : '1 seed'}; ties pessimistic)`,
    '',
    fullRankingTable(summaries),
    '',
    'SE NDCG@10: standard error of the mean over test cases (sampling noise of the users, which seed-to-seed std does not show); ' +
      'Δ vs best: mean per-case NDCG@10 difference from the best model on the same cases, ± its standard error (|Δ| < 2 SE: not told apart); ' +
      'coverage@10: share of the catalog in at least one top-10 list; pop@10: mean training interactions of a top-10 item. Best mean in bold.',
    '',
    '## Sampled protocols (1 positive + 99 or 19 random unseen negatives; not comparable with full ranking)',
    '',
    sampledTable(summaries),
    '',
    "## The PULSE paper's protocol (1 true + 4 random unseen candidates, and 1 + 19; HR@1)",
    '',
    'The PULSE paper (arXiv 2510.08626) reports HR@1 with the true next item among a short random candidate list; ' +
      'these columns are that protocol on the same scores and users (the 4 and 19 negatives are the first of the 99 above). ' +
      'Random guessing gives 0.20 (1+4) and 0.05 (1+19).',
    '',
    paperProtocolTable(summaries),
    '',
    '## Cost (this machine, wall clock)',
    '',
    costTable(summaries),
    '',
  ].join('\n');
}
