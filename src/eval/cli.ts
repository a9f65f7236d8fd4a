/**
 * `npm run eval`: every requested model on one split of one dataset, for one or more seeds;
 * writes results.md, results.json and ndcg10.svg to --out and prints the markdown.
 * Usage: see USAGE in cli-args.ts, and docs/evaluation.md.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEvalArgs, USAGE, type EvalArgs } from './cli-args.ts';
import { loadEvalDataset, type EvalDataset } from './dataset-files.ts';
import { evaluateModels, type ModelRun } from './harness.ts';
import { modelsByName } from './registry.ts';
import { resultsJson } from './report-json.ts';
import { markdownReport } from './report-markdown.ts';
import { svgChart } from './report-svg.ts';
import { cutTime, leaveOneOutSplit, sampleUsers, temporalSplit, type Split } from './split.ts';
import { summarize } from './summary.ts';

function makeSplit(args: EvalArgs, data: EvalDataset, seed: number): Split {
  const split =
    args.split === 'loo'
      ? leaveOneOutSplit(data.interactions, seed, args.ties)
      : temporalSplit(data.interactions, seed, cutTime(args.validationCut, data.interactions), cutTime(args.testCut, data.interactions), args.targetsPerUser, args.ties);
  if (args.maxUsers !== undefined) {
    split.test = sampleUsers(split.test, args.maxUsers, seed);
    split.validation = sampleUsers(split.validation, args.maxUsers, seed);
    split.notes.push(`subsampled to at most ${args.maxUsers} validation and test users (seeded)`);
  }
  if (split.test.length === 0) throw new RangeError(`the ${args.split} split has no test cases: check the cuts or the data`);
  return split;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let args: EvalArgs;
  try {
    args = parseEvalArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const models = modelsByName(args.models);
  const log = (line: string) => console.error(line);
  const t0 = performance.now();
  const data = await loadEvalDataset({ interactions: args.interactions, catalog: args.catalog, timeUnit: args.timeUnit, ...(args.vectors ? { vectors: args.vectors } : {}), ...(args.defaultType ? { defaultType: args.defaultType } : {}) });
  const users = new Set(data.interactions.map((e) => e.user)).size;
  const datasetLines = [
    `interactions: ${args.interactions} — ${data.interactions.length} events, ${users} users (columns ${Object.entries(data.columns).map(([f, c]) => `${f}←${c}`).join(', ')})`,
    `catalog: ${args.catalog} — ${data.catalog.length} items; text vectors ${data.textDims}-d (${data.vectorsModel})`,
    ...data.skipped.map((s) => `skipped ${s.count} row(s): ${s.reason} (e.g. line ${s.lines.join(', ')})`),
  ];
  datasetLines.forEach((l) => log(l));
  const runsBySeed: ModelRun[][] = [];
  const splitNotes: Record<number, string[]> = {};
  const report = async (seeds: readonly number[], out: string, partial: boolean) => {
    const summaries = summarize(runsBySeed);
    const splitLine = args.split === 'loo' ? 'leave-one-out by time' : `temporal (validation cut ${JSON.stringify(args.validationCut)}, test cut ${JSON.stringify(args.testCut)}, ≤ ${args.targetsPerUser} targets per user)`;
    const header = {
      title: `Evaluation: ${args.models.join(', ')} — ${splitLine}`,
      lines: [
        ...datasetLines,
        ...(splitNotes[args.seeds[0]!] ?? []),
        `seeds: ${seeds.join(', ')}${partial ? ` (partial: ${seeds.length} of ${args.seeds.join(', ')} done)` : ''}; ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${process.platform}/${process.arch}`,
        `command: npm run eval -- ${process.argv.slice(2).join(' ')}`,
      ],
    };
    const markdown = markdownReport(header, summaries);
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'results.md'), markdown);
    await writeFile(join(out, 'results.json'), resultsJson({ args: { ...args, seeds: [...seeds] }, header, splitNotes, summaries, runsBySeed }));
    await writeFile(join(out, 'ndcg10.svg'), svgChart(`${args.split === 'loo' ? 'Leave-one-out' : 'Temporal'} split, full ranking, ${seeds.length > 1 ? `mean ± std over ${seeds.length} seeds` : '1 seed'}`, summaries));
    return markdown;
  };
  for (const seed of args.seeds) {
    const split = makeSplit(args, data, seed);
    splitNotes[seed] = split.notes;
    log(`seed ${seed}: ${split.notes.join('; ')}`);
    runsBySeed.push(await evaluateModels(data, split, models, { seed, log }));
    // A long run that is cut short keeps the seeds it finished (in <out>/partial/, marked partial).
    if (runsBySeed.length < args.seeds.length) {
      await report(args.seeds.slice(0, runsBySeed.length), join(args.out, 'partial'), true);
      log(`seeds ${args.seeds.slice(0, runsBySeed.length).join(', ')} done: wrote ${join(args.out, 'partial', 'results.{md,json}')}`);
    }
  }
  const markdown = await report(args.seeds, args.out, false);
  await rm(join(args.out, 'partial'), { recursive: true, force: true });
  console.log(markdown);
  log(`wrote ${join(args.out, 'results.{md,json}')} and ndcg10.svg in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

try {
  await main();
} catch (error) {
  // Data problems (a bad row, a stale vector file, an impossible cut) are the user's to fix:
  // say what and where, without a stack trace. Anything else is a bug and keeps its stack.
  const known = ['InteractionsError', 'CatalogError', 'ItemVectorsError', 'CsvError', 'RangeError'];
  if (error instanceof Error && (known.includes(error.name) || (error as NodeJS.ErrnoException).code === 'ENOENT')) {
    console.error(`eval: ${error.message}`);
    process.exit(1);
  }
  throw error;
}
