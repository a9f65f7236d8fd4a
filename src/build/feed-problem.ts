/**
 * What `pulse build` says about a feed: a problem with one row (the row is skipped, the build
 * goes on) or with the whole file (the build stops). Both name the file and, where known, the
 * line and the field — never a stack trace: the shop owner fixes the feed, not our code.
 */

/** A row that did not make it into the catalog, and why. */
export interface RowProblem {
  file: string;
  /** 1-based line where the row starts in the file. */
  line: number;
  /** The feed's own column/element name, or null when the row as a whole is at fault. */
  field: string | null;
  /** A short reason, also the key of the skip summary ("out of stock", "missing title" …). */
  reason: string;
  /** The detail, e.g. the bad value. */
  detail?: string;
}

/** A feed that cannot be read at all. */
export class FeedError extends Error {
  override name = 'FeedError';
  constructor(
    readonly file: string,
    message: string,
    readonly line: number | null = null,
  ) {
    super(`${file}${line !== null ? `:${line}` : ''}: ${message}`);
  }
}

export function formatProblem(problem: RowProblem): string {
  const where = `${problem.file}:${problem.line}`;
  const field = problem.field ? ` field "${problem.field}"` : '';
  return `${where}:${field} ${problem.reason}${problem.detail ? ` (${problem.detail})` : ''}`;
}

/** "12 rows skipped: 7 out of stock, 3 missing price …", most common reason first. */
export function summarizeProblems(problems: readonly RowProblem[]): string[] {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.reason, (counts.get(p.reason) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([reason, n]) => `${n} × ${reason}`);
}

/** 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
