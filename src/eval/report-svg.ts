import type { ModelSummary } from './summary.ts';

/**
 * A grouped bar chart of full-ranking NDCG@10 and HR@10 per model, with ±1 std whiskers:
 * hand-written SVG, no dependencies, readable on GitHub.
 */
const METRICS = [
  { key: 'NDCG@10', colour: '#3366cc' },
  { key: 'HR@10', colour: '#ff9933' },
] as const;

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function svgChart(title: string, summaries: readonly ModelSummary[]): string {
  const width = Math.max(420, 90 + summaries.length * 90);
  const height = 300;
  const left = 50;
  const top = 40;
  const plotH = 200;
  const group = (width - left - 20) / Math.max(1, summaries.length);
  const bar = Math.min(28, group / 3);
  const maxValue = Math.max(0.01, ...summaries.flatMap((s) => METRICS.map((m) => (s.full[m.key]?.mean ?? 0) + (s.full[m.key]?.std ?? 0))));
  const step = niceStep(maxValue / 4);
  const ticks = Math.ceil(maxValue / step);
  const yMax = ticks * step;
  const y = (v: number) => top + plotH - (v / yMax) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="13">${escape(title)}</text>`);
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let t = 0; t <= ticks; t++) {
    const v = step * t;
    out.push(`<line x1="${left}" x2="${width - 20}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v.toFixed(digits)}</text>`);
  }
  summaries.forEach((s, g) => {
    const x0 = left + g * group + (group - bar * METRICS.length) / 2;
    METRICS.forEach((m, k) => {
      const stat = s.full[m.key];
      if (!stat) return;
      const x = x0 + k * bar;
      out.push(`<rect x="${x.toFixed(1)}" y="${y(stat.mean).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(y(0) - y(stat.mean)).toFixed(1)}" fill="${m.colour}"><title>${escape(`${s.model} ${m.key} ${stat.mean.toFixed(4)} ± ${stat.std.toFixed(4)}`)}</title></rect>`);
      if (stat.std > 0) {
        const cx = (x + (bar - 2) / 2).toFixed(1);
        out.push(`<line x1="${cx}" x2="${cx}" y1="${y(stat.mean + stat.std).toFixed(1)}" y2="${y(Math.max(0, stat.mean - stat.std)).toFixed(1)}" stroke="black"/>`);
      }
    });
    out.push(`<text x="${(left + g * group + group / 2).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle">${escape(s.model)}</text>`);
  });
  METRICS.forEach((m, k) => {
    const x = left + k * 170;
    out.push(`<rect x="${x}" y="${height - 26}" width="12" height="12" fill="${m.colour}"/>`);
    out.push(`<text x="${x + 16}" y="${height - 16}">${m.key} (full ranking)</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** The smallest of 1, 2, 5 × 10^k that is ≥ v: tick steps a reader can add up. */
function niceStep(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 5]) if (m * power >= v) return m * power;
  return 10 * power;
}
