/**
 * `npm run slm:train`: builds Pulse's own small language model end to end, in Node, no Python.
 *   1. corpus: MovieLens history windows → chat prompt (buildPreferenceMessages) + the
 *      teacher's preference statement (composePreference); users split train / held out;
 *   2. tokenizer: byte-level BPE trained on the training side of the corpus + catalog titles;
 *   3. model: a small GPT trained in tfjs with a seeded loop, for a time budget — on the wasm
 *      backend, or on a GPU through Dawn's WebGPU (`--backend webgpu`, the API the browser runs);
 *   4. held-out perplexity (answer tokens of held-out users' examples);
 *   5. export: the transformers.js folder (ONNX fp32 + int8) written by the repo;
 *   6. verification: transformers.js loads the folder and its greedy output is compared with
 *      the tfjs model's; greedy answers to held-out prompts are put through the worker's grounding
 *      check; samples and numbers go to the folder's README and training.json.
 *
 * Steps 1–2 need transformers.js and the raw data, step 3 only tfjs: `--prepare-only` writes the
 * tokenised corpus to one file, and `--corpus FILE` trains from it (a GPU server can run a bundled
 * trainer without the rest of the repo), ending at the checkpoint and held-out perplexity;
 * `--resume --minutes 0` then exports that checkpoint here.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { nodeBackendDevice, useNodeBackend, type NodeBackend } from '../model/node-backend.ts';
import { trainByteLevelBpe } from './slm/bpe-trainer.ts';
import { SPECIAL_TOKENS, TURN_END, TURN_START } from './slm/chat-format.ts';
import { gptParameterCount, type GptConfig } from './slm/gpt-config.ts';
import { initGptWeights } from './slm/gpt-init.ts';
import { GptModel } from './slm/gpt-tfjs.ts';
import { GptTrainer, disposeBatch, lengthBucketedBatches, makeBatch, perplexity, type TokenizedExample } from './slm/gpt-trainer.ts';
import { writeModelFiles, writeTokenizerFiles } from './slm/model-folder.ts';
import { buildPreferenceCorpus, groupByUser, type CorpusExample } from './slm/preference-corpus.ts';
import { loadWeights, saveWeights } from './slm/weights-file.ts';
import { loadTokenizedCorpus, saveTokenizedCorpus, type TokenizedCorpus } from './slm-corpus-file.ts';
import { readCatalog, readMovieLensInteractions } from './slm-data.ts';
import { slmReadme, type TrainingRun } from './slm-readme.ts';
import { SLM_DEFAULTS } from '../worker/slm-host.ts';

const SLM_TRAIN_OPTIONS = {
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
    'warmup-steps': { type: 'string', default: '20' },
    // Windows drawn per training user; held-out perplexity always uses 12 per held-out user,
    // so runs with different corpora are scored on the same examples.
    'windows-per-user': { type: 'string', default: '12' },
    'held-out-eval': { type: 'string', default: '240' },
    // Held-out prompts whose greedy answer is put through the grounding check at export.
    'grounding-eval': { type: 'string', default: '100' },
    checkpoint: { type: 'string', default: '.cache/slm/weights.bin' },
    resume: { type: 'boolean', default: false },
    // The batch order's seed; a resumed run should pass another one so that it sees new examples first.
    'order-seed': { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    'webgpu-module': { type: 'string', default: 'webgpu' },
    'prepare-only': { type: 'boolean', default: false },
    'corpus-file': { type: 'string', default: '.cache/slm/corpus.bin' },
    // Train from a corpus file written by --prepare-only (no transformers.js, no raw data needed).
    corpus: { type: 'string' },
    'log-every': { type: 'string', default: '25' },
    help: { type: 'boolean', short: 'h' },
} as const;
const { values: args } = parseArgs({ options: SLM_TRAIN_OPTIONS });
if (args.help) {
  // The header of this file explains each step; the options and their defaults:
  const lines = Object.entries(SLM_TRAIN_OPTIONS).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}${'default' in o ? `   (default ${String(o.default)})` : ''}`);
  console.log(`Usage: npm run slm:train -- [options]\n${lines.join('\n')}`);
  process.exit(0);
}

/** What a checkpoint's .json sidecar records: its runs, and the tokenizer its ids come from. */
interface CheckpointRecord {
  runs: TrainingRun[];
  tokenizerSha256?: string;
  config?: GptConfig;
}

const started = Date.now();
const log = (line: string): void => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)}s] ${line}`);
const num = (name: keyof typeof args): number => Number(args[name]);
const REFERENCE_WINDOWS = 12;

interface Prepared {
  corpus: TokenizedCorpus;
  /** Held-out examples as text, in the order of corpus.heldOut (samples and grounding). */
  heldOutText: CorpusExample[];
  tokenizer: { vocabSize: number; merges: number };
}

async function prepare(outDir: string): Promise<Prepared> {
  // transformers.js only here: a trainer bundled for a GPU server runs from --corpus without it.
  const { loadLocalTokenizer } = await import('./slm/local-transformers.ts');
  const interactions = await readMovieLensInteractions(resolve(String(args.ratings)));
  const catalog = await readCatalog(resolve(String(args.catalog)));
  const byUser = groupByUser(interactions);
  const corpusOptions = { maxWindow: 12, heldOutShare: 0.1, seed: num('seed') };
  const reference = buildPreferenceCorpus(byUser, catalog, { ...corpusOptions, windowsPerUser: REFERENCE_WINDOWS });
  const windows = num('windows-per-user');
  const corpus = windows === REFERENCE_WINDOWS ? reference : buildPreferenceCorpus(byUser, catalog, { ...corpusOptions, windowsPerUser: windows });
  log(`corpus: ${corpus.train.length} training examples (${windows} windows per user), ${reference.heldOut.length} held out (users split 90/10)`);

  // Tokenizer: trained on text only (special tokens are added tokens, never merged). A resumed
  // run keeps the folder's tokenizer — its ids are the ones the checkpoint was trained on.
  const tokenizerPath = join(outDir, 'tokenizer.json');
  if (!(args.resume && existsSync(tokenizerPath))) {
    const plain = (s: string): string => s.replaceAll(TURN_START, '\n').replaceAll(TURN_END, '\n');
    const bpe = trainByteLevelBpe(
      [...corpus.train.flatMap((e) => [plain(e.prompt), plain(e.answer)]), ...catalog.map((item) => `${item.title} ${item.categories.join(', ')}`)],
      { vocabSize: num('vocab'), specialTokens: SPECIAL_TOKENS },
    );
    await writeTokenizerFiles(outDir, bpe, num('context'));
  }
  const tokenizerJson = await readFile(tokenizerPath);
  const parsed = JSON.parse(tokenizerJson.toString('utf8')) as { model: { vocab: Record<string, number>; merges: unknown[] }; added_tokens: unknown[] };
  const vocabSize = Object.keys(parsed.model.vocab).length;
  log(`tokenizer: byte-level BPE, ${vocabSize} tokens, ${parsed.model.merges.length} merges${args.resume ? ' (kept from the folder)' : ''}`);

  // Tokenise with transformers.js itself, from the files written: the ids the model trains on
  // are the ids the worker will feed it.
  const tokenizer = await loadLocalTokenizer(dirname(outDir), basename(outDir));
  const tokenize = (examples: readonly CorpusExample[]): { kept: TokenizedExample[]; text: CorpusExample[] } => {
    const kept: TokenizedExample[] = [];
    const text: CorpusExample[] = [];
    for (const e of examples) {
      const promptIds = tokenizer.encode(e.prompt);
      const ids = tokenizer.encode(e.prompt + e.answer);
      if (!promptIds.every((id, i) => ids[i] === id)) throw new Error('tokenizer: the prompt does not tokenise to a prefix of prompt + answer');
      if (ids.length <= num('context')) {
        kept.push({ ids, answerStart: promptIds.length });
        text.push(e);
      }
    }
    return { kept, text };
  };
  const train = tokenize(corpus.train).kept;
  const heldOut = tokenize(reference.heldOut);
  const stats = {
    trainExamples: train.length,
    heldOutExamples: heldOut.kept.length,
    trainTokens: train.reduce((n, e) => n + e.ids.length, 0),
    trainAnswerTokens: train.reduce((n, e) => n + e.ids.length - e.answerStart, 0),
  };
  log(`tokenised: ${stats.trainExamples} train (${stats.trainTokens} tokens, ${stats.trainAnswerTokens} answer tokens), ${stats.heldOutExamples} held out`);
  const tokenized: TokenizedCorpus = {
    train,
    heldOut: heldOut.kept,
    padId: tokenizer.pad_token_id ?? 0,
    vocabSize,
    tokenizerSha256: createHash('sha256').update(tokenizerJson).digest('hex'),
    stats,
  };
  return { corpus: tokenized, heldOutText: heldOut.text, tokenizer: { vocabSize, merges: parsed.model.merges.length } };
}

/** Seeded, time-budgeted training; reads the loss only every few steps (a GPU queue stays full). */
async function fit(model: GptModel, train: readonly TokenizedExample[], padId: number, backend: NodeBackend): Promise<{ steps: number; seconds: number; epochs: number; smoothed: number }> {
  const budgetMs = num('minutes') * 60_000;
  const batchSize = num('batch');
  const maxSteps = num('max-steps');
  const logEvery = num('log-every');
  // On WebGPU every tensor gets one of four shapes (see BatchShape); wasm wastes nothing on padding.
  const shape = backend === 'webgpu' ? { padMultiple: 128, allRows: true } : {};
  const trainer = new GptTrainer(model, { peakLearningRate: num('lr'), warmupSteps: num('warmup-steps'), finalShare: 0.1 });
  const orderSeed = args['order-seed'] === undefined ? num('seed') : Number(args['order-seed']);
  let step = 0;
  let epoch = 0;
  let smoothed = NaN;
  const trainStart = Date.now();
  // The run is bounded by time (the CPU is shared, so step times vary) and by --max-steps;
  // the learning-rate decay follows whichever is nearer its end.
  const progress = (): number => (budgetMs > 0 ? Math.max((Date.now() - trainStart) / budgetMs, step / maxSteps) : 1);
  outer: while (progress() < 1) {
    for (const examples of lengthBucketedBatches(train, batchSize, orderSeed + epoch)) {
      if (progress() >= 1) break outer;
      const batch = makeBatch(examples, padId, shape);
      const loss = trainer.step(step, progress(), batch);
      disposeBatch(batch);
      step++;
      if (step % logEvery === 0) {
        const value = (await loss.data())[0]!;
        smoothed = Number.isNaN(smoothed) ? value : 0.8 * smoothed + 0.2 * value;
        const rate = step / ((Date.now() - trainStart) / 1000);
        // tfjs-webgpu also reports the GPU memory it holds, pooled buffers included.
        const memory = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
        const gpu = memory.numBytesAllocatedInGPU === undefined ? '' : `, GPU buffers ${(memory.numBytesAllocatedInGPU / 1e6).toFixed(0)} MB`;
        log(`step ${step} (${(100 * progress()).toFixed(0)}% of the budget, ${rate.toFixed(2)} steps/s) epoch ${epoch} loss ${value.toFixed(3)} (smoothed ${smoothed.toFixed(3)}) tensors ${memory.numTensors}${gpu}`);
      }
      loss.dispose();
    }
    epoch++;
  }
  return { steps: step, seconds: (Date.now() - trainStart) / 1000, epochs: epoch, smoothed };
}

async function main(): Promise<void> {
  const outDir = resolve(String(args.out));
  const seed = num('seed');
  const backendWanted = String(args.backend) as NodeBackend;
  if (!['wasm', 'cpu', 'webgpu'].includes(backendWanted)) throw new Error(`--backend ${backendWanted}: expected wasm, cpu or webgpu`);
  if (args.corpus !== undefined && args['prepare-only']) throw new Error('--corpus trains from a prepared file; --prepare-only makes one: pick one');

  // 1–2. Corpus and tokenizer.
  const prepared = args.corpus === undefined ? await prepare(outDir) : null;
  if (prepared) {
    const corpusFile = resolve(String(args['corpus-file']));
    await mkdir(dirname(corpusFile), { recursive: true });
    await saveTokenizedCorpus(corpusFile, prepared.corpus);
    log(`wrote the tokenised corpus to ${corpusFile}`);
    if (args['prepare-only']) return;
  }
  const corpus = prepared?.corpus ?? (await loadTokenizedCorpus(resolve(String(args.corpus))));
  const backend = await useNodeBackend(backendWanted, String(args['webgpu-module']));
  log(`tfjs backend: ${backend} on ${nodeBackendDevice()}`);

  // 3. Model and training.
  const checkpoint = resolve(String(args.checkpoint));
  const record: CheckpointRecord = args.resume ? (JSON.parse(await readFile(`${checkpoint}.json`, 'utf8')) as CheckpointRecord) : { runs: [] };
  if (record.tokenizerSha256 !== undefined && record.tokenizerSha256 !== corpus.tokenizerSha256) {
    throw new Error(`${checkpoint} was trained with another tokenizer than the corpus's (sha-256 ${record.tokenizerSha256.slice(0, 12)}… vs ${corpus.tokenizerSha256.slice(0, 12)}…)`);
  }
  const config: GptConfig = record.config ?? {
    vocabSize: corpus.vocabSize,
    contextLength: num('context'),
    dModel: num('d-model'),
    nLayers: num('layers'),
    nHeads: num('heads'),
    dFeedForward: 4 * num('d-model'),
    layerNormEpsilon: 1e-5,
  };
  const model = new GptModel(config, args.resume ? await loadWeights(checkpoint) : initGptWeights(config, seed));
  log(`model: ${config.nLayers} layers, d ${config.dModel}, ${config.nHeads} heads, context ${config.contextLength}, ${gptParameterCount(config)} parameters`);
  const run = await fit(model, corpus.train, corpus.padId, backend);
  log(`trained ${run.steps} steps (${(run.seconds / 60).toFixed(1)} min, ${run.epochs} full epochs)`);
  const trained = await model.weights();
  await mkdir(dirname(checkpoint), { recursive: true });
  await saveWeights(checkpoint, trained);
  // `--resume --minutes 0` re-exports a checkpoint without adding a run.
  if (run.steps > 0) {
    record.runs.push({
      steps: run.steps,
      minutes: run.seconds / 60,
      peakLearningRate: num('lr'),
      orderSeed: args['order-seed'] === undefined ? seed : Number(args['order-seed']),
      batchSize: num('batch'),
      backend,
      device: nodeBackendDevice(),
      windowsPerUser: prepared ? num('windows-per-user') : undefined,
      trainExamples: corpus.stats.trainExamples,
      smoothedLoss: run.smoothed,
      command: `slm:train ${process.argv.slice(2).join(' ')}`,
    });
  }
  await writeFile(`${checkpoint}.json`, `${JSON.stringify({ ...record, tokenizerSha256: corpus.tokenizerSha256, config }, null, 2)}\n`);

  // 4. Held-out perplexity.
  const evalSet = corpus.heldOut.slice(0, num('held-out-eval'));
  const held = await perplexity(model, evalSet, corpus.padId);
  log(`held-out perplexity ${held.perplexity.toFixed(3)} (${held.nll.toFixed(4)} nats/token over ${held.tokens} answer tokens of ${evalSet.length} examples)`);
  if (!prepared) {
    log(`checkpoint written; export it with: npm run slm:train -- --resume --minutes 0`);
    model.dispose();
    return;
  }

  // 5. Export.
  const bytes = await writeModelFiles(outDir, config, trained);
  log(`exported ${outDir}: model.onnx ${bytes.fp32} bytes, model_quantized.onnx ${bytes.q8} bytes`);

  // 6. Verification with transformers.js, grounding and samples.
  const { compareWithTransformersJs, groundingOfAnswers } = await import('./slm-verify.ts');
  const samplePrompts = prepared.heldOutText.filter((_, i) => i % 67 === 5).slice(0, 4);
  const verification = await compareWithTransformersJs({ modelsDir: dirname(outDir), name: basename(outDir), model, prompts: samplePrompts, maxNewTokens: 80, log });
  const groundingOf = (constrained: boolean): ReturnType<typeof groundingOfAnswers> =>
    groundingOfAnswers({
      modelsDir: dirname(outDir),
      name: basename(outDir),
      prompts: prepared.heldOutText.slice(0, num('grounding-eval')),
      maxNewTokens: SLM_DEFAULTS.maxNewTokens,
      constrained,
      candidates: SLM_DEFAULTS.candidates,
      log,
    });
  // Free decoding says what the model has learned; constrained decoding is what the worker runs.
  const grounding = { free: await groundingOf(false), constrained: await groundingOf(true) };
  const runs = record.runs;
  const report = {
    createdAt: new Date().toISOString(),
    command: `npm run slm:train -- ${process.argv.slice(2).join(' ')}`.trim(),
    config,
    parameters: gptParameterCount(config),
    bytes,
    tokenizer: { type: 'byte-level BPE', ...prepared.tokenizer },
    corpus: corpus.stats,
    training: {
      steps: runs.reduce((n, r) => n + r.steps, 0),
      minutes: runs.reduce((n, r) => n + r.minutes, 0),
      examples: runs.reduce((n, r) => n + r.steps * (r.batchSize ?? 8), 0),
      runs,
      seed,
      finalSmoothedLoss: runs.at(-1)?.smoothedLoss ?? Number.NaN,
    },
    heldOut: { perplexity: held.perplexity, nllPerToken: held.nll, answerTokens: held.tokens, examples: evalSet.length },
    grounding,
    verification: verification.summary,
    samples: verification.samples,
  };
  await writeFile(join(outDir, 'training.json'), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(outDir, 'README.md'), slmReadme(report, verification.samples));
  log('wrote training.json and README.md');
  model.dispose();
}

await main();
