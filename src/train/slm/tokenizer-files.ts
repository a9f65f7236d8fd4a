import type { BpeVocabulary } from './bpe-trainer.ts';
import { CHAT_TEMPLATE, END_OF_TEXT, SPECIAL_TOKENS, TURN_END, TURN_START } from './chat-format.ts';

/**
 * `tokenizer.json` (Hugging Face tokenizers format) and `tokenizer_config.json` for a trained
 * byte-level BPE, in the shape GPT-2 and SmolLM2 ship, which transformers.js's AutoTokenizer
 * loads: BPE model, ByteLevel pre-tokenizer/decoder, special tokens as added_tokens.
 */

export function tokenizerJson(bpe: BpeVocabulary): Record<string, unknown> {
  for (const [i, token] of SPECIAL_TOKENS.entries()) {
    if (bpe.vocab.get(token) !== i) throw new Error(`tokenizer: special token ${token} must have id ${i}`);
  }
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(bpe.vocab),
      merges: bpe.merges,
    },
  };
}

export function tokenizerConfigJson(modelMaxLength: number): Record<string, unknown> {
  return {
    tokenizer_class: 'GPT2Tokenizer',
    add_bos_token: false,
    add_eos_token: false,
    add_prefix_space: false,
    bos_token: TURN_START,
    eos_token: TURN_END,
    pad_token: END_OF_TEXT,
    unk_token: null,
    additional_special_tokens: [TURN_START, TURN_END],
    added_tokens_decoder: Object.fromEntries(
      SPECIAL_TOKENS.map((content, id) => [String(id), { content, lstrip: false, normalized: false, rstrip: false, single_word: false, special: true }]),
    ),
    chat_template: CHAT_TEMPLATE,
    clean_up_tokenization_spaces: false,
    model_max_length: modelMaxLength,
  };
}
