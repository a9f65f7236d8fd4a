/**
 * Hygiene for model-written text before anyone sees it: a model can emit anything, so its
 * output is treated as untrusted text. It is stripped of chat-template tokens and control
 * characters (including bidi overrides that could disguise it), collapsed to one
 * paragraph, and cut to a length limit at a sentence or word boundary. The page renders it
 * with textContent only, never as HTML.
 */

export const RATIONALE_MAX_CHARS = 280;

/** `<|im_end|>`, `<|endoftext|>`, `</s>`, `<s>`, `<eos>` …: template markers a decode may leave behind. */
const SPECIAL_TOKENS = /<\|[^|<>]{0,40}\|>|<\/?s>|<\/?(?:eos|bos|pad|unk)>/gi;
/** C0 and C1 controls, DEL, zero-width and bidi formatting characters, line/paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

export function cleanRationale(raw: string, maxChars = RATIONALE_MAX_CHARS): string {
  let text = raw.replace(SPECIAL_TOKENS, ' ').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  // A leading role label is template residue, not content.
  text = text.replace(/^(?:assistant|answer|rationale)\s*:\s*/i, '');
  // Wrapping quotes say nothing.
  if (/^["“].*["”]$/.test(text)) text = text.slice(1, -1).trim();
  return truncate(dropUnfinishedSentence(text), maxChars);
}

/**
 * A generation cut off by its token budget ends mid-sentence; when at least one sentence
 * is complete, the fragment after it goes.
 */
export function dropUnfinishedSentence(text: string): string {
  if (/[.!?…]["”’)]?$/.test(text)) return text;
  const lastEnd = Math.max(text.lastIndexOf('. '), text.lastIndexOf('! '), text.lastIndexOf('? '));
  return lastEnd > 0 ? text.slice(0, lastEnd + 1) : text;
}

/** Cuts to at most `maxChars`: at the last sentence end that keeps half the text, else at a word, with an ellipsis. */
export function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const head = text.slice(0, maxChars);
  const sentenceEnd = Math.max(head.lastIndexOf('. '), head.lastIndexOf('! '), head.lastIndexOf('? '));
  if (sentenceEnd >= maxChars / 2) return head.slice(0, sentenceEnd + 1);
  if (/[.!?]$/.test(head) && /\s/.test(text[maxChars] ?? ' ')) return head;
  const space = head.lastIndexOf(' ', maxChars - 1);
  const cut = space >= maxChars / 2 ? head.slice(0, space) : head.slice(0, maxChars - 1);
  return `${cut.replace(/[\s,;:–—-]+$/, '')}…`;
}
