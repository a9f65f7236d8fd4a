/**
 * Text from a catalog or a language model is data, and data must not steer how the text
 * around it is drawn. A title ending in U+202E (RIGHT-TO-LEFT OVERRIDE) reverses whatever
 * follows it on the line ("…\u202Egnp.exe" reads "exe.png"); embeddings and isolates left
 * open do the same. So such text is shown with its explicit bidi controls removed, inside
 * an isolate (`<bdi>`, or `unicode-bidi: isolate`) so that its own right-to-left letters
 * (a Hebrew or Arabic title) still show correctly but cannot reorder its neighbours.
 */

/** LRM, RLM, ALM, the embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and the isolates (LRI, RLI, FSI, PDI). */
const BIDI_CONTROLS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;

/** The text without explicit bidi controls; everything else, right-to-left letters included, is kept. */
export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}

/** True when the text holds a bidi control that `stripBidiControls` would remove. */
export function hasBidiControls(text: string): boolean {
  BIDI_CONTROLS.lastIndex = 0;
  const found = BIDI_CONTROLS.test(text);
  BIDI_CONTROLS.lastIndex = 0;
  return found;
}
