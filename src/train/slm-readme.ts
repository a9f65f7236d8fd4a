import type { GptConfig } from './slm/gpt-config.ts';
import type { GroundingSummary, SampleGeneration, VerificationSummary } from './slm-verify.ts';

/** One training run of a checkpoint (a resumed run adds one); fields after orderSeed are newer than the first runs. */
export interface TrainingRun {
  steps: number;
  minutes: number;
  peakLearningRate: number;
  orderSeed: number;
  /** Absent on the first runs: batch 8 on wasm with 12 windows per user. */
  batchSize?: number;
  backend?: string;
  /** The machine: a CPU model, or the WebGPU adapter's description. */
  device?: string;
  windowsPerUser?: number;
  trainExamples?: number;
  smoothedLoss?: number;
  /** The command line of the run (absent on the first runs: see the folder's history). */
  command?: string;
}

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
    /** Examples seen, over all runs. */
    examples: number;
    runs: TrainingRun[];
    seed: number;
    finalSmoothedLoss: number;
  };
  heldOut: { perplexity: number; nllPerToken: number; answerTokens: number; examples: number };
  grounding: { free: GroundingSummary; constrained: GroundingSummary };
  verification: VerificationSummary;
}

const rejected = (g: GroundingSummary): string =>
  g.reasons.length > 0 ? `; rejected: ${g.reasons.map((x) => `${x.reason} (${x.count})`).join(', ')}` : '';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

export function slmReadme(r: TrainingReport, samples: readonly SampleGeneration[]): string {
  const c = r.config;
  const v = r.verification;
  const g = r.grounding;
  const windows = r.training.runs.at(-1)?.windowsPerUser ?? 12;
  const sampleText = samples
    .map(
      (s, i) =>
        `### Sample ${i + 1} (a held-out user)\n\n\`\`\`text\n${s.history}\n\`\`\`\n\n- **Teacher** (composePreference): ${s.teacher}\n- **Model, q8, greedy**: ${s.generatedQ8}\n- **Model, fp32, greedy**: ${s.generatedFp32}\n- **Model, q8, greedy under grounded decoding** (as the worker decodes; ${s.groundedVerdict === null ? 'passes the grounding check' : `rejected: ${s.groundedVerdict}`}): ${s.groundedQ8}\n`,
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
  protobuf encoder (\`src/train/slm/onnx-model.ts\`), no Python.

## How well
- **Held-out perplexity: ${r.heldOut.perplexity.toFixed(3)}** (${r.heldOut.nllPerToken.toFixed(4)} nats per token) over the
  ${r.heldOut.answerTokens} answer tokens of ${r.heldOut.examples} examples from users never seen in training
  (answer tokens only: the model is scored on what it writes, not on the prompt).
- Verification at export: greedy decoding through transformers.js (ONNX, KV cache, fp32) equals the
  tfjs model's (no cache) for the first ${v.comparedTokens} tokens on **${v.greedyEqualPrompts}/${v.prompts}** prompts;
  fp32 vs q8: next-token argmax agrees on ${v.q8ArgmaxAgreement}/${v.prompts} prompts, largest logit difference
  ${v.q8MaxAbsLogitDiff.toFixed(4)} (logit range ${v.fp32LogitRange.toFixed(2)}).
- Perplexity measures how well it imitates the teacher's wording on unseen users; it does not
  measure whether a statement is true of the history. **Grounding** does — the share of greedy answers (q8)
  to ${g.free.prompts} held-out prompts that pass the worker's grounding check (\`src/slm/grounding.ts\`):
  - free decoding: **${g.free.grounded}/${g.free.prompts}** (${g.free.groundedWithTitles} naming titles)${rejected(g.free)};
  - with the worker's grounded decoding (\`src/slm/grounding-constraint.ts\`: quotations may only spell a title of the
    history not yet named; a category may be written only if an item of the history has it, once per sentence;
    a star figure in parentheses only if it is one of the history's ratings or their mean):
    **${g.constrained.grounded}/${g.constrained.prompts}** (${g.constrained.groundedWithTitles} naming titles)${rejected(g.constrained)}.
  - **As the worker runs it** (grounded decoding, ToT-lite's ${g.constrained.candidates} candidates — greedy and seeded samples —
    at most ${g.constrained.maxNewTokens} new tokens): a generated *why* passes for **${g.constrained.shown}/${g.constrained.prompts}** histories
    (free decoding: ${g.free.shown}/${g.free.prompts}). For the others the worker shows the evidence-based *why*, with the reason.
  - These figures use the claim checker as it was at export. \`npm run why:truth\` measures the worker's path with
    today's checker on 240 held-out histories (bench/results/why-truth-*.md): truth, model-written share, free decoding.

## What it was trained on
- Prompts: MovieLens (ml-latest-small, GroupLens; see \`public/catalog/LICENSE.md\`) rating histories,
  as windows of 1–12 consecutive events (${windows} windows per training user, 12 per held-out user), rendered by
  \`buildPreferenceMessages\` (src/slm/prompt.ts) and this folder's chat template. MovieLens has only
  ratings, so a seeded share of them is re-expressed as views, clicks, carts, purchases and dismissals
  (\`diversifyEvents\` in src/train/slm/preference-corpus.ts) so that every action a prompt can name was seen.
- Targets: \`composePreference\` (src/core/evidence-composer.ts), Pulse's deterministic teacher — so the
  model imitates a data-written summary, not human text.
- Users split 90/10 (seeded): ${r.corpus.trainExamples} training examples (${r.corpus.trainTokens} tokens, of which
  ${r.corpus.trainAnswerTokens} answer tokens carry the loss); ${r.corpus.heldOutExamples} held out.
- Training: tfjs in Node, Adam (β 0.9/0.95), warm-up + cosine decay in each run, gradient clipping 1.0,
  **${r.training.steps.toLocaleString('en')} steps (${r.training.examples.toLocaleString('en')} examples, ${(r.training.examples / r.corpus.trainExamples).toFixed(1)} passes over the current corpus) in
  ${r.training.minutes.toFixed(1)} minutes**, seed ${r.training.seed}; final smoothed training loss ${r.training.finalSmoothedLoss.toFixed(3)} nats/token. Runs:
${r.training.runs.map((run, i) => `  ${i + 1}. ${i === 0 ? 'from scratch' : 'resumed'}: ${run.steps.toLocaleString('en')} steps of batch ${run.batchSize ?? 8} in ${run.minutes.toFixed(1)} min at peak LR ${run.peakLearningRate}, tfjs ${run.backend ?? 'wasm'} on ${run.device ?? 'a shared 2-core CPU'}${run.windowsPerUser ? `, ${run.windowsPerUser} windows per user` : ''}`).join('\n')}
- Command of this export: \`${r.command}\`; each run's own command is in \`training.json\`. Training writes this folder,
  \`training.json\` and a checkpoint in \`.cache/slm/\`; a first run is \`npm run slm:train -- --minutes 15\`, later ones add \`--resume --order-seed N\`).
  On a machine with a GPU, train through WebGPU (Dawn in Node, the API the browser runs): \`--prepare-only\` writes
  the tokenised corpus to \`.cache/slm/corpus.bin\`, \`--corpus .cache/slm/corpus.bin --resume --backend webgpu\`
  trains from it there (\`npm install --no-save webgpu\`, or \`--webgpu-module\` for a copy), and
  \`--resume --minutes 0\` exports the returned checkpoint here.

## Known limits
- It has learned the teacher's form (sentences, order, rating habit) far better than its content. Decoding
  freely, it leans on the corpus' most common answers (Drama, one decade, a few famous titles) more than on
  the history in front of it, repeats a category ("Drama, Drama and Action") and names favourites that are
  not in the history: ${g.free.prompts - g.free.grounded} of ${g.free.prompts} held-out greedy answers fail the grounding check. It is a
  ${(r.parameters / 1e6).toFixed(1)} M-parameter model trained for ${r.training.minutes.toFixed(0)} minutes; learning to copy from its prompt needs far more
  training than it has had.
- So the worker (1) decodes under the history's facts: quotations spell only its titles, each once, only its
  categories can be written, once per sentence, and a star figure in parentheses is one of its ratings or their
  mean; (2) samples several candidates and keeps the one closest to the
  history in the Thought Space (ToT-lite); (3) drops any candidate the grounding check rejects and shows the
  evidence-based *why*, with the reason, when none passes — the check also reads star figures written without
  parentheses ("Averages 3.4★ per rating"), which decoding leaves free, and what the text says of eras, which
  categories lead and whether a rating habit exists (only from explicit ratings).
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
