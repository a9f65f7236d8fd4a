import { itemSignals, type ItemSignal } from '../core/profile.ts';
import type { CatalogItem, PulseEvent } from '../core/types.ts';

/**
 * The prompt an SLM sees: the shopper's own on-device history and nothing else, most
 * recent first, bounded in size, with every piece of catalog text escaped. The same
 * messages go through the model's chat template for the shipped domain model (trained on
 * exactly this format) and for real instruct SLMs alike.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface PromptOptions {
  /** Most recent distinct items listed. Default 12. */
  maxItems?: number;
  /** Longest title kept, in characters. Default 60. */
  maxTitleChars?: number;
  /** Categories listed per item. Default 3. */
  maxCategories?: number;
}

export const PREFERENCE_SYSTEM_PROMPT =
  "You describe what a shopper seems to want, from their own history only. Answer in two or three short sentences: the kinds of items they lean towards, favourite titles, what they avoid.";

export const PREFERENCE_QUESTION = 'What does this shopper seem to want?';

/**
 * Catalog text is data, not instructions: control characters and line breaks go (they would
 * forge new prompt lines), angle brackets become look-alikes (they would forge chat-template
 * special tokens such as `<|im_start|>`), and length is capped.
 */
export function escapeItemText(text: string, maxChars: number): string {
  const clean = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/</g, '‹')
    .replace(/>/g, '›')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > maxChars ? `${clean.slice(0, maxChars - 1).trimEnd()}…` : clean;
}

/**
 * A dislike is shown as a dismissal. The shipped model never saw the word "disliked" in a prompt
 * (its corpus re-expresses low MovieLens ratings as dismissals: diversifyEvents), and what it
 * should write is the same: profile.ts weighs both −1, so the teacher's statement of a history
 * is the same whichever of the two a line was, and no claim names what was done with an item
 * that pushes away (favourites pull; "Tends to avoid" names categories). Never "rated 1★": a
 * dislike has no stars, and a star figure in the prompt invites one in the text. Grounded
 * decoding reads the history's own facts (a dislike, never a rating), not this prompt, so the
 * wording cannot make a false claim pass.
 */
const PROMPT_ACTION: Partial<Record<ItemSignal['action'], string>> = { disliked: 'dismissed' };

function actionPhrase(signal: ItemSignal): string {
  if (signal.rating !== undefined) return `rated ${signal.rating}★`;
  return PROMPT_ACTION[signal.action] ?? signal.action;
}

function itemLine(item: CatalogItem, signal: ItemSignal, options: Required<PromptOptions>): string {
  const title = escapeItemText(item.title, options.maxTitleChars);
  const facts = [
    ...(item.year !== null ? [String(item.year)] : []),
    ...item.categories.slice(0, options.maxCategories).map((c) => escapeItemText(c, 24)),
  ];
  return `- ${title}${facts.length ? ` (${facts.join('; ')})` : ''}: ${actionPhrase(signal)}`;
}

/** The history as chat messages (system + user); the caller appends the model's answer. */
export function buildPreferenceMessages(
  history: readonly PulseEvent[],
  lookup: (id: string) => CatalogItem | undefined,
  options: PromptOptions = {},
): ChatMessage[] {
  const resolved: Required<PromptOptions> = { maxItems: 12, maxTitleChars: 60, maxCategories: 3, ...options };
  const now = history.reduce((latest, e) => Math.max(latest, e.ts), 0);
  // itemSignals already merges repeated events per item and orders by recency.
  const lines: string[] = [];
  for (const signal of itemSignals(history, now)) {
    if (lines.length >= resolved.maxItems) break;
    const item = lookup(signal.itemId);
    if (item) lines.push(itemLine(item, signal, resolved));
  }
  const body = lines.length ? lines.join('\n') : '- (nothing yet)';
  return [
    { role: 'system', content: PREFERENCE_SYSTEM_PROMPT },
    { role: 'user', content: `History, most recent first:\n${body}\n${PREFERENCE_QUESTION}` },
  ];
}
