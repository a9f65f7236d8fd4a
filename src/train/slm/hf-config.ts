import { headDim, type GptConfig } from './gpt-config.ts';
import { SPECIAL_TOKENS, TURN_END, TURN_START, END_OF_TEXT } from './chat-format.ts';

/**
 * `config.json` and `generation_config.json` for the exported decoder. `model_type: gpt2`
 * maps to transformers.js's GPT2LMHeadModel (learned positions; the session feeds
 * position_ids because the graph declares that input). GPT-2's own keys (n_embd, n_layer,
 * n_head) are what transformers.js normalises for gpt2; the Llama-style keys beside them
 * describe the same shape for tools and readers that expect those names.
 */

const id = (token: string): number => SPECIAL_TOKENS.indexOf(token as (typeof SPECIAL_TOKENS)[number]);

export function modelConfigJson(config: GptConfig): Record<string, unknown> {
  return {
    architectures: ['GPT2LMHeadModel'],
    model_type: 'gpt2',
    vocab_size: config.vocabSize,
    n_positions: config.contextLength,
    n_ctx: config.contextLength,
    n_embd: config.dModel,
    n_layer: config.nLayers,
    n_head: config.nHeads,
    n_inner: config.dFeedForward,
    activation_function: 'gelu_new',
    layer_norm_epsilon: config.layerNormEpsilon,
    tie_word_embeddings: true,
    hidden_size: config.dModel,
    num_hidden_layers: config.nLayers,
    num_attention_heads: config.nHeads,
    num_key_value_heads: config.nHeads,
    head_dim: headDim(config),
    max_position_embeddings: config.contextLength,
    bos_token_id: id(TURN_START),
    eos_token_id: id(TURN_END),
    pad_token_id: id(END_OF_TEXT),
    torch_dtype: 'float32',
    use_cache: true,
  };
}

export function generationConfigJson(): Record<string, unknown> {
  return {
    bos_token_id: id(TURN_START),
    // The end of the assistant turn ends a rationale; end-of-text is a second stop.
    eos_token_id: [id(TURN_END), id(END_OF_TEXT)],
    pad_token_id: id(END_OF_TEXT),
    max_new_tokens: 96,
    do_sample: false,
  };
}
