/**
 * Copies the tables of docs/results/movielens-{loo,temporal}/results.md (written by
 * `npm run eval`) into docs/evaluation.md between its `results:begin` / `results:end`
 * markers, so the note always shows exactly what the last runs printed:
 *   npx tsx scripts/eval-doc-tables.ts
 */
import { readFile, writeFile } from 'node:fs/promises';

const DOC = 'docs/evaluation.md';
const BEGIN = /<!-- results:begin[^>]*-->\n/;
const END = '<!-- results:end -->';

/** The body of the `## <heading>…` section of a results.md (up to the next `## `). */
function section(markdown: string, heading: string, file: string): string {
  const start = markdown.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`${file}: no "## ${heading}" section`);
  const next = markdown.indexOf('\n## ', start + 3);
  return markdown.slice(markdown.indexOf('\n', start) + 1, next < 0 ? undefined : next).trim();
}

/** "- 839 validation targets (85 users) and 780 test targets (82 users): …" → the header lines. */
function notes(markdown: string): string {
  return markdown.split('\n').filter((l) => /^- (leave-one-out|temporal|\d+ )/.test(l)).map((l) => l.slice(2)).join('; ');
}

const loo = await readFile('docs/results/movielens-loo/results.md', 'utf8');
const temporal = await readFile('docs/results/movielens-temporal/results.md', 'utf8');
const tables = `### Leave-one-out by time

${notes(loo)}.

![LOO: NDCG@10 and HR@10](results/movielens-loo/ndcg10.svg)

Full ranking over the whole catalog, mean ± std over seeds 1, 2, 3:

${section(loo, 'Full ranking', 'loo')}

Sampled protocols (same scores, same users; for comparison with papers only):

${section(loo, 'Sampled', 'loo')}

### Temporal

${notes(temporal)}.

![Temporal: NDCG@10 and HR@10](results/movielens-temporal/ndcg10.svg)

${section(temporal, 'Full ranking', 'temporal')}

${section(temporal, 'Sampled', 'temporal')}

### Cost

Wall clock on a shared 2-core machine with other jobs running (so ± is mostly load, not the
model); fit includes each baseline's whole tuning grid. Leave-one-out:

${section(loo, 'Cost', 'loo')}

Temporal:

${section(temporal, 'Cost', 'temporal')}
`;
const doc = await readFile(DOC, 'utf8');
const begin = BEGIN.exec(doc);
const end = doc.indexOf(END);
if (!begin || end < 0) throw new Error(`${DOC}: results:begin / results:end markers not found`);
await writeFile(DOC, doc.slice(0, begin.index + begin[0].length) + tables + doc.slice(end));
console.log(`${DOC}: tables updated from docs/results/`);
