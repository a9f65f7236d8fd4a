/**
 * results.json: indented for reading and diffing, but arrays of plain numbers (the per-case
 * ranks) on one line each, so a run adds a few hundred lines to a diff, not tens of thousands.
 */
export function resultsJson(value: unknown): string {
  const indented = JSON.stringify(value, null, 1);
  return indented.replace(/\[\n\s*(-?[\d.eE+-]+(?:,\n\s*-?[\d.eE+-]+)*)\n\s*\]/g, (_, inner: string) => `[${inner.replace(/,\n\s*/g, ',')}]`) + '\n';
}
