/**
 * `npm run train -- --retune-alpha models/<name>`: chooses α again for an exported Thought
 * Space without retraining it. α is a scalar in the manifest, decided after training, so a
 * better selection rule should not cost a 30-minute training run (nor change the weights).
 *
 * Rebuilds the split the model was trained on from its train-report.json (the recorded command,
 * checked against the recorded split notes), writes each case's preference statement exactly as
 * training did (composePreference → USE-lite, cached), scores every α of the recorded grid
 * through the worker's own loader, applies the one-standard-error rule (alpha-selection.ts) on
 * validation, measures test at the old and the new α the same way, and rewrites the manifest's
 * α, the report and the model card's α line and sweep section.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { composePreference } from '../core/evidence-composer.ts';
import { DATA_SPLIT_OPTIONS } from '../eval/cli-args.ts';
import { loadEvalDataset } from '../eval/dataset-files.ts';
import { standardError } from '../eval/harness.ts';
import { fullRank, ndcgAt } from '../eval/metrics.ts';
import type { EvalCase } from '../eval/recommender.ts';
import { cutTime, leaveOneOutSplit, parseCut, temporalSplit } from '../eval/split.ts';
import { describeSelection, selectAlpha } from '../model/alpha-selection.ts';
import { dirSource } from '../model/node-model-files.ts';
import { loadThoughtSpace, type ThoughtSpace } from '../model/thought-space-loader.ts';
import { THOUGHT_SPACE_MANIFEST } from '../model/thought-space-file.ts';
import { updateModelCard, type AlphaReport } from './model-card.ts';
import { TextVectorCache } from './text-vector-cache.ts';
import { ensureTrainingBackend } from './training-backend.ts';

/** The data options of the recorded `npm run train -- …` command. */
export function recordedDataArgs(command: string): { interactions: string; catalog: string; vectors?: string; split: string; valCut: string; testCut: string } {
  const at = command.indexOf(' -- ');
  if (at < 0) throw new Error(`train-report.json: cannot read the options of "${command}"`);
  const { values } = parseArgs({
    args: command.slice(at + 4).trim().split(/\s+/),
    strict: false,
    options: DATA_SPLIT_OPTIONS,
  });
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const interactions = str(values.interactions);
  const catalog = str(values.catalog);
  if (!interactions || !catalog) throw new Error(`train-report.json: "${command}" names no --interactions or --catalog`);
  const vectors = str(values.vectors);
  return { interactions, catalog, ...(vectors ? { vectors } : {}), split: str(values.split)!, valCut: str(values['val-cut'])!, testCut: str(values['test-cut'])! };
}

/** Per case, NDCG@10 of the exported model at each α (cases whose target the model knows). */
async function sweep(space: ThoughtSpace, cases: readonly EvalCase[], preferences: Float32Array, alphas: readonly number[]): Promise<number[][]> {
  const textDims = space.manifest.config.textDims;
  const perAlpha: number[][] = alphas.map(() => []);
  for (const [i, c] of cases.entries()) {
    const behaviour = await space.encodeHistory(c.history);
    const rationale = await space.encodeRationale(preferences.subarray(i * textDims, (i + 1) * textDims));
    const seen = new Set<number>();
    for (const e of c.history) {
      const row = space.indexOf.get(e.itemId);
      if (row !== undefined) seen.add(row);
    }
    const target = space.indexOf.get(c.target.itemId)!;
    for (const [a, alpha] of alphas.entries()) {
      const scores = await space.scores(await space.query(behaviour, rationale, alpha));
      perAlpha[a]!.push(ndcgAt(fullRank(scores, target, seen), 10));
    }
  }
  return perAlpha;
}

const mean = (v: readonly number[]) => (v.length === 0 ? 0 : v.reduce((a, b) => a + b, 0) / v.length);

export async function retuneAlpha(dir: string, log: (line: string) => void): Promise<void> {
  await ensureTrainingBackend();
  const reportPath = join(dir, 'train-report.json');
  const report = JSON.parse(await readFile(reportPath, 'utf8')) as Record<string, unknown> & {
    command: string;
    seed: number;
    split: string[];
    alpha: number;
    options: { alphas: number[]; variant: string };
    sizes: Record<string, number>;
  };
  if (report.options.variant !== 'full' && report.options.variant !== 'noid') throw new Error(`variant ${report.options.variant} does not steer by α`);
  const args = recordedDataArgs(report.command);
  const data = await loadEvalDataset({ interactions: args.interactions, catalog: args.catalog, ...(args.vectors ? { vectors: args.vectors } : {}) });
  const split =
    args.split === 'temporal'
      ? temporalSplit(data.interactions, report.seed, cutTime(parseCut(args.valCut), data.interactions), cutTime(parseCut(args.testCut), data.interactions))
      : leaveOneOutSplit(data.interactions, report.seed);
  if (JSON.stringify(split.notes) !== JSON.stringify(report.split)) {
    throw new Error(`the rebuilt split differs from the recorded one:\n  ${split.notes.join('\n  ')}\nvs\n  ${report.split.join('\n  ')}`);
  }
  const space = await loadThoughtSpace(dirSource(dir));
  const composer = { catalog: data.catalog, indexOf: data.indexOf, textVectors: data.textVectors, textDims: data.textDims };
  const cache = new TextVectorCache();
  const alphas = report.options.alphas;
  // Against training's own α, also when this runs a second time.
  const oldAlpha = (report.alphaSelection as AlphaReport | undefined)?.previous ?? report.alpha;
  const run = async (name: string, all: readonly EvalCase[]) => {
    const cases = all.filter((c) => space.indexOf.has(c.target.itemId));
    const preferences = await cache.encode(
      cases.map((c) => composePreference(c.history, composer)),
      (done, total) => log(`${name}: embedded ${done}/${total} new preference statements`),
    );
    const t0 = performance.now();
    const perAlpha = await sweep(space, cases, preferences, alphas);
    log(`${name}: ${cases.length} cases × ${alphas.length} α in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    return perAlpha;
  };
  const validation = await run('validation', split.validation);
  const selection = selectAlpha(alphas, validation);
  log(`validation NDCG@10 (exported model): ${describeSelection(selection)}`);
  const test = await run('test', split.test);
  const at = (alpha: number) => alphas.indexOf(alpha);
  if (at(oldAlpha) < 0) throw new Error(`the recorded α ${oldAlpha} is not in the grid ${alphas.join(', ')}`);
  const testOld = test[at(oldAlpha)]!;
  const testNew = test[at(selection.alpha)]!;
  const testReport = {
    ndcg10: alphas.map((_, i) => mean(test[i]!)),
    previous: mean(testOld),
    chosen: mean(testNew),
    se: standardError(testNew.map((v, u) => v - testOld[u]!)),
    cases: testOld.length,
  };
  const alphaReport: AlphaReport = {
    ...selection,
    previous: oldAlpha,
    test: testReport,
    how: `npm run train -- --retune-alpha ${dir} (exported model, loaded by loadThoughtSpace; weights unchanged)`,
  };
  log(`test NDCG@10 (exported model): α=${oldAlpha} ${testReport.previous.toFixed(4)}, α=${selection.alpha} ${testReport.chosen.toFixed(4)} (paired SE of the difference ${testReport.se.toFixed(4)})`);
  space.dispose();
  cache.dispose();

  const manifestPath = join(dir, THOUGHT_SPACE_MANIFEST);
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { alpha: number };
  manifest.alpha = selection.alpha;
  const manifestText = JSON.stringify(manifest, null, 1) + '\n';
  await writeFile(manifestPath, manifestText);
  const updated = { ...report, alpha: selection.alpha, alphaSelection: alphaReport, sizes: { ...report.sizes, [THOUGHT_SPACE_MANIFEST]: Buffer.byteLength(manifestText) } };
  await writeFile(reportPath, JSON.stringify(updated, null, 1) + '\n');
  const cardPath = join(dir, 'README.md');
  await writeFile(cardPath, updateModelCard(await readFile(cardPath, 'utf8'), alphaReport, Buffer.byteLength(manifestText)));
  log(`wrote α = ${selection.alpha} to ${manifestPath}, ${reportPath} and ${cardPath}`);
}
