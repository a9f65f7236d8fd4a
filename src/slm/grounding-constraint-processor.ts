/**
 * Grounded decoding (grounding-constraint.ts) as a transformers.js logits processor, and the
 * token bytes it needs from a loaded tokenizer. Shared by the worker's SLM and `slm:train`'s
 * grounding measurement, so the number in the model card is the behaviour the shopper gets.
 */
import { LogitsProcessor, LogitsProcessorList, type PreTrainedTokenizer, type Tensor } from '@huggingface/transformers';
import { BYTE_TO_CHAR } from './byte-level.ts';
import { GroundingConstraint, byteLevelTokenBytes } from './grounding-constraint.ts';
import type { GroundingFacts } from './grounding.ts';

const BYTE_OF_CHAR: ReadonlyMap<string, number> = new Map(BYTE_TO_CHAR.map((char, byte) => [char, byte]));
const cache = new WeakMap<PreTrainedTokenizer, (Uint8Array | null)[] | null>();

/** Each token's bytes, or null when the tokenizer is not byte-level BPE (computed once per tokenizer). */
export function tokenBytesOf(tokenizer: PreTrainedTokenizer): (Uint8Array | null)[] | null {
  if (cache.has(tokenizer)) return cache.get(tokenizer)!;
  const vocab: string[] = [];
  for (const [token, id] of tokenizer.get_vocab()) vocab[id] = token;
  // Special tokens (turn markers, end of text) stand for no text. Other added tokens, such as
  // Qwen's <think>, are read as their spelling: harmless, since no title starts with '<'.
  const special = new Set<number>(tokenizer.all_special_ids as number[]);
  const bytes = byteLevelTokenBytes(vocab, BYTE_OF_CHAR, special);
  cache.set(tokenizer, bytes);
  return bytes;
}

class GroundingConstraintProcessor extends LogitsProcessor {
  constructor(
    private readonly constraint: GroundingConstraint,
    private readonly promptTokens: number,
  ) {
    super();
  }

  override _call(inputIds: bigint[][], logits: Tensor): Tensor {
    inputIds.forEach((ids, row) => {
      const generated = ids.slice(this.promptTokens).map(Number);
      this.constraint.mask(generated, (logits as unknown as Tensor[])[row]!.data as Float32Array);
    });
    return logits;
  }
}

/**
 * A `logits_processor` for generate() that holds the answer to `facts`, or null when the
 * tokenizer's vocabulary is not byte-level (the grounding check alone then guards the text).
 */
export function groundedDecodingProcessors(tokenizer: PreTrainedTokenizer, facts: GroundingFacts, promptTokens: number): LogitsProcessorList | null {
  const bytes = tokenBytesOf(tokenizer);
  if (bytes === null) return null;
  const list = new LogitsProcessorList();
  list.push(new GroundingConstraintProcessor(new GroundingConstraint(bytes, facts.titles, facts.categories, facts.ratings, facts.ratingsByTitle, facts.claims), promptTokens));
  return list;
}
