import type { GptConfig } from '../slm/gpt-config.ts';
import type { SampleGeneration, VerificationSummary } from './slm-verify.ts';

/** The model folder's README, written from the numbers of the run that made it. */
export interface TrainingReport {
  createdAt: string;
  command: string;
  config: GptConfig;
  parameters: number;
  bytes: { fp32: number; q8: number };
  tokenizer: { type: string; vocabSize: number; merges: number };
  corpus: { trainExamples: number; heldOutExamples: number; trainTokens: number; trainAnswerTokens: number };
  training: {
    steps: number;
    minutes: number;
    runs: { steps: number; minutes: number; peakLearningRate: number; orderSeed: number }[];
    batchSize: number;
    backend: string;
    seed: number;
    finalSmoothedLoss: number;
  };
  heldOut: { perplexity: number; nllPerToken: number; answerTokens: number; examples: number };
  verification: VerificationSummary;
}

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

export function slmReadme(r: TrainingReport, samples: readonly SampleGeneration[]): string {
  const c = r.config;
  const v = r.verification;
  const sampleText = samples
    .map(
      (s, i) =>
        `### Sample ${i + 1} (a held-out user)\n\n\`\`\`text\n${s.history}\n\`\`\`\n\n- **Teacher** (composePreference): ${s.teacher}\n- **Model, q8, greedy**: ${s.generatedQ8}\n- **Model, fp32, greedy**: ${s.generatedFp32}\n`,
    )
    .join('\n');
  return `# pulse-slm — Pulse's own small preference-rationale model

**A small domain model, not a general assistant.** It was trained for one job: given a shopper's
movie history in Pulse's prompt format, write what they seem to want, in the style of Pulse's
evidence composer. It knows nothing else, follows no other instructions and will produce
fluent-looking but wrong text on anything outside that format. Real instruct SLMs (SmolLM2,
Qwen2.5) load through the same code path when a site places them in \`models/\`.

## What it is
- Architecture: GPT-2 style decoder (learned positions, pre-norm, tanh-GELU MLP, tied
  embeddings): ${c.nLayers} layers, d_model ${c.dModel}, ${c.nHeads} heads (head_dim ${c.dModel / c.nHeads}),
  MLP ${c.dFeedForward}, context ${c.contextLength} tokens.
- **Parameters: ${r.parameters.toLocaleString('en')}**
- Tokenizer: ${r.tokenizer.type}, ${r.tokenizer.vocabSize} tokens (${r.tokenizer.merges} merges), trained by the repo;
  ChatML special tokens \`<|endoftext|>\` (0), \`<|im_start|>\` (1), \`<|im_end|>\` (2, end of turn / eos).
  \`tokenizer_config.json\` carries the ChatML \`chat_template\`.
- Files: \`onnx/model.onnx\` (fp32, **${mb(r.bytes.fp32)}**), \`onnx/model_quantized.onnx\` (int8 weights
  per channel + DequantizeLinear, **${mb(r.bytes.q8)}**), opset 17, written by the repo's own
  protobuf encoder (\`src/slm/onnx-model.ts\`), no Python.

## How well
- **Held-out perplexity: ${r.heldOut.perplexity.toFixed(3)}** (${r.heldOut.nllPerToken.toFixed(4)} nats per token) over the
  ${r.heldOut.answerTokens} answer tokens of ${r.heldOut.examples} examples from users never seen in training
  (answer tokens only: the model is scored on what it writes, not on the prompt).
- Verification at export: greedy decoding through transformers.js (ONNX, KV cache, fp32) equals the
  tfjs model's (no cache) for the first ${v.comparedTokens} tokens on **${v.greedyEqualPrompts}/${v.prompts}** prompts;
  fp32 vs q8: next-token argmax agrees on ${v.q8ArgmaxAgreement}/${v.prompts} prompts, largest logit difference
  ${v.q8MaxAbsLogitDiff.toFixed(4)} (logit range ${v.fp32LogitRange.toFixed(2)}).
- Perplexity measures how well it imitates the teacher's wording on unseen users; it does not
  measure whether a statement is true of the history. The samples below show both.

## What it was trained on
- Prompts: MovieLens (ml-latest-small, GroupLens; see \`public/catalog/LICENSE.md\`) rating histories,
  as windows of 1–12 consecutive events (${r.corpus.trainExamples + r.corpus.heldOutExamples} examples in all, 12 windows per user), rendered by
  \`buildPreferenceMessages\` (src/slm/prompt.ts) and this folder's chat template. MovieLens has only
  ratings, so a seeded share of them is re-expressed as views, clicks, carts, purchases and dismissals
  (\`diversifyEvents\` in src/slm/preference-corpus.ts) so that every action a prompt can name was seen.
- Targets: \`composePreference\` (src/core/evidence-composer.ts), Pulse's deterministic teacher — so the
  model imitates a data-written summary, not human text.
- Users split 90/10 (seeded): ${r.corpus.trainExamples} training examples (${r.corpus.trainTokens} tokens, of which
  ${r.corpus.trainAnswerTokens} answer tokens carry the loss); ${r.corpus.heldOutExamples} held out.
- Training: tfjs ${r.training.backend} backend in Node (single-threaded wasm), Adam (β 0.9/0.95), warm-up + cosine
  decay, gradient clipping 1.0, batch ${r.training.batchSize}, **${r.training.steps} steps (${(r.training.steps * r.training.batchSize).toLocaleString('en')} examples, ${((r.training.steps * r.training.batchSize) / r.corpus.trainExamples).toFixed(2)} epochs) in
  ${r.training.minutes.toFixed(1)} minutes** on a shared, heavily loaded 2-core CPU, seed ${r.training.seed}; final smoothed
  training loss ${r.training.finalSmoothedLoss.toFixed(3)} nats/token. Runs: ${r.training.runs
    .map((run, i) => `${i === 0 ? 'from scratch' : 'resumed'} ${run.steps} steps / ${run.minutes.toFixed(1)} min at peak LR ${run.peakLearningRate}`)
    .join('; ')}.
- Command of the last run: \`${r.command}\` (writes this folder, \`training.json\` and a checkpoint in
  \`.cache/slm/\`; a first run is \`npm run slm:train -- --minutes 15\`, later ones add \`--resume --order-seed N\`).

## Known limits
- At this amount of training it has learned the teacher's form (sentences, order, rating habit) far
  better than its content: it leans on the corpus' most common answers (Drama, the 1990s, one famous
  title) more than on the history in front of it, repeats a category or title, and can name a favourite
  that is not in the history or get a number wrong. It is a 1.4 M-parameter model trained for under an
  hour and a half on a shared CPU; copying titles from the prompt needs much longer training. Sampling
  several candidates and keeping the one closest to the history in Thought Space (the worker's ToT-lite)
  and the worker's text hygiene are the guard rails, with a grounding check (\`src/slm/grounding.ts\`) that
  drops any candidate naming a title outside the history or repeating itself; the evidence-based *why*
  is shown instead, with the reason — with this model, for most histories.
- It has seen only the English movie domain of the demo catalog and Pulse's own prompt format.

## Load it with transformers.js
\`\`\`js
import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';
env.allowLocalModels = true;
env.allowRemoteModels = false;
env.localModelPath = '/models/';           // the folder that holds pulse-slm/
const tokenizer = await AutoTokenizer.from_pretrained('pulse-slm');
const model = await AutoModelForCausalLM.from_pretrained('pulse-slm', { dtype: 'q8', device: 'wasm' }); // or dtype 'fp32' (e.g. WebGPU)
const text = tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true });
const inputs = tokenizer(text, { add_special_tokens: false });
const out = await model.generate({ ...inputs, max_new_tokens: 96, do_sample: false });
\`\`\`
\`messages\` come from \`buildPreferenceMessages\`. Generation stops at \`<|im_end|>\` (generation_config.json).

## Samples (greedy, held-out users)

${sampleText}
## Licence
Code, tokenizer format and architecture: Apache-2.0, like the repo. The weights and the tokenizer's
vocabulary were learned from MovieLens ml-latest-small (and the catalog built from it), so they are a
transformed version of that data: GroupLens' terms (\`public/catalog/LICENSE.md\`: research and
non-commercial use, cite Harper & Konstan 2015, commercial use needs GroupLens' permission) apply to
them as they apply to the demo catalog. No ratings are stored in the folder.

_Written by \`npm run slm:train\` on ${r.createdAt}._
`;
}
