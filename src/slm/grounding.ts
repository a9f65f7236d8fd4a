/**
 * A rationale may only name what the shopper did. A small model can write fluent text about
 * titles that are not in the history ("Favourites include “The Shawshank Redemption”" for
 * someone who rated three cartoons) or stutter ("Drama, Drama and Action"); shown as the
 * headline *why*, that would be a confident falsehood about the shopper. Such a candidate is
 * dropped, and when none is left the evidence-based rationale is shown with the reason.
 */

/** Quoted spans: “…” as the teacher writes titles, and "…" as instruct models may. */
const QUOTED = /“([^”]{1,120})”|"([^"]{1,120})"/g;
/** "Drama, Drama", "Comedy and Comedy": the same list entry twice in a row. */
const STUTTER = /\b([A-Z][\w'-]*(?: [A-Z][\w'-]*)?)(?:,| and) \1\b/;

function normalise(title: string): string {
  return title.replace(/…$/, '').trim().toLowerCase();
}

/**
 * Null when every quoted title is one of `historyTitles` (a title cut with "…" matches its
 * start) and none is named twice; else the reason, for the status and the fallback.
 */
export function ungroundedReason(text: string, historyTitles: readonly string[]): string | null {
  const known = historyTitles.map(normalise);
  const named = new Set<string>();
  for (const match of text.matchAll(QUOTED)) {
    const span = normalise(match[1] ?? match[2] ?? '');
    if (span === '') continue;
    if (!known.some((title) => title === span || (match[0].includes('…') && title.startsWith(span)))) {
      return `it names “${match[1] ?? match[2]}”, which is not in the history`;
    }
    if (named.has(span)) return `it names “${match[1] ?? match[2]}” twice`;
    named.add(span);
  }
  const stutter = STUTTER.exec(text);
  return stutter ? `it repeats “${stutter[1]}”` : null;
}
