/**
 * The chat format of Pulse's own model: ChatML, the format SmolLM2 and Qwen instruct models
 * use, so one worker code path (tokenizer.apply_chat_template → generate) serves the shipped
 * model and a real SLM alike. The model is trained on exactly what this template renders.
 */

export const END_OF_TEXT = '<|endoftext|>';
export const TURN_START = '<|im_start|>';
export const TURN_END = '<|im_end|>';

/** In id order: they take ids 0, 1, 2. */
export const SPECIAL_TOKENS = [END_OF_TEXT, TURN_START, TURN_END] as const;

/** Jinja, as transformers.js (@huggingface/jinja) renders it. */
export const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The same rendering in TypeScript, for building the training corpus without a tokenizer. */
export function renderChat(messages: readonly ChatTurn[], addGenerationPrompt: boolean): string {
  const turns = messages.map((m) => `${TURN_START}${m.role}\n${m.content}${TURN_END}\n`).join('');
  return addGenerationPrompt ? `${turns}${TURN_START}assistant\n` : turns;
}
