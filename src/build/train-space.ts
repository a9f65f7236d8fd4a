/**
 * Node-only: a Thought Space trained on the shop's own interaction logs, by the same command
 * as `npm run train` (src/train/cli.ts: early stopping on validation, a held-out test split,
 * the export the worker loads, and its model card), then the baselines on the same split by
 * `npm run eval` (report beside the model card). Each runs as a child process so its tfjs
 * backend and memory end with it. The Thought Space is used only when it beats, on the
 * held-out test split, the text-similarity ranker the page would use without it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InteractionsError, readInteractions } from '../eval/interactions.ts';

export interface TrainSpaceOptions {
  logs: string;
  catalog: string;
  vectors: string;
  out: string;
  minutes: number;
  log: (line: string) => void;
}

export interface TrainedSpace {
  dir: string;
  /** Held-out test figures of the exported model, from its train-report.json. */
  test: Record<string, number>;
  alpha: number;
  seconds: number;
  /** Test NDCG@10 of each baseline on the same split (eval/results.md beside the model card). */
  baselines: { model: string; ndcg10: number }[];
  /** Whether pulse.config.json uses it: it beats text similarity (`content`) on test NDCG@10. */
  use: boolean;
  /** One line on the comparison, for the build's output. */
  verdict: string;
}

/** The eval harness's models that the comparison runs; `content` is the page's ranker without a Thought Space. */
export const BASELINES = ['pop', 'itemknn', 'ease', 'content'] as const;

export class TrainError extends Error {
  override name = 'TrainError';
}

const TRAIN_CLI = resolve(fileURLToPath(new URL('../train/cli.ts', import.meta.url)));
const EVAL_CLI = resolve(fileURLToPath(new URL('../eval/cli.ts', import.meta.url)));

/** Runs a Pulse command in a child Node; its output goes to `log`; a failure says its last error line. */
async function runChild(cli: string, args: string[], what: string, log: (line: string) => void): Promise<void> {
  const tail: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        // The child's stack frames and tfjs's wasm dump (it prints its own one-line source on an
        // uncaught error) say nothing to a shop owner; the reason comes as one line below.
        if (line.trim() === '' || /^\s+at |^Node\.js v|^\s*\^+\s*$/.test(line) || line.length > 300) continue;
        log(line);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) {
    // The command's own last words say why (a bad log row, too few users …), not a stack.
    const reason = tail.filter((line) => /Error|error:/.test(line) && !/^\s+at /.test(line)).at(-1) ?? tail.at(-1) ?? `exit code ${code}`;
    throw new TrainError(`${what} failed: ${reason.trim()}`);
  }
}

/**
 * Reads the log as the trainer will, before any training: a malformed row stops the build
 * with its line, and a log that matches no product says so, in a second rather than minutes.
 */
async function checkLogs(options: TrainSpaceOptions): Promise<void> {
  const catalog = JSON.parse(await readFile(options.catalog, 'utf8')) as { id: string }[];
  let text: string;
  try {
    text = await readFile(options.logs, 'utf8');
  } catch (error) {
    throw new TrainError(`${options.logs}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  let read;
  try {
    read = readInteractions(text, { knownItems: new Set(catalog.map((item) => item.id)) });
  } catch (error) {
    if (error instanceof InteractionsError) throw new TrainError(`${options.logs}: ${error.message}`);
    throw error;
  }
  for (const skipped of read.skipped) options.log(`${options.logs}: skipped ${skipped.count} row(s): ${skipped.reason} (lines ${skipped.lines.join(', ')}${skipped.count > skipped.lines.length ? ', …' : ''})`);
  if (read.interactions.length === 0) throw new TrainError(`${options.logs}: no interaction names a product of this feed`);
}

export async function trainShopThoughtSpace(options: TrainSpaceOptions): Promise<TrainedSpace> {
  await checkLogs(options);
  const args = [
    '--interactions',
    options.logs,
    '--catalog',
    options.catalog,
    '--vectors',
    options.vectors,
    '--out',
    options.out,
    '--time-budget-min',
    String(options.minutes),
  ];
  options.log(`training a Thought Space on ${options.logs} (at most ${options.minutes} min)`);
  await runChild(TRAIN_CLI, args, `training on ${options.logs}`, (line) => options.log(`  train: ${line}`));
  const report = JSON.parse(await readFile(join(options.out, 'train-report.json'), 'utf8')) as { test: { full: Record<string, number> }; alpha: number; seconds: number };
  const evalDir = join(options.out, 'eval');
  options.log(`evaluating the baselines (${BASELINES.join(', ')}) on the same leave-one-out split`);
  await runChild(EVAL_CLI, ['--interactions', options.logs, '--catalog', options.catalog, '--vectors', options.vectors, '--models', BASELINES.join(','), '--split', 'loo', '--seed', '1', '--out', evalDir], `evaluating on ${options.logs}`, (line) => options.log(`  eval: ${line}`));
  const results = JSON.parse(await readFile(join(evalDir, 'results.json'), 'utf8')) as { summaries: { model: string; full: Record<string, { mean: number }> }[] };
  const baselines = results.summaries.map((s) => ({ model: s.model, ndcg10: s.full['NDCG@10']!.mean }));
  return { dir: options.out, test: report.test.full, alpha: report.alpha, seconds: report.seconds, ...judge(report.test.full['NDCG@10']!, baselines) };
}

/** Uses the Thought Space when it beats text similarity (`content`), the ranker the page has without it. */
export function judge(pulse: number, baselines: readonly { model: string; ndcg10: number }[]): Pick<TrainedSpace, 'baselines' | 'use' | 'verdict'> {
  const content = baselines.find((b) => b.model === 'content')?.ndcg10;
  const best = [...baselines].sort((a, b) => b.ndcg10 - a.ndcg10)[0];
  const figures = [`pulse ${pulse.toFixed(4)}`, ...baselines.map((b) => `${b.model} ${b.ndcg10.toFixed(4)}`)].join(', ');
  const use = content === undefined || pulse > content;
  const stronger = best && best.ndcg10 > pulse && best.model !== 'content' ? `; ${best.model} is stronger on these logs but does not run in the page` : '';
  const verdict = use
    ? `test NDCG@10: ${figures} — the Thought Space beats text similarity, so the page uses it${stronger}`
    : `test NDCG@10: ${figures} — the Thought Space does not beat text similarity (content), so pulse.config.json keeps text similarity; the model and its report stay in the folder`;
  return { baselines: [...baselines], use, verdict };
}
