/**
 * `npm run slm:train`: builds Pulse's own small language model end to end, in Node, no Python.
 *   1. corpus: MovieLens history windows → chat prompt (buildPreferenceMessages) + the
 *      teacher's preference statement (composePreference); users split train / held out;
 *   2. tokenizer: byte-level BPE trained on the training side of the corpus + catalog titles;
 *   3. model: a small GPT trained in tfjs (wasm backend) with a seeded loop, for a time budget;
 *   4. held-out perplexity (answer tokens of held-out users' examples);
 *   5. export: the transformers.js folder (ONNX fp32 + int8) written by the repo;
 *   6. verification: transformers.js loads the folder and its greedy output is compared with
 *      the tfjs model's; samples and numbers go to the folder's README and training.json.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../model/node-backend.ts';
import { trainByteLevelBpe } from '../slm/bpe-trainer.ts';
import { SPECIAL_TOKENS, TURN_END, TURN_START } from '../slm/chat-format.ts';
import { gptParameterCount, type GptConfig } from '../slm/gpt-config.ts';
import { initGptWeights } from '../slm/gpt-init.ts';
import { GptModel } from '../slm/gpt-tfjs.ts';
import { GptTrainer, disposeBatch, lengthBucketedBatches, makeBatch, perplexity, type TokenizedExample } from '../slm/gpt-trainer.ts';
import { loadLocalTokenizer } from '../slm/local-transformers.ts';
import { writeModelFiles, writeTokenizerFiles } from '../slm/model-folder.ts';
import { buildPreferenceCorpus, groupByUser, type CorpusExample } from '../slm/preference-corpus.ts';
import { loadWeights, saveWeights } from '../slm/weights-file.ts';
import { readCatalog, readMovieLensInteractions } from './slm-data.ts';
import { compareWithTransformersJs, type SampleGeneration } from './slm-verify.ts';
import { slmReadme } from './slm-readme.ts';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: 'models/pulse-slm' },
    ratings: { type: 'string', default: '../shared/data/movielens-small/ratings.csv' },
    catalog: { type: 'string', default: 'public/catalog/movielens.json' },
    minutes: { type: 'string', default: '15' },
    'max-steps': { type: 'string', default: '100000' },
    seed: { type: 'string', default: '42' },
    vocab: { type: 'string', default: '4096' },
    'd-model': { type: 'string', default: '128' },
    layers: { type: 'string', default: '4' },
    heads: { type: 'string', default: '4' },
    context: { type: 'string', default: '512' },
    batch: { type: 'string', default: '8' },
    lr: { type: 'string', default: '0.002' },
    'windows-per-user': { type: 'string', default: '12' },
    'held-out-eval': { type: 'string', default: '240' },
    checkpoint: { type: 'string', default: '.cache/slm/weights.bin' },
    resume: { type: 'boolean', default: false },
    // The batch order's seed; a resumed run should pass another one so that it sees new examples first.
    'order-seed': { type: 'string' },
  },
});

interface TrainingRun {
  steps: number;
  minutes: number;
  peakLearningRate: number;
  orderSeed: number;
}

const started = Date.now();
const log = (line: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)}s] ${line}`);
const num = (name: keyof typeof args): number => Number(args[name]);

async function main(): Promise<void> {
  const outDir = resolve(String(args.out));
  const seed = num('seed');
  const backend = await useNodeBackend('wasm');
  log(`tfjs backend: ${backend}`);

  // 1. Corpus.
  const interactions = await readMovieLensInteractions(resolve(String(args.ratings)));
  const catalog = await readCatalog(resolve(String(args.catalog)));
  const corpus = buildPreferenceCorpus(groupByUser(interactions), catalog, {
    windowsPerUser: num('windows-per-user'),
    maxWindow: 12,
    heldOutShare: 0.1,
    seed,
  });
  log(`corpus: ${corpus.train.length} training examples, ${corpus.heldOut.length} held out (users split 90/10)`);

  // 2. Tokenizer: trained on text only (special tokens are added tokens, never merged).
  const plain = (s: string): string => s.replaceAll(TURN_START, '\n').replaceAll(TURN_END, '\n');
  const bpe = trainByteLevelBpe(
    [...corpus.train.flatMap((e) => [plain(e.prompt), plain(e.answer)]), ...catalog.map((item) => `${item.title} ${item.categories.join(', ')}`)],
    { vocabSize: num('vocab'), specialTokens: SPECIAL_TOKENS },
  );
  await writeTokenizerFiles(outDir, bpe, num('context'));
  log(`tokenizer: byte-level BPE, ${bpe.vocab.size} tokens, ${bpe.merges.length} merges`);

  // Tokenise with transformers.js itself, from the files just written: the ids the model
  // trains on are the ids the worker will feed it.
  const tokenizer = await loadLocalTokenizer(dirname(outDir), basename(outDir));
  const tokenize = (examples: readonly CorpusExample[]): TokenizedExample[] => {
    const out: TokenizedExample[] = [];
    for (const e of examples) {
      const promptIds = tokenizer.encode(e.prompt);
      const ids = tokenizer.encode(e.prompt + e.answer);
      if (!promptIds.every((id, i) => ids[i] === id)) throw new Error('tokenizer: the prompt does not tokenise to a prefix of prompt + answer');
      if (ids.length <= num('context')) out.push({ ids, answerStart: promptIds.length });
    }
    return out;
  };
  const train = tokenize(corpus.train);
  const heldOut = tokenize(corpus.heldOut);
  const tokens = train.reduce((n, e) => n + e.ids.length, 0);
  const answerTokens = train.reduce((n, e) => n + e.ids.length - e.answerStart, 0);
  log(`tokenised: ${train.length} train (${tokens} tokens, ${answerTokens} answer tokens), ${heldOut.length} held out`);

  // 3. Model and training.
  const config: GptConfig = {
    vocabSize: bpe.vocab.size,
    contextLength: num('context'),
    dModel: num('d-model'),
    nLayers: num('layers'),
    nHeads: num('heads'),
    dFeedForward: 4 * num('d-model'),
    layerNormEpsilon: 1e-5,
  };
  const checkpoint = resolve(String(args.checkpoint));
  const weights = args.resume ? await loadWeights(checkpoint) : initGptWeights(config, seed);
  // Earlier runs of this checkpoint (a resumed run continues their count).
  const earlierRuns: TrainingRun[] = args.resume ? (JSON.parse(await readFile(`${checkpoint}.json`, 'utf8')) as { runs: TrainingRun[] }).runs : [];
  const model = new GptModel(config, weights);
  log(`model: ${config.nLayers} layers, d ${config.dModel}, ${config.nHeads} heads, context ${config.contextLength}, ${gptParameterCount(config)} parameters`);

  const budgetMs = num('minutes') * 60_000;
  const batchSize = num('batch');
  const padId = tokenizer.pad_token_id ?? 0;
  const evalSet = heldOut.slice(0, num('held-out-eval'));
  let step = 0;
  let epoch = 0;
  const maxSteps = num('max-steps');
  const trainer = new GptTrainer(model, { peakLearningRate: num('lr'), warmupSteps: 20, finalShare: 0.1 });
  let smoothed = NaN;
  const trainStart = Date.now();
  // The run is bounded by time (the CPU is shared, so step times vary) and by --max-steps;
  // the learning-rate decay follows whichever is nearer its end.
  const progress = (): number => (budgetMs > 0 ? Math.max((Date.now() - trainStart) / budgetMs, step / maxSteps) : 1);
  const orderSeed = args['order-seed'] === undefined ? seed : Number(args['order-seed']);
  outer: while (true) {
    for (const examples of lengthBucketedBatches(train, batchSize, orderSeed + epoch)) {
      if (progress() >= 1) break outer;
      const batch = makeBatch(examples, padId);
      const loss = trainer.step(step, progress(), batch);
      disposeBatch(batch);
      smoothed = Number.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
      step++;
      if (step % 25 === 0) {
        log(`step ${step} (${(100 * progress()).toFixed(0)}% of the budget) epoch ${epoch} loss ${loss.toFixed(3)} (smoothed ${smoothed.toFixed(3)}) tensors ${tf.memory().numTensors}`);
      }
    }
    epoch++;
  }
  const trainSeconds = (Date.now() - trainStart) / 1000;
  log(`trained ${step} steps (${(trainSeconds / 60).toFixed(1)} min, ${epoch} full epochs)`);
  const trained = model.weights();
  await mkdir(dirname(checkpoint), { recursive: true });
  await saveWeights(checkpoint, trained);
  // `--resume --minutes 0` re-exports a checkpoint without adding a run.
  const thisRun: TrainingRun[] = step > 0 ? [{ steps: step, minutes: trainSeconds / 60, peakLearningRate: num('lr'), orderSeed: args['order-seed'] === undefined ? seed : Number(args['order-seed']) }] : [];
  const runs: TrainingRun[] = [...earlierRuns, ...thisRun];
  await writeFile(`${checkpoint}.json`, `${JSON.stringify({ runs }, null, 2)}\n`);

  // 4. Held-out perplexity.
  const held = perplexity(model, evalSet, padId);
  log(`held-out perplexity ${held.perplexity.toFixed(3)} (${held.nll.toFixed(4)} nats/token over ${held.tokens} answer tokens of ${evalSet.length} examples)`);

  // 5. Export.
  const bytes = await writeModelFiles(outDir, config, trained);
  log(`exported ${outDir}: model.onnx ${bytes.fp32} bytes, model_quantized.onnx ${bytes.q8} bytes`);

  // 6. Verification with transformers.js, and samples.
  const samplePrompts = corpus.heldOut.filter((_, i) => i % 67 === 5).slice(0, 4);
  const verification = await compareWithTransformersJs({
    modelsDir: dirname(outDir),
    name: basename(outDir),
    model,
    prompts: samplePrompts,
    maxNewTokens: 80,
    log,
  });
  const report = {
    createdAt: new Date().toISOString(),
    command: `npm run slm:train -- ${process.argv.slice(2).join(' ')}`.trim(),
    config,
    parameters: gptParameterCount(config),
    bytes,
    tokenizer: { type: 'byte-level BPE', vocabSize: bpe.vocab.size, merges: bpe.merges.length },
    corpus: { trainExamples: train.length, heldOutExamples: heldOut.length, trainTokens: tokens, trainAnswerTokens: answerTokens },
    training: {
      steps: runs.reduce((n, r) => n + r.steps, 0),
      minutes: runs.reduce((n, r) => n + r.minutes, 0),
      runs,
      batchSize,
      backend,
      seed,
      finalSmoothedLoss: smoothed,
    },
    heldOut: { perplexity: held.perplexity, nllPerToken: held.nll, answerTokens: held.tokens, examples: evalSet.length },
    verification: verification.summary,
    samples: verification.samples,
  };
  await writeFile(join(outDir, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'README.md'), slmReadme(report, verification.samples as SampleGeneration[]));
  log('wrote training.json and README.md');
  model.dispose();
}

await main();
