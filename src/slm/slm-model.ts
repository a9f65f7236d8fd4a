/**
 * One causal language model loaded through transformers.js: tokenizer + ONNX session on
 * one device and dtype, and generation from chat messages through the model's own chat
 * template — the same path for the shipped pulse-slm and for SmolLM2 / Qwen2.5 folders.
 * Streams decoded text, stops on interrupt, and measures what the benchmark reports.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  InterruptableStoppingCriteria,
  StoppingCriteriaList,
  TextStreamer,
  random,
  Tensor,
  type PreTrainedModel,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { DTYPE_SUFFIX } from './dtype-choice.ts';
import type { GenerationControl } from './generation-control.ts';
import type { SlmDevice, SlmDtype } from './slm-types.ts';
import { groundedDecodingProcessors } from './grounding-constraint-processor.ts';
import type { GroundingFacts } from './grounding.ts';
import { sentenceEnd } from './thought-tree.ts';
import { GenerationStopped, type SamplingPlan } from './tot-lite.ts';

/** The message shape every chat template reads. */
export interface ChatTurn {
  role: string;
  content: string;
}

export type LoadPhase = 'download' | 'compile';

export interface LoadProgress {
  phase: LoadPhase;
  file: string | null;
  /** Bytes of all model files fetched so far / known in all. */
  loaded: number;
  total: number;
}

/** `cpu` is onnxruntime-node's device: Node scripts and unit tests, never the browser. */
export type ModelDevice = SlmDevice | 'cpu';

export interface LoadOptions {
  model: string;
  device: ModelDevice;
  dtype: SlmDtype;
  /** false: only the local models folder is tried. */
  remote: boolean;
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadReport {
  /** Fetching config, tokenizer and weights. */
  downloadMs: number;
  /** Creating the ONNX session and running one token (WebGPU compiles its shaders then). */
  compileMs: number;
  totalMs: number;
  /** Bytes of every file fetched. */
  bytes: number;
}

export interface GenerateOptions {
  maxNewTokens: number;
  sampling: SamplingPlan;
  /** Decoded text as it is written (special tokens skipped). */
  onText?: (text: string) => void;
  control?: GenerationControl;
  /** What the answer may name (grounding-constraint.ts); absent: unconstrained. Ignored for a vocabulary that is not byte-level. */
  grounding?: GroundingFacts;
  /**
   * The answer so far (Tree-of-Thought: the sentences of a chain): the model continues it. It is
   * read by grounded decoding as part of the answer (a title named in it is named), and is not in
   * the returned text.
   */
  prefix?: string;
  /** Stop once one sentence is complete (a thought of the Tree-of-Thought), not at the token limit. */
  stopAtSentenceEnd?: boolean;
}

export interface GenerationReport {
  text: string;
  promptTokens: number;
  newTokens: number;
  /** From the call to the first new token. */
  firstTokenMs: number;
  totalMs: number;
}

/** A model file that is missing, corrupt or will not run; says which model, file, device and dtype. */
export class SlmLoadError extends Error {
  override name = 'SlmLoadError';
}

/**
 * Lets the worker's other messages (a cancel, a recommend) run between decoding steps:
 * ORT's wasm runs resolve on microtasks, so without this a whole generation would hold the
 * event loop and a cancel would only arrive after the last token.
 */
function yieldToEventLoop(): Promise<void> {
  // A message task, not setTimeout(0): nested timers are clamped to 4 ms, which would
  // cost a small model a good share of its per-token time.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Makes every forward pass (one per token) start with a yield. */
function yieldBeforeEachStep(lm: PreTrainedModel): void {
  const forward = lm.forward.bind(lm);
  lm.forward = async (inputs: unknown) => {
    await yieldToEventLoop();
    return forward(inputs as never);
  };
}

/**
 * The one way Pulse turns messages into a prompt, for every model: the tokenizer's own
 * chat template with the generation prompt appended (`<|im_start|>assistant\n` for ChatML).
 */
export function formatChatPrompt(tokenizer: PreTrainedTokenizer, messages: readonly ChatTurn[]): string {
  return tokenizer.apply_chat_template(messages as ChatTurn[], { tokenize: false, add_generation_prompt: true }) as string;
}

/**
 * The prompt as the model reads it: the same template, tokenized in one step, so the count
 * the context check uses is the count generate() feeds the model.
 */
export function encodeChatPrompt(tokenizer: PreTrainedTokenizer, messages: readonly ChatTurn[]): { input_ids: Tensor; attention_mask: Tensor } {
  return tokenizer.apply_chat_template(messages as ChatTurn[], {
    add_generation_prompt: true,
    return_dict: true,
  }) as unknown as { input_ids: Tensor; attention_mask: Tensor };
}

/** The chat prompt followed by the answer so far, as one input (its tokens after the template's). */
function appendPrefix(tokenizer: PreTrainedTokenizer, chat: { input_ids: Tensor; attention_mask: Tensor }, prefix: string): { input_ids: Tensor; attention_mask: Tensor } {
  const ids = [...(chat.input_ids.data as BigInt64Array)];
  const more = tokenizer.encode(prefix, { add_special_tokens: false }).map((id) => BigInt(id));
  const all = BigInt64Array.from([...ids, ...more]);
  return {
    input_ids: new Tensor('int64', all, [1, all.length]),
    attention_mask: new Tensor('int64', new BigInt64Array(all.length).fill(1n), [1, all.length]),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class SlmModel {
  private constructor(
    readonly model: string,
    readonly device: ModelDevice,
    readonly dtype: SlmDtype,
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly lm: PreTrainedModel,
    readonly report: LoadReport,
    /** Context window, when the config says (max_position_embeddings). */
    readonly contextTokens: number | null,
  ) {}

  static async load(options: LoadOptions): Promise<SlmModel> {
    const { model, device, dtype } = options;
    const where = `SLM "${model}" (onnx/model${DTYPE_SUFFIX[dtype]}.onnx, ${dtype} on ${device})`;
    const t0 = performance.now();
    const files = new Map<string, { loaded: number; total: number }>();
    let lastDone = t0;
    const sum = () => {
      let loaded = 0;
      let total = 0;
      for (const file of files.values()) {
        loaded += file.loaded;
        total += file.total;
      }
      return { loaded, total };
    };
    const progress_callback = (info: { status: string; file?: string; loaded?: number; total?: number }) => {
      if (info.file === undefined) return;
      if (info.status === 'progress') files.set(info.file, { loaded: info.loaded ?? 0, total: info.total ?? 0 });
      if (info.status === 'done') {
        lastDone = performance.now();
        const entry = files.get(info.file);
        if (entry) entry.loaded = Math.max(entry.loaded, entry.total);
      }
      if (info.status === 'progress' || info.status === 'done') options.onProgress?.({ phase: 'download', file: info.file, ...sum() });
    };
    const pretrained = { local_files_only: !options.remote, progress_callback };

    let tokenizer: PreTrainedTokenizer;
    try {
      tokenizer = await AutoTokenizer.from_pretrained(model, pretrained);
    } catch (error) {
      throw new SlmLoadError(`${where}: could not load tokenizer.json / tokenizer_config.json — ${message(error)}`, { cause: error });
    }
    if (!tokenizer.chat_template) {
      throw new SlmLoadError(`${where}: tokenizer_config.json has no chat_template, so Pulse cannot format a prompt for it`);
    }

    let lm: PreTrainedModel;
    try {
      // No progress callback here: with one, transformers.js first GETs every model file in
      // full to learn its size, then GETs it again (the .onnx fetched twice). The browser
      // counts the model's bytes as they arrive instead (slm-runtime.ts, watchDownloads).
      lm = await AutoModelForCausalLM.from_pretrained(model, { local_files_only: !options.remote, device, dtype });
    } catch (error) {
      throw new SlmLoadError(`${where}: could not load the model — ${message(error)}`, { cause: error });
    }
    yieldBeforeEachStep(lm);
    // The weights arrive inside from_pretrained (no per-file events: see above), with the
    // session's creation; "compile" is the first token's run.
    lastDone = performance.now();
    const downloadMs = lastDone - t0;
    options.onProgress?.({ phase: 'compile', file: null, ...sum() });
    const config = lm.config as unknown as { max_position_embeddings?: number };
    const slm = new SlmModel(model, device, dtype, tokenizer, lm, { downloadMs, compileMs: 0, totalMs: 0, bytes: 0 }, config.max_position_embeddings ?? null);
    // One token through the session: shaders compile and kernels are chosen here, not on
    // the shopper's first rationale; a model that loads but cannot run fails here too.
    try {
      await slm.generate([{ role: 'user', content: 'Hi' }], { maxNewTokens: 1, sampling: { do_sample: false } });
    } catch (error) {
      await lm.dispose().catch(() => undefined);
      throw new SlmLoadError(`${where}: loaded but could not run — ${message(error)}`, { cause: error });
    }
    const end = performance.now();
    Object.assign(slm.report, { compileMs: end - lastDone, totalMs: end - t0, bytes: sum().loaded });
    return slm;
  }

  /** The prompt exactly as the model sees it (chat template applied, generation prompt added). */
  formatPrompt(messages: readonly ChatTurn[]): string {
    return formatChatPrompt(this.tokenizer, messages);
  }

  async generate(messages: readonly ChatTurn[], options: GenerateOptions): Promise<GenerationReport> {
    const t0 = performance.now();
    const chat = encodeChatPrompt(this.tokenizer, messages);
    // Where the answer starts: grounded decoding reads from here, so it sees the prefix too.
    const answerStart = chat.input_ids.dims.at(-1) ?? 0;
    const inputs = options.prefix ? appendPrefix(this.tokenizer, chat, options.prefix) : chat;
    const promptTokens = inputs.input_ids.dims.at(-1) ?? 0;
    let maxNewTokens = options.maxNewTokens;
    if (this.contextTokens !== null) {
      if (promptTokens >= this.contextTokens) {
        throw new Error(`the prompt is ${promptTokens} tokens; ${this.model} reads at most ${this.contextTokens}`);
      }
      maxNewTokens = Math.min(maxNewTokens, this.contextTokens - promptTokens);
    }
    let firstTokenAt = 0;
    let newTokens = 0;
    let written = '';
    const stopping = new StoppingCriteriaList();
    const interrupt = new InterruptableStoppingCriteria();
    const sentenceDone = new InterruptableStoppingCriteria();
    stopping.push(interrupt);
    stopping.push(sentenceDone);
    const streamer = new TextStreamer(this.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (text: string) => {
        if (!text) return;
        options.onText?.(text);
        written += text;
        // The streamer flushes at word ends, so a finished sentence is seen one token after its mark.
        if (options.stopAtSentenceEnd && sentenceEnd(written.trimStart(), false) >= 0) sentenceDone.interrupt();
      },
      token_callback_function: () => {
        newTokens++;
        if (firstTokenAt === 0) firstTokenAt = performance.now();
        options.control?.checkDeadline(performance.now());
      },
    });
    const unsubscribe = options.control?.onStop(() => interrupt.interrupt());
    const { seed, ...sampling } = options.sampling;
    // transformers.js samples from one module-level Mersenne Twister: seeding it right
    // before each candidate makes the candidates of a history repeatable.
    if (seed !== undefined) random.seed(seed);
    const constrained = options.grounding ? groundedDecodingProcessors(this.tokenizer, options.grounding, answerStart) : null;
    let output: Tensor;
    try {
      output = (await this.lm.generate({
        ...inputs,
        ...sampling,
        max_new_tokens: maxNewTokens,
        streamer,
        stopping_criteria: stopping,
        ...(constrained ? { logits_processor: constrained } : {}),
      })) as Tensor;
    } finally {
      unsubscribe?.();
    }
    if (options.control?.reason) {
      throw new GenerationStopped(options.control.reason, options.control.reason === 'timeout' ? 'the SLM ran out of time' : 'the rationale was cancelled');
    }
    const generated = output.slice(null, [promptTokens, output.dims.at(-1) ?? promptTokens]);
    const [text = ''] = this.tokenizer.batch_decode(generated, { skip_special_tokens: true });
    return { text, promptTokens, newTokens, firstTokenMs: (firstTokenAt || performance.now()) - t0, totalMs: performance.now() - t0 };
  }

  async dispose(): Promise<void> {
    await this.lm.dispose();
  }
}
