/**
 * CSV and TSV with the line each record starts on (a quoted field may span lines), so a bad
 * row can be named by its line in the shop's own file. RFC 4180 quoting in both; Merchant
 * Center TSV files are usually unquoted, which is the same grammar without quotes.
 */
import { FeedError, type RowProblem } from './feed-problem.ts';

export interface DelimitedRecord {
  /** 1-based line the record starts on. */
  line: number;
  values: Record<string, string>;
}

export function detectDelimiter(headerLine: string): ',' | '\t' | ';' {
  const count = (c: string) => headerLine.split(c).length - 1;
  const tabs = count('\t');
  const commas = count(',');
  const semis = count(';');
  if (tabs >= commas && tabs >= semis && tabs > 0) return '\t';
  return semis > commas ? ';' : ',';
}

export function parseDelimited(text: string, file: string): { records: DelimitedRecord[]; problems: RowProblem[] } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLineEnd = body.search(/\r?\n/);
  const delimiter = detectDelimiter(firstLineEnd < 0 ? body : body.slice(0, firstLineEnd));
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  const endRow = () => {
    cells.push(field);
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === delimiter) {
      cells.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new FeedError(file, 'a quoted field is never closed', rowLine);
  if (field !== '' || cells.length > 0) endRow();
  const [header, ...records] = rows;
  if (!header) throw new FeedError(file, 'the file is empty: expected a header row');
  const names = header.cells.map((name) => name.trim().toLowerCase());
  const out: DelimitedRecord[] = [];
  const problems: RowProblem[] = [];
  for (const { line, cells } of records) {
    if (cells.length > names.length) {
      problems.push({ file, line, field: null, reason: 'more fields than the header', detail: `${cells.length} fields, the header has ${names.length}: a delimiter inside an unquoted value?` });
      continue;
    }
    // Trailing empty cells are often cut off by spreadsheet exports: read them as empty.
    out.push({ line, values: Object.fromEntries(names.map((name, c) => [name, (cells[c] ?? '').trim()])) });
  }
  return { records: out, problems };
}
