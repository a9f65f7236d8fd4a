/**
 * The Tree-of-Thought of the PULSE method, as a pure search: thoughts are single sentences,
 * each level grows `branching` continuations of every chain in the beam, every new partial
 * chain is judged by the claim checker (a chain with a false claim is dropped, never repaired)
 * and scored by Thought Space similarity to the shopper's behaviour, and the best `beam` chains
 * go on to the next level. A chain is complete when the model ends the text after it, when no
 * continuation of it is true, or at `depth`; the best complete chain is the headline.
 *
 * Generation and scoring are injected, so the search is testable with a deterministic fake
 * generator and runs unchanged with the shipped model (rationale-writer.ts) in the worker and
 * in the truth report. The k-independent-samples path (tot-lite.ts) stays for comparison.
 */
import { cleanRationale, RATIONALE_MAX_CHARS } from './rationale-text.ts';
import { GenerationStopped, NoRationaleError, UngroundedRationaleError, type ScoredCandidate, type Selection } from './tot-lite.ts';

export interface TreeShape {
  /** Continuations written per chain in the beam, per level. */
  branching: number;
  /** Chains kept per level. */
  beam: number;
  /** Sentences in a chain at most. */
  depth: number;
}

/** The paper's shape: depth 3, branching 3, beam 2. */
export const THOUGHT_TREE_DEFAULTS: Readonly<TreeShape> = Object.freeze({ branching: 3, beam: 2, depth: 3 });

/**
 * Writes continuation `branch` (0 = the model's greedy choice, others sampled) of the chain
 * `sentences` (empty at the root). The text may run past one sentence; the search keeps the
 * first. Empty text means the model ends the rationale here.
 */
export type ThoughtGenerator = (sentences: readonly string[], branch: number) => Promise<string>;

export interface ChainScorer {
  /** The claim checker: null when every sentence of `text` is true of the history, else why not. */
  check(text: string): string | null;
  /** Thought Space similarity of each text to the shopper's behaviour, one number per text. */
  similarity(texts: string[]): Promise<number[]>;
}

export interface TreeStats {
  /** Calls to the generator. */
  generated: number;
  /** Continuations dropped by the claim checker. */
  rejected: number;
  /** Continuations that repeated a sentence of their chain or a sibling chain. */
  duplicates: number;
  /** Continuations with no complete sentence (cut by the token limit) or past the length limit. */
  unfinished: number;
  /** True chains not kept because the beam was full. */
  pruned: number;
  /** Levels grown (≤ depth). */
  levels: number;
}

export interface TreeSelection extends Selection {
  method: 'tot';
  /** Sentences of the chosen chain. */
  thoughts: string[];
  stats: TreeStats;
}

export interface TreeOptions extends Partial<TreeShape> {
  /** A chain's text may not be longer (it is the headline as shown). Default RATIONALE_MAX_CHARS. */
  maxChars?: number;
}

const CLOSERS: Readonly<Record<string, string>> = { '“': '”', '"': '"', '(': ')' };

/**
 * Where the first sentence of `text` ends (the index after its final mark), or -1. A mark ends
 * a sentence only outside quotations and parentheses (“Mr. Smith …”, "(4.5★)"), and only if
 * what follows is a space or, when `final`, the end of the text — so a "4." still being
 * written ("4.5★") is not taken for a full stop.
 */
export function sentenceEnd(text: string, final: boolean): number {
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const expected = open.at(-1);
    if (expected !== undefined && char === expected) {
      open.pop();
      continue;
    }
    if (expected !== '"' && expected !== '”' && CLOSERS[char] !== undefined) {
      open.push(CLOSERS[char]!);
      continue;
    }
    if (open.length > 0 || !/[.!?]/.test(char)) continue;
    const next = text[i + 1];
    if (next === undefined ? final : /\s/.test(next)) return i + 1;
  }
  return -1;
}

/** The first complete sentence of a generated continuation; '' when nothing was written; null when it was cut short. */
export function firstSentence(raw: string): string | null {
  const text = cleanRationale(raw, Number.MAX_SAFE_INTEGER);
  if (text === '') return '';
  const end = sentenceEnd(text, true);
  return end < 0 ? null : text.slice(0, end).trim();
}

interface Chain {
  sentences: string[];
  text: string;
  score: number;
}

const shape = (options: TreeOptions): TreeShape => {
  const positive = (value: number | undefined, fallback: number) => Math.max(1, Math.floor(value ?? fallback));
  return {
    branching: positive(options.branching, THOUGHT_TREE_DEFAULTS.branching),
    beam: positive(options.beam, THOUGHT_TREE_DEFAULTS.beam),
    depth: positive(options.depth, THOUGHT_TREE_DEFAULTS.depth),
  };
};

/**
 * Grows the tree and returns the best complete chain. A timeout keeps the best true chain found
 * so far (truncated: true); a timeout with none, and every cancel, propagate (GenerationStopped).
 * Throws UngroundedRationaleError when every first sentence was false, NoRationaleError when
 * the model wrote nothing usable. Ties keep the chain found first (the greedy path first).
 */
export async function searchThoughtTree(generate: ThoughtGenerator, scorer: ChainScorer, options: TreeOptions = {}): Promise<TreeSelection> {
  const { branching, beam, depth } = shape(options);
  const maxChars = options.maxChars ?? RATIONALE_MAX_CHARS;
  const stats: TreeStats = { generated: 0, rejected: 0, duplicates: 0, unfinished: 0, pruned: 0, levels: 0 };
  const root: Chain = { sentences: [], text: '', score: -Infinity };
  let frontier: Chain[] = [root];
  const complete: Chain[] = [];
  let firstProblem: string | null = null;
  let truncated = false;

  for (let level = 1; level <= depth && frontier.length > 0 && !truncated; level++) {
    const fresh: { chain: Chain; parent: Chain }[] = [];
    const ended = new Set<Chain>();
    grow: for (const parent of frontier) {
      for (let branch = 0; branch < branching; branch++) {
        let raw: string;
        try {
          raw = await generate(parent.sentences, branch);
        } catch (error) {
          if (error instanceof GenerationStopped && error.reason === 'timeout') {
            truncated = true;
            break grow;
          }
          throw error;
        }
        stats.generated++;
        const sentence = firstSentence(raw);
        if (sentence === '') {
          if (parent !== root) ended.add(parent);
          continue;
        }
        if (sentence === null) {
          stats.unfinished++;
          continue;
        }
        const sentences = [...parent.sentences, sentence];
        const text = sentences.join(' ');
        if (parent.sentences.includes(sentence) || fresh.some((f) => f.chain.text === text)) {
          stats.duplicates++;
          continue;
        }
        if (text.length > maxChars) {
          stats.unfinished++;
          continue;
        }
        const problem = scorer.check(text);
        if (problem !== null) {
          stats.rejected++;
          firstProblem ??= problem;
          continue;
        }
        fresh.push({ chain: { sentences, text, score: 0 }, parent });
      }
    }
    const scores = fresh.length > 0 ? await scorer.similarity(fresh.map((f) => f.chain.text)) : [];
    if (scores.length !== fresh.length) throw new Error(`the Thought Space scorer returned ${scores.length} scores for ${fresh.length} chains`);
    fresh.forEach((f, i) => (f.chain.score = scores[i]!));
    stats.levels = level;
    // A chain the model ended, or with no true continuation, is finished as it stands.
    for (const parent of frontier) if (parent !== root && (ended.has(parent) || !fresh.some((f) => f.parent === parent))) complete.push(parent);
    // Stable: equal scores keep generation order, so the greedy path wins ties.
    const ranked = fresh.map((f) => f.chain).sort((a, b) => b.score - a.score);
    if (truncated) {
      complete.push(...ranked);
      break;
    }
    frontier = ranked.slice(0, beam);
    stats.pruned += ranked.length - frontier.length;
    if (level === depth) complete.push(...frontier);
  }
  if (truncated) for (const chain of frontier) if (chain !== root && !complete.includes(chain)) complete.push(chain);

  if (complete.length === 0) {
    if (truncated) throw new GenerationStopped('timeout', 'the SLM ran out of time before it wrote a true sentence');
    throw firstProblem
      ? new UngroundedRationaleError(`no first sentence of ${stats.generated} was grounded in the history: ${firstProblem}`)
      : new NoRationaleError(`the model wrote nothing usable in ${stats.generated} tries`);
  }
  let best = complete[0]!;
  for (const chain of complete) if (chain.score > best.score) best = chain;
  const candidates: ScoredCandidate[] = complete.map((c) => ({ text: c.text, score: c.score }));
  return {
    method: 'tot',
    best: { text: best.text, score: best.score },
    thoughts: best.sentences,
    candidates,
    requested: branching * (1 + beam * (depth - 1)),
    truncated,
    stats,
  };
}
