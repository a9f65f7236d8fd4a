/**
 * The rationale path the worker runs once the SLM is loaded, as one function so that the truth
 * report (src/train/why-truth.ts) measures exactly what the shopper gets: the history as the
 * prompt, k candidates decoded under grounded decoding (candidate 0 greedy, the rest seeded
 * samples), each judged by the claim checker, the survivors scored by the Thought Space and the
 * best kept. Throws what selectRationale throws (no candidate true, nothing written, stopped);
 * the caller then shows the evidence-based rationale.
 */
import type { CatalogItem, PulseEvent } from '../core/types.ts';
import type { GenerationControl } from './generation-control.ts';
import { groundingFacts, ungroundedReason } from './grounding.ts';
import { buildPreferenceMessages } from './prompt.ts';
import type { SlmModel } from './slm-model.ts';
import { samplingPlan, selectRationale, type Selection, type ThoughtScorer } from './tot-lite.ts';

export interface RationaleJob {
  history: readonly PulseEvent[];
  lookup: (id: string) => CatalogItem | undefined;
  /** Every category of the catalog (the decoder masks category words with it). */
  knownCategories: readonly string[];
  candidates: number;
  maxNewTokens: number;
  scorer: ThoughtScorer;
  control?: GenerationControl;
  onToken?: (text: string, candidate: number) => void;
}

export async function writeRationale(model: Pick<SlmModel, 'generate'>, job: RationaleJob): Promise<Selection> {
  const messages = buildPreferenceMessages(job.history, job.lookup);
  const facts = groundingFacts(job.history, job.lookup, job.knownCategories);
  return selectRationale(
    job.history,
    async (candidate) => {
      const report = await model.generate(messages, {
        maxNewTokens: job.maxNewTokens,
        sampling: samplingPlan(candidate),
        ...(job.control ? { control: job.control } : {}),
        grounding: facts,
        ...(job.onToken ? { onText: (text: string) => job.onToken!(text, candidate) } : {}),
      });
      return report.text;
    },
    job.scorer,
    { k: job.candidates, check: (text) => ungroundedReason(text, facts) },
  );
}
