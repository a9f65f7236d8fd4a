/**
 * Node-only: a Thought Space trained on the shop's own interaction logs, by the same command
 * as `npm run train` (src/train/cli.ts: early stopping on validation, a held-out test split,
 * the export the worker loads, and its model card), run as a child process so its tfjs
 * backend and memory end with it.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
}

export class TrainError extends Error {
  override name = 'TrainError';
}

const TRAIN_CLI = resolve(fileURLToPath(new URL('../train/cli.ts', import.meta.url)));

export async function trainShopThoughtSpace(options: TrainSpaceOptions): Promise<TrainedSpace> {
  const args = [
    '--import',
    import.meta.resolve('tsx'),
    TRAIN_CLI,
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
  const tail: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        if (line.trim() !== '') options.log(`  train: ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', fail);
    child.on('close', done);
  });
  if (code !== 0) {
    // The trainer's own last words say why (a bad log row, too few users …), not a stack.
    const reason = tail.filter((line) => /Error|error:/.test(line) && !/^\s+at /.test(line)).at(-1) ?? tail.at(-1) ?? `exit code ${code}`;
    throw new TrainError(`training on ${options.logs} failed: ${reason.trim()}`);
  }
  const report = JSON.parse(await readFile(join(options.out, 'train-report.json'), 'utf8')) as { test: { full: Record<string, number> }; alpha: number; seconds: number };
  return { dir: options.out, test: report.test.full, alpha: report.alpha, seconds: report.seconds };
}
