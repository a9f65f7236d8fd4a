/**
 * `npm run train`: trains the PULSE Thought Space on an interactions log and a catalog,
 * early-stopped on validation NDCG@10, evaluates it on the held-out test split with the
 * evaluation harness, and exports the towers for the worker (int8 weights when that costs
 * < 1% validation NDCG@10, else float32) with a model card.
 */
import { parseArgs } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DATA_SPLIT_OPTIONS, DEFAULT_DATA, parseTies } from '../eval/cli-args.ts';
import { loadEvalDataset } from '../eval/dataset-files.ts';
import { evaluateModels } from '../eval/harness.ts';
import { cutTime, leaveOneOutSplit, parseCut, temporalSplit } from '../eval/split.ts';
import { dirSource } from '../model/node-model-files.ts';
import { loadThoughtSpace } from '../model/thought-space-loader.ts';
import { ThoughtSpaceRecommender, THOUGHT_SPACE_DEFAULTS, type ThoughtSpaceVariant } from '../model/thought-space-recommender.ts';
import { exportThoughtSpace, type WeightPrecision } from './export-thought-space.ts';
import { exportedValidationNdcg } from './exported-validation.ts';
import { modelCard } from './model-card.ts';
import { retuneAlpha } from './retune-alpha.ts';
import { TextVectorCache } from './text-vector-cache.ts';

export const TRAIN_USAGE = `npm run train -- [--interactions <csv>] [--catalog <json|csv>] [--out models/<name>] [options]
  --interactions <csv>      default ${DEFAULT_DATA.interactions} (committed)
  --catalog <json|csv>      default ${DEFAULT_DATA.catalog}
  --out <dir>               default models/pulse-trained
  --vectors <json>          catalog text vectors (default: <catalog>.vectors.json)
  --ties seeded|file        order of same-time events (default seeded)
  --split loo|temporal      validation/test protocol (default loo); temporal uses --val-cut/--test-cut (0.8/0.9)
  --seed N                  default 1
  --variant full|norat|ratonly|noid   default full
  --max-epochs N            default ${THOUGHT_SPACE_DEFAULTS.maxEpochs} (early stopping usually ends sooner)
  --time-budget-min M       stop training after M minutes, keeping the best epoch
  --why-weight W            weight of the alignment loss (default ${THOUGHT_SPACE_DEFAULTS.whyWeight})
npm run train -- --retune-alpha models/<name>
                            choose α again for an exported model (same split, same α grid; weights unchanged)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    strict: true,
    options: {
      ...DATA_SPLIT_OPTIONS,
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      variant: { type: 'string', default: 'full' },
      'max-epochs': { type: 'string' },
      'time-budget-min': { type: 'string' },
      'why-weight': { type: 'string' },
      'retune-alpha': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(TRAIN_USAGE);
    return;
  }
  if (values['retune-alpha']) {
    await retuneAlpha(values['retune-alpha'], (line) => console.error(line));
    return;
  }
  values.interactions ??= DEFAULT_DATA.interactions;
  values.catalog ??= DEFAULT_DATA.catalog;
  values.out ??= 'models/pulse-trained';
  const ties = parseTies(values.ties);
  const variant = values.variant as ThoughtSpaceVariant;
  if (!['full', 'norat', 'ratonly', 'noid'].includes(variant)) throw new RangeError(`--variant must be full, norat, ratonly or noid; got ${variant}`);
  const seed = Number(values.seed);
  const log = (line: string) => console.error(line);
  const started = performance.now();
  const data = await loadEvalDataset({ interactions: values.interactions, catalog: values.catalog, ...(values.vectors ? { vectors: values.vectors } : {}) });
  data.skipped.forEach((s) => log(`skipped ${s.count} row(s): ${s.reason}`));
  const split =
    values.split === 'temporal'
      ? temporalSplit(data.interactions, seed, cutTime(parseCut(values['val-cut']!), data.interactions), cutTime(parseCut(values['test-cut']!), data.interactions), 10, ties)
      : leaveOneOutSplit(data.interactions, seed, ties);
  split.notes.forEach((n) => log(n));
  const options = {
    ...THOUGHT_SPACE_DEFAULTS,
    variant,
    ...(values['max-epochs'] ? { maxEpochs: Number(values['max-epochs']) } : {}),
    ...(values['time-budget-min'] ? { timeBudgetMs: Number(values['time-budget-min']) * 60_000 } : {}),
    ...(values['why-weight'] ? { whyWeight: Number(values['why-weight']) } : {}),
    // The same sweep hook as npm run eval (src/eval/registry.ts), e.g. {"patience":2}.
    ...(process.env.PULSE_MODEL_OVERRIDES ? (JSON.parse(process.env.PULSE_MODEL_OVERRIDES) as object) : {}),
  };
  const cache = new TextVectorCache();
  const name = variant === 'full' ? 'pulse' : `pulse-${variant}`;
  const recommender = new ThoughtSpaceRecommender(name, options, cache.encode);
  const [run] = await evaluateModels(data, split, [{ name, create: () => recommender }], { seed, log });
  const model = recommender.model!;

  // Export both ways and measure each through the worker's own loader on validation: int8
  // weights ship when they cost < 1% NDCG@10 against float32. (The item vectors use the
  // item-vector file's int8 rows either way; the in-memory score shows what that costs.)
  const inMemory = await recommender.validationNdcg(split.validation);
  const measure = async (precision: WeightPrecision) => {
    const files = await exportThoughtSpace(model, recommender.alpha, data.catalog, values.out!, precision);
    const space = await loadThoughtSpace(dirSource(values.out!));
    const ndcg = await exportedValidationNdcg(space, split.validation, recommender);
    space.dispose();
    return { files, ndcg };
  };
  const float = await measure('float32');
  let exported = await measure('int8');
  let precision: WeightPrecision = 'int8';
  log(`validation NDCG@10: in memory ${inMemory.toFixed(4)}, exported float32 ${float.ndcg.toFixed(4)}, exported int8 ${exported.ndcg.toFixed(4)}`);
  if (exported.ndcg < float.ndcg * 0.99) {
    precision = 'float32';
    exported = await measure('float32');
    log('int8 weights cost ≥ 1% NDCG@10: shipped float32 weights');
  }
  const overrides = process.env.PULSE_MODEL_OVERRIDES ? `PULSE_MODEL_OVERRIDES='${process.env.PULSE_MODEL_OVERRIDES}' ` : '';
  const command = `${overrides}npm run train -- ${process.argv.slice(2).join(' ')}`;
  const report = {
    command,
    variant,
    seed,
    split: split.notes,
    options,
    alpha: recommender.alpha,
    alphaSelection: recommender.alphaSelection,
    fit: recommender.report,
    test: run,
    validation: { inMemory, float32: float.ndcg, int8: precision === 'int8' ? exported.ndcg : null, exported: exported.ndcg, precision },
    sizes: exported.files.sizes,
    parameters: Object.fromEntries(Object.entries(model.w).map(([k, v]) => [k, v.size])),
    seconds: (performance.now() - started) / 1000,
  };
  await writeFile(join(values.out, 'train-report.json'), JSON.stringify(report, null, 1) + '\n');
  await writeFile(join(values.out, 'README.md'), modelCard({ ...report, interactions: values.interactions, catalog: values.catalog, outDir: values.out }));
  cache.dispose();
  log(`wrote ${values.out} in ${report.seconds.toFixed(0)} s: test NDCG@10 ${run!.full['NDCG@10']!.toFixed(4)}, HR@10 ${run!.full['HR@10']!.toFixed(4)}`);
}

await main();
