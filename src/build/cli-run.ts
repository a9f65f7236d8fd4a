/**
 * How Pulse's Node commands start and fail: `--help` prints the usage and exits 0; a
 * usage mistake (unknown option, bad value) prints one line and exits 2; an error in the
 * shop's data (a catalog row, a feed line, a file that is missing or not JSON) prints one
 * line naming the file and exits 1 — no stack trace, no echo of the file. Anything else is
 * a bug in Pulse: its stack, exit 1.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { FeedError, lineAt } from './feed-problem.ts';

/** Errors Pulse throws about its input; their message is the whole story. */
const INPUT_ERRORS = new Set(['CatalogError', 'CsvError', 'FeedError', 'ItemVectorsError', 'InteractionsError', 'ConfigError', 'BuildError', 'AssetsError', 'TrainError', 'UsageError']);

export class UsageError extends Error {
  override name = 'UsageError';
}

export function isInputError(error: unknown): error is Error {
  return error instanceof Error && INPUT_ERRORS.has(error.name);
}

export function isArgsError(error: unknown): error is Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** Reads and parses a JSON file; a syntax error names file:line and column, not the content. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FeedError(path, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error));
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const position = /position (\d+)/.exec(error.message);
    const reason = error.message.replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+.*$/, '');
    if (!position) throw new FeedError(path, `not valid JSON: ${reason}`);
    const offset = Number(position[1]);
    throw new FeedError(path, `not valid JSON at column ${offset - text.lastIndexOf('\n', offset - 1)}: ${reason}`, lineAt(text, offset));
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliSpec<O extends Options> {
  /** The command as a user types it, e.g. "npm run embed --". */
  name: string;
  usage: string;
  options: O;
  allowPositionals?: boolean;
  run(args: { values: Record<string, string | boolean | undefined>; positionals: string[] }): Promise<void>;
}

/** Runs a command with Pulse's help and error conventions; sets process.exitCode. */
export async function runCli<O extends Options>(spec: CliSpec<O>, argv = process.argv.slice(2)): Promise<number> {
  // `… | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let code = 0;
  try {
    const options: Options = { ...spec.options, help: { type: 'boolean', short: 'h' } };
    const parsed = parseArgs({ args: argv, strict: true, allowPositionals: spec.allowPositionals ?? false, options });
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const positionals = parsed.positionals;
    if (values.help) console.log(spec.usage);
    else await spec.run({ values, positionals });
  } catch (error) {
    if (isArgsError(error) || error instanceof UsageError) {
      console.error(`${spec.name}: ${error.message} (--help for usage)`);
      code = 2;
    } else if (isInputError(error)) {
      console.error(`${spec.name}: ${error.message}`);
      code = 1;
    } else {
      // A bug in Pulse: its stack, printed here rather than left uncaught — tfjs's wasm glue
      // rethrows uncaught errors from its own one-line source, which Node would print whole.
      console.error(error instanceof Error ? error.stack : error);
      code = 1;
    }
  }
  process.exitCode = code;
  return code;
}
