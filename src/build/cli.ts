/**
 * The `pulse` command (bin/pulse.js; also `npm run pulse -- <command>`):
 *   pulse build --feed <file> --out <folder> [options]
 * Errors a shop owner can fix (a bad feed, a missing file, a wrong option) print one line
 * and exit 1 (2 for usage) — no stack trace. Anything else is a bug and keeps its stack.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ShopTexts } from '../embed/config.ts';
import { ProgressBar } from '../train/progress-bar.ts';
import { buildShop, BuildError, type BuildResult } from './build.ts';
import { isArgsError, isInputError, UsageError } from './cli-run.ts';
import { formatProblem, summarizeProblems } from './feed-problem.ts';

/** Skipped rows listed one by one before the count takes over. */
const SKIPPED_SHOWN = 50;

export const PULSE_USAGE = `Usage: pulse <command> [options]

Commands:
  build     turn a product feed into one folder to host (runtime, catalog, vectors, pulse.config.json)
  help      show this text (also: pulse <command> --help)`;

export const BUILD_USAGE = `Usage: pulse build --feed <file> --out <folder> [options]

Reads a product feed and writes one folder to host next to the shop's pages:
pulse.js, pulse/, models/use-lite/, catalog.json, catalog.vectors.{json,bin}, pulse.config.json.
Then add to a page:  <script async src="/<folder>/pulse.js"></script>  <pulse-recs></pulse-recs>

Feeds (format from the extension and the first bytes):
  Google Merchant Center TSV or XML (id, title, description, product_type,
  google_product_category, price "12.99 USD", link, image_link, availability),
  CSV with a header (id|sku, title|name, description, categories, price, currency, url, image, availability),
  Shopify products.json, or a Pulse catalog JSON (docs/catalog.md).
Out-of-stock rows are skipped, so they are never recommended. Every skipped row is listed
(file:line: field, reason) with a summary.

Options:
  --feed <file>        the product feed (required)
  --out <folder>       the folder to write; replaced if it exists (required)
  --currency <ISO>     currency of prices that name none, e.g. EUR
  --logs <csv>         interaction log (user, item, timestamp[, type, rating]) to train a
                       Thought Space for this shop, with its model card
  --train-minutes <n>  time budget for that training (default 10)
  --texts <json>       a JSON file of the shopper-facing words: {"heading": …, "popular": …,
                       "loading": …, "empty": …, "error": …}
  --strict             fail when any row is skipped
  --dist <folder>      where pulse.js and pulse/ are (default: the package's dist/)
  --all-skipped        list every skipped row (default: the first ${SKIPPED_SHOWN}, then a count)
  --quiet              print only problems and the result
  -h, --help           show this text`;


function readTexts(path: string): ShopTexts {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new BuildError(`--texts ${path}: ${error instanceof SyntaxError ? 'not valid JSON' : (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  return raw as ShopTexts; // checked by the same rules as the page's (applyInit) below
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

export function describeResult(result: BuildResult): string[] {
  const total = result.files.reduce((sum, f) => sum + f.bytes, 0);
  const byTop = new Map<string, number>();
  for (const f of result.files) {
    const top = f.path.includes('/') ? `${f.path.split('/').slice(0, f.path.startsWith('models/') ? 2 : 1).join('/')}/` : f.path;
    byTop.set(top, (byTop.get(top) ?? 0) + f.bytes);
  }
  return [
    `wrote ${result.out}: ${result.items.length} products, ${result.files.length} files, ${size(total)}`,
    ...[...byTop].map(([path, bytes]) => `  ${path.padEnd(28)} ${size(bytes)}`),
    ...(result.thoughtSpace
      ? [
          `Thought Space: models/pulse-shop (model card README.md, baselines eval/results.md), ${result.thoughtSpace.use ? 'used' : 'not used'}:`,
          `  ${result.thoughtSpace.verdict}`,
        ]
      : ['no --logs: personal recommendations rank by text similarity to what the shopper viewed']),
    'add to your pages (the folder served at /pulse/ for example):',
    '  <script async src="/pulse/pulse.js"></script>',
    '  <pulse-recs k="8"></pulse-recs>',
  ];
}

async function build(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      feed: { type: 'string' },
      out: { type: 'string' },
      currency: { type: 'string' },
      logs: { type: 'string' },
      'train-minutes': { type: 'string' },
      texts: { type: 'string' },
      strict: { type: 'boolean', default: false },
      dist: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'all-skipped': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(BUILD_USAGE);
    return;
  }
  if (!values.feed || !values.out) throw new UsageError('pulse build needs --feed <file> and --out <folder> (pulse build --help)');
  if (values.currency !== undefined && !/^[A-Za-z]{3}$/.test(values.currency)) throw new UsageError(`--currency must be an ISO 4217 code such as EUR; got "${values.currency}"`);
  const minutes = values['train-minutes'] !== undefined ? Number(values['train-minutes']) : undefined;
  if (minutes !== undefined && !(minutes > 0)) throw new UsageError(`--train-minutes must be a positive number; got "${values['train-minutes']}"`);
  const log = values.quiet ? () => {} : (line: string) => console.error(line);
  let bar: ProgressBar | null = null;
  let barStep = '';
  const result = await buildShop({
    feed: values.feed,
    out: values.out,
    ...(values.currency ? { currency: values.currency.toUpperCase() } : {}),
    ...(values.logs ? { logs: values.logs } : {}),
    ...(minutes !== undefined ? { trainMinutes: minutes } : {}),
    ...(values.texts ? { texts: readTexts(values.texts) } : {}),
    ...(values.dist ? { dist: values.dist } : {}),
    strict: values.strict,
    log,
    progress: values.quiet
      ? undefined
      : (step, done, total) => {
          if (step !== barStep) {
            bar?.done();
            bar = new ProgressBar(step, total);
            barStep = step;
          }
          bar!.tick(`${done}/${total}`);
          if (done >= total) {
            bar!.done();
            bar = null;
            barStep = '';
          }
        },
  });
  if (result.skipped.length > 0) {
    // A feed with thousands of bad rows should not bury the summary: the first ones, then a count.
    const shown = values['all-skipped'] ? result.skipped : result.skipped.slice(0, SKIPPED_SHOWN);
    for (const problem of shown) console.error(`skipped ${formatProblem(problem)}`);
    if (shown.length < result.skipped.length) console.error(`… and ${result.skipped.length - shown.length} more skipped rows (--all-skipped lists every one)`);
    console.error(`skipped ${result.skipped.length} of ${result.rows} rows: ${summarizeProblems(result.skipped).join(', ')}`);
  }
  for (const line of describeResult(result)) console.log(line);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      console.log(PULSE_USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'build') {
      await build(rest);
      return 0;
    }
    throw new UsageError(`unknown command "${command}" (pulse --help)`);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`pulse: ${error.message}`);
      return 2;
    }
    if (isArgsError(error)) {
      console.error(`pulse: ${error.message} (pulse ${command} --help)`);
      return 2;
    }
    if (isInputError(error)) {
      console.error(`pulse: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
