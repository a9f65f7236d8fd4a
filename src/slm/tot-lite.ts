/**
 * ToT-lite: the selection half of PULSE's Tree-of-Thought refinement, kept apart from
 * generation so it is pure and testable. The caller writes k candidate rationales
 * (candidate 0 greedy, the others sampled with fixed seeds, so a history always gets the
 * same candidates); each is cleaned, duplicates and empties dropped, then all are scored
 * by Thought Space similarity to the history in one call, and the best is kept.
 *
 * PULSE grows chains depth 3 × branching 3 with beam 2; one level of k siblings is what a
 * browser can afford per request, hence "lite".
 */
import type { PulseEvent } from '../core/types.ts';
import { cleanRationale } from './rationale-text.ts';

/** Scores rationales against a history: higher = closer in Thought Space. One number per rationale. */
export interface ThoughtScorer {
  score(history: readonly PulseEvent[], rationales: string[]): Promise<number[]>;
}

/** How candidate `index` is decoded. transformers.js generate() options, by name. */
export interface SamplingPlan {
  do_sample: boolean;
  temperature?: number;
  top_k?: number;
  top_p?: number;
  /** Seed of transformers.js' Mersenne Twister before this candidate, for repeatable samples. */
  seed?: number;
}

export const SAMPLING_TEMPERATURE = 0.8;
export const SAMPLING_TOP_K = 40;

/** Candidate 0 is greedy (what a single-shot host would say); the rest sample around it. */
export function samplingPlan(index: number, seed = 1234): SamplingPlan {
  if (index === 0) return { do_sample: false };
  return { do_sample: true, temperature: SAMPLING_TEMPERATURE, top_k: SAMPLING_TOP_K, top_p: 0.95, seed: seed + index };
}

/** Thrown by a generator that was stopped; `reason` tells a timeout from a cancel. */
export class GenerationStopped extends Error {
  override name = 'GenerationStopped';
  constructor(readonly reason: 'timeout' | 'cancelled', message: string) {
    super(message);
  }
}

export interface ScoredCandidate {
  text: string;
  score: number;
}

export interface Selection {
  best: ScoredCandidate;
  /** Every distinct non-empty candidate with its score, in generation order. */
  candidates: ScoredCandidate[];
  /** Candidates asked for, including any dropped or not reached before a timeout. */
  requested: number;
  /** True when a timeout cut the candidate list short. */
  truncated: boolean;
}

export class NoRationaleError extends Error {
  override name = 'NoRationaleError';
}

export interface SelectOptions {
  k: number;
  maxChars?: number;
}

/**
 * Generates up to k candidates and keeps the best by score; ties keep the earlier one.
 * A timeout after some candidates still selects among them; a cancel always propagates.
 */
export async function selectRationale(
  history: readonly PulseEvent[],
  generate: (index: number) => Promise<string>,
  scorer: ThoughtScorer,
  options: SelectOptions,
): Promise<Selection> {
  const k = Math.max(1, Math.floor(options.k));
  const texts: string[] = [];
  let truncated = false;
  for (let index = 0; index < k; index++) {
    let raw: string;
    try {
      raw = await generate(index);
    } catch (error) {
      if (error instanceof GenerationStopped && error.reason === 'timeout' && texts.length > 0) {
        truncated = true;
        break;
      }
      throw error;
    }
    const text = cleanRationale(raw, options.maxChars);
    if (text.length > 0 && !texts.includes(text)) texts.push(text);
  }
  if (texts.length === 0) throw new NoRationaleError(`the model wrote nothing usable in ${k} candidate${k === 1 ? '' : 's'}`);
  const scores = await scorer.score(history, texts);
  if (scores.length !== texts.length) throw new Error(`the Thought Space scorer returned ${scores.length} scores for ${texts.length} rationales`);
  const candidates = texts.map((text, i) => ({ text, score: scores[i]! }));
  let best = candidates[0]!;
  for (const candidate of candidates) if (candidate.score > best.score) best = candidate;
  return { best, candidates, requested: k, truncated };
}
