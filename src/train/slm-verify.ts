/**
 * Node-only: checks an exported model folder through transformers.js exactly as the worker
 * loads it (local files, dtype fp32 and q8) against the tfjs model it was exported from:
 * greedy continuations must agree token for token (fp32), and the int8 model's logits must
 * stay close to fp32's. Also collects sample generations for the README.
 */
import { random, type LogitsProcessorList, type PreTrainedModel, type Tensor } from '@huggingface/transformers';
import type { GptModel } from './slm/gpt-tfjs.ts';
import { loadLocalCausalLM, loadLocalTokenizer } from './slm/local-transformers.ts';
import type { CorpusExample } from './slm/preference-corpus.ts';
import { ungroundedReason } from '../slm/grounding.ts';
import { groundedDecodingProcessors } from '../slm/grounding-constraint-processor.ts';
import { samplingPlan, type SamplingPlan } from '../slm/tot-lite.ts';

export interface SampleGeneration {
  history: string;
  teacher: string;
  generatedQ8: string;
  generatedFp32: string;
  /** q8 greedy under grounded decoding, as the worker decodes (its grounding check's verdict: null = passes). */
  groundedQ8: string;
  groundedVerdict: string | null;
}

export interface VerificationSummary {
  /** Greedy tokens compared per prompt (tfjs without cache vs ONNX with cache, fp32). */
  comparedTokens: number;
  /** Prompts whose compared tokens were all equal. */
  greedyEqualPrompts: number;
  prompts: number;
  /** Largest |fp32 − q8| over the last prompt position's logits, and the logits' range there. */
  q8MaxAbsLogitDiff: number;
  fp32LogitRange: number;
  /** Prompts whose next-token argmax is the same in fp32 and q8. */
  q8ArgmaxAgreement: number;
}

function lastLogits(logits: Tensor): Float32Array {
  const [, time, vocab] = logits.dims as [number, number, number];
  return (logits.data as Float32Array).slice((time - 1) * vocab, time * vocab);
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

async function generatedIds(model: PreTrainedModel, inputIds: Tensor, attentionMask: Tensor, maxNewTokens: number, sampling: SamplingPlan = { do_sample: false }, logitsProcessor?: LogitsProcessorList | null): Promise<number[]> {
  const { seed, ...options } = sampling;
  // As in the worker (slm-model.ts): transformers.js samples from one seeded module-level generator.
  if (seed !== undefined) random.seed(seed);
  const output = (await model.generate({
    input_ids: inputIds,
    attention_mask: attentionMask,
    max_new_tokens: maxNewTokens,
    ...options,
    ...(logitsProcessor ? { logits_processor: logitsProcessor } : {}),
  })) as Tensor;
  return Array.from(output.data as BigInt64Array, Number).slice(inputIds.dims[1]);
}

const greedyIds = (model: PreTrainedModel, inputIds: Tensor, attentionMask: Tensor, maxNewTokens: number): Promise<number[]> =>
  generatedIds(model, inputIds, attentionMask, maxNewTokens);

export async function compareWithTransformersJs(options: {
  modelsDir: string;
  name: string;
  model: GptModel;
  prompts: readonly CorpusExample[];
  maxNewTokens: number;
  /** Tokens compared against tfjs (its uncached greedy loop is slow). */
  comparedTokens?: number;
  log: (line: string) => void;
}): Promise<{ summary: VerificationSummary; samples: SampleGeneration[] }> {
  const compared = options.comparedTokens ?? 24;
  const tokenizer = await loadLocalTokenizer(options.modelsDir, options.name);
  const fp32 = await loadLocalCausalLM(options.modelsDir, options.name, 'fp32');
  const q8 = await loadLocalCausalLM(options.modelsDir, options.name, 'q8');
  const stopId = tokenizer.eos_token_id as number;
  const summary: VerificationSummary = {
    comparedTokens: compared,
    greedyEqualPrompts: 0,
    prompts: options.prompts.length,
    q8MaxAbsLogitDiff: 0,
    fp32LogitRange: 0,
    q8ArgmaxAgreement: 0,
  };
  const samples: SampleGeneration[] = [];
  for (const example of options.prompts) {
    const { input_ids, attention_mask } = tokenizer(example.prompt, { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor };
    const promptIds = Array.from(input_ids.data as BigInt64Array, Number);
    const onnxIds = await greedyIds(fp32, input_ids, attention_mask, options.maxNewTokens);
    const q8Ids = await greedyIds(q8, input_ids, attention_mask, options.maxNewTokens);
    const groundedIds = await generatedIds(q8, input_ids, attention_mask, options.maxNewTokens, { do_sample: false }, groundedDecodingProcessors(tokenizer, example.facts, input_ids.dims[1]!));
    const tfjsIds = await options.model.greedy(promptIds, compared, [stopId]);
    const equal = tfjsIds.every((id, i) => onnxIds[i] === id);
    if (equal) summary.greedyEqualPrompts++;
    else options.log(`greedy mismatch: tfjs ${tfjsIds.join(',')} vs onnx ${onnxIds.slice(0, compared).join(',')}`);

    const a = lastLogits(((await fp32({ input_ids, attention_mask })) as { logits: Tensor }).logits);
    const b = lastLogits(((await q8({ input_ids, attention_mask })) as { logits: Tensor }).logits);
    let diff = 0;
    for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    summary.q8MaxAbsLogitDiff = Math.max(summary.q8MaxAbsLogitDiff, diff);
    summary.fp32LogitRange = Math.max(summary.fp32LogitRange, Math.max(...a) - Math.min(...a));
    if (argmax(a) === argmax(b)) summary.q8ArgmaxAgreement++;

    const decode = (ids: number[]): string => tokenizer.decode(ids, { skip_special_tokens: true }).trim();
    const user = example.prompt.split('<|im_start|>user\n')[1]?.split('<|im_end|>')[0] ?? '';
    samples.push({
      history: user,
      teacher: example.answer.replace('<|im_end|>', ''),
      generatedQ8: decode(q8Ids),
      generatedFp32: decode(onnxIds),
      groundedQ8: decode(groundedIds),
      groundedVerdict: ungroundedReason(decode(groundedIds), example.facts),
    });
    options.log(`sample: ${decode(q8Ids)}`);
  }
  await fp32.dispose();
  await q8.dispose();
  return { summary, samples };
}

export interface GroundingSummary {
  /** Held-out prompts answered greedily (q8, as the worker runs it by default on wasm). */
  prompts: number;
  /** Whether decoding was held to the history's titles and categories (grounding-constraint.ts), as in the worker. */
  constrained: boolean;
  /** Answers the worker's grounding check accepts (src/slm/grounding.ts). */
  grounded: number;
  /** Answers that name at least one title, all of them from the history. */
  groundedWithTitles: number;
  /** The most common reasons for rejection (greedy answers), with counts. */
  reasons: { reason: string; count: number }[];
  /** Candidates per prompt as the worker's ToT-lite draws them (greedy + seeded samples), and their length limit. */
  candidates: number;
  maxNewTokens: number;
  /** Prompts where at least one candidate passes: the worker would show a generated *why*. */
  shown: number;
}

/**
 * How often the model's answers would survive the worker's grounding check: the number that
 * says whether the shipped model's *why* can be shown, which perplexity does not. Greedy answers
 * give the model's own rate; `candidates` > 1 also draws the worker's ToT-lite samples and counts
 * the prompts where any candidate passes.
 */
export async function groundingOfAnswers(options: {
  modelsDir: string;
  name: string;
  prompts: readonly CorpusExample[];
  maxNewTokens: number;
  constrained: boolean;
  candidates: number;
  log: (line: string) => void;
}): Promise<GroundingSummary> {
  const tokenizer = await loadLocalTokenizer(options.modelsDir, options.name);
  const q8 = await loadLocalCausalLM(options.modelsDir, options.name, 'q8');
  const summary: GroundingSummary = { prompts: options.prompts.length, constrained: options.constrained, grounded: 0, groundedWithTitles: 0, reasons: [], candidates: options.candidates, maxNewTokens: options.maxNewTokens, shown: 0 };
  const reasons = new Map<string, number>();
  for (const example of options.prompts) {
    const { input_ids, attention_mask } = tokenizer(example.prompt, { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor };
    let shown = false;
    for (let candidate = 0; candidate < options.candidates; candidate++) {
      const processors = options.constrained ? groundedDecodingProcessors(tokenizer, example.facts, input_ids.dims[1]!) : null;
      const ids = await generatedIds(q8, input_ids, attention_mask, options.maxNewTokens, samplingPlan(candidate), processors);
      const text = tokenizer.decode(ids, { skip_special_tokens: true }).trim();
      const reason = ungroundedReason(text, example.facts);
      shown ||= reason === null;
      if (candidate > 0) continue;
      if (reason === null) {
        summary.grounded++;
        if (/[“"]/.test(text)) summary.groundedWithTitles++;
      } else {
        // "it names “X”, which is not in the history" → "it names …, which is not in the history"; the mean dropped too.
        const kind = reason.replace(/“[^”]*”/g, '…').replace(/ \([^)]*★\)$/, '');
        reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
      }
    }
    if (shown) summary.shown++;
  }
  summary.reasons = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  options.log(
    `grounding${options.constrained ? ' (grounded decoding)' : ''}: ${summary.grounded}/${summary.prompts} greedy answers pass (${summary.groundedWithTitles} naming titles); ` +
      `any of ${summary.candidates} candidates: ${summary.shown}/${summary.prompts}; greedy rejected: ${summary.reasons.map((r) => `${r.reason} ×${r.count}`).join('; ') || 'none'}`,
  );
  await q8.dispose();
  return summary;
}
