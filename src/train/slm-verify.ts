/**
 * Node-only: checks an exported model folder through transformers.js exactly as the worker
 * loads it (local files, dtype fp32 and q8) against the tfjs model it was exported from:
 * greedy continuations must agree token for token (fp32), and the int8 model's logits must
 * stay close to fp32's. Also collects sample generations for the README.
 */
import type { PreTrainedModel, Tensor } from '@huggingface/transformers';
import type { GptModel } from '../slm/gpt-tfjs.ts';
import { loadLocalCausalLM, loadLocalTokenizer } from '../slm/local-transformers.ts';
import type { CorpusExample } from '../slm/preference-corpus.ts';

export interface SampleGeneration {
  history: string;
  teacher: string;
  generatedQ8: string;
  generatedFp32: string;
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

async function greedyIds(model: PreTrainedModel, inputIds: Tensor, attentionMask: Tensor, maxNewTokens: number): Promise<number[]> {
  const output = (await model.generate({ input_ids: inputIds, attention_mask: attentionMask, max_new_tokens: maxNewTokens, do_sample: false })) as Tensor;
  return Array.from(output.data as BigInt64Array, Number).slice(inputIds.dims[1]);
}

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
    const tfjsIds = options.model.greedy(promptIds, compared, [stopId]);
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
    });
    options.log(`sample: ${decode(q8Ids)}`);
  }
  await fp32.dispose();
  await q8.dispose();
  return { summary, samples };
}
