/**
 * The rationale path the worker runs once the SLM is loaded, as one function so that the truth
 * report (src/train/why-truth.ts) measures exactly what the shopper gets: the history as the
 * prompt, then one of two searches, both under grounded decoding with every text judged by the
 * claim checker and ranked by the Thought Space:
 *  - `samples` (ToT-lite, the default): k whole candidates (candidate 0 greedy, the rest seeded
 *    samples), the best true one kept;
 *  - `tot`: the paper's Tree-of-Thought (thought-tree.ts), one sentence per thought, each
 *    continuation written by the model after the chain so far.
 * Throws what the search throws (no text true, nothing written, stopped); the caller then
 * shows the evidence-based rationale.
 */
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import type { GenerationControl } from './generation-control.ts';
import { groundingFacts, ungroundedReason } from './grounding.ts';
import { buildPreferenceMessages } from './prompt.ts';
import type { SlmModel } from './slm-model.ts';
import type { RationaleMethod } from './slm-types.ts';
import { searchThoughtTree, type TreeShape } from './thought-tree.ts';
import { samplingPlan, selectRationale, type Selection, type ThoughtScorer } from './tot-lite.ts';

export { RATIONALE_METHODS, type RationaleMethod } from './slm-types.ts';

/** A thought is one sentence: fewer tokens than a whole rationale (generation also stops at its end). */
export const THOUGHT_MAX_NEW_TOKENS = 48;

export interface RationaleJob {
  history: readonly PulseEvent[];
  lookup: (id: string) => CatalogItem | undefined;
  /** Every category of the catalog (the decoder masks category words with it). */
  knownCategories: readonly string[];
  /** `samples` (default) or `tot`. */
  method?: RationaleMethod;
  /** samples: candidates written. */
  candidates: number;
  /** tot: the tree's shape; default THOUGHT_TREE_DEFAULTS. */
  tree?: Partial<TreeShape>;
  maxNewTokens: number;
  scorer: ThoughtScorer;
  control?: GenerationControl;
  /** Text as it is written; `candidate` counts generations (tot: every thought tried). */
  onToken?: (text: string, candidate: number) => void;
}

export async function writeRationale(model: Pick<SlmModel, 'generate'>, job: RationaleJob): Promise<Selection> {
  const messages = buildPreferenceMessages(job.history, job.lookup);
  const facts = groundingFacts(job.history, job.lookup, job.knownCategories);
  const check = (text: string) => ungroundedReason(text, facts);
  const common = { grounding: facts, ...(job.control ? { control: job.control } : {}) };
  if (job.method === 'tot') {
    let generation = 0;
    return searchThoughtTree(
      async (sentences, branch) => {
        const index = generation++;
        const report = await model.generate(messages, {
          ...common,
          maxNewTokens: Math.min(job.maxNewTokens, THOUGHT_MAX_NEW_TOKENS),
          // A seed per level, so the samples after different chain lengths are not the same draws.
          sampling: samplingPlan(branch, 1234 + 100 * sentences.length),
          ...(sentences.length > 0 ? { prefix: sentences.join(' ') } : {}),
          stopAtSentenceEnd: true,
          ...(job.onToken ? { onText: (text: string) => job.onToken!(text, index) } : {}),
        });
        return report.text;
      },
      { check, similarity: (texts) => job.scorer.score(job.history, texts) },
      job.tree ?? {},
    );
  }
  return selectRationale(
    job.history,
    async (candidate) => {
      const report = await model.generate(messages, {
        ...common,
        maxNewTokens: job.maxNewTokens,
        sampling: samplingPlan(candidate),
        ...(job.onToken ? { onText: (text: string) => job.onToken!(text, candidate) } : {}),
      });
      return report.text;
    },
    job.scorer,
    { k: job.candidates, check },
  );
}
