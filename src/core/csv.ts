/**
 * RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. Small and strict on
 * purpose — a malformed quote is an error naming the line, never a guess.
 */
export class CsvError extends Error {
  override name = 'CsvError';
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvError(`line ${line}: unexpected character after closing quote`);
        }
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"') {
      if (field !== '') throw new CsvError(`line ${line}: quote inside an unquoted field`);
      quoted = true;
    } else if (c === ',') {
      endField();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
    } else {
      field += c;
    }
    i++;
  }
  if (quoted) throw new CsvError(`line ${line}: unterminated quoted field`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Rows as objects keyed by the header row; checks the required columns exist. */
export function parseCsvRecords(text: string, required: string[]): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new CsvError('empty file: expected a header row');
  const missing = required.filter((column) => !header.includes(column));
  if (missing.length) throw new CsvError(`missing column(s): ${missing.join(', ')} (header: ${header.join(',')})`);
  return rows.map((cells, r) => {
    if (cells.length !== header.length) {
      throw new CsvError(`row ${r + 2}: ${cells.length} fields, header has ${header.length}`);
    }
    return Object.fromEntries(header.map((column, c) => [column, cells[c]!]));
  });
}
