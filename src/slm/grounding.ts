/**
 * The claim checker: which sentences about a shopper are true of their history. A rationale is
 * shown as the headline *why*, so every sentence in it must be a claim this module can read and
 * finds true; a sentence it cannot read is not allowed at all (a small model writes fluent
 * falsehoods: "often from the 2000s" for five films from 1957–1998, "Rates generously" for a
 * shopper who only pressed Like, a leaning that leaves out War when every film is a war film).
 *
 * The claims it reads are the evidence composer's sentences, which are also what the shipped
 * model is trained to write — one list for the template, the model and the check:
 *   - "Leans towards A, B and C[, mostly|often from the 1990s]." — the named set holds every
 *     category most liked items share, named before any other, and any other category named
 *     weighs at least as much as every category left out; the decade is the one most dated
 *     liked items come from;
 *   - "Picks titles mostly|often from the 1990s." — the same decade rule;
 *   - "Favourites include “X” (5★), “Y” (added to cart) and “Z”." — liked titles of the
 *     history; a figure after a title is its own latest rating (never for a like: a like has
 *     no stars); words after it are what the shopper did with it ("liked" only for a like);
 *     a year is its year;
 *   - "Tends to avoid A and B." / "Nothing liked yet; steers away from A." — categories that
 *     push more than they pull (dislikes, dismissals and low ratings push; what was done with a
 *     pushed item is never a claim, so a dislike is said only as what the shopper avoids);
 *   - "Rates generously (4.6★ on average)." / "Rates sparingly (2.9★ on average), so high
 *     marks stand out." / "Averages 3.6★ per rating." — only from explicit ratings with a habit
 *     (history-facts.ts; likes, dislikes, carts and purchases are no ratings), the figure their mean;
 *   - "No preferences known yet." / "Nothing liked yet."
 * Numbers outside these slots (counts, years, figures) are thus never claimed.
 *
 * Pure: no DOM, no tfjs. Used by decoding (grounding-constraint.ts reads the same facts),
 * by selection (slm-host.ts), by the truth report and by the tests.
 */
import { readHistoryFacts, type FactItem, type HistoryFacts } from '../core/history-facts.ts';
import type { CatalogItem, PulseEvent } from '../core/types.ts';

/** Quoted spans: “…” as the teacher writes titles, and "…" as instruct models may. */
const QUOTED = /“([^”]{1,120})”|"([^"]{1,120})"/g;
/** A quotation stands in a sentence as \u0001n\u0002, so a title's own ". " or ", " is not read as grammar. */
const SLOT = /\u0001(\d+)\u0002/g;
/** A star figure as the composer writes it: "5", "4.5". */
const FIGURE = '(\\d(?:\\.\\d)?)';
/** The composer writes the mean to one decimal: a figure this close to it is the mean. */
const MEAN_TOLERANCE = 0.05 + 1e-9;
/** Two shares this close are a tie. */
const SHARE_TOLERANCE = 1e-9;

/** The categories of the shopper's items, and every category the catalog uses (for the decoder's masks). */
export interface CategoryFacts {
  history: readonly string[];
  known: readonly string[];
}

/**
 * What a generated rationale may say. `claims` is what the checker judges against; the rest is
 * the same facts in the shape grounded decoding (grounding-constraint.ts) masks tokens with.
 */
export interface GroundingFacts {
  /** Titles that may be named: the favourites. */
  titles: readonly string[];
  /** Categories that may be named (liked or avoided ones), and the catalog's. */
  categories?: CategoryFacts;
  /** Star figures that may stand alone: the rating mean when there is a habit, else none. */
  ratings?: readonly number[];
  /** Each favourite's own rating: a figure right after a title must be it. */
  ratingsByTitle?: Readonly<Record<string, readonly number[]>>;
  /** Decades that may be named (the era, when there is one). */
  decades?: readonly string[];
  /** Every fact the text may state. Absent: only the decoder's shape is known and nothing can be checked. */
  claims?: HistoryFacts;
}

/** The facts of a history, as the worker, the corpus and the truth report all read them. */
export function groundingFacts(history: readonly PulseEvent[], lookup: (id: string) => CatalogItem | undefined, knownCategories: readonly string[]): GroundingFacts {
  const claims = readHistoryFacts(history, lookup);
  return factsForDecoding(claims, knownCategories);
}

export function factsForDecoding(claims: HistoryFacts, knownCategories: readonly string[]): GroundingFacts {
  const favourites = new Set(claims.favourites);
  const ratingsByTitle: Record<string, number[]> = {};
  for (const item of claims.items) if (favourites.has(item.title) && item.rating !== undefined) (ratingsByTitle[item.title] ??= []).push(item.rating);
  return {
    titles: claims.favourites,
    categories: { history: [...new Set([...claims.categories.map((c) => c.label), ...claims.avoided])], known: knownCategories },
    ratings: claims.habit && claims.meanRating !== null ? [Number(claims.meanRating.toFixed(1))] : [],
    ratingsByTitle,
    decades: claims.era ? [claims.era] : [],
    claims,
  };
}

/**
 * A pattern for the catalog's category names as whole words, case-sensitive: "Drama" the category,
 * not "dramatic"; "Sci-Fi" whole, not "Fi". Longest first, so "Film-Noir" wins over a shorter name.
 */
export function categoryPattern(known: readonly string[]): RegExp | null {
  const names = [...new Set(known)].filter((name) => name.trim() !== '').sort((a, b) => b.length - a.length);
  if (names.length === 0) return null;
  const escaped = names.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![\\p{L}\\p{N}-])(?:${escaped.join('|')})(?![\\p{L}\\p{N}-])`, 'gu');
}

/** The categories named in `text` outside quotations, per sentence (the decoder's per-sentence mask). */
export function namedCategories(text: string, pattern: RegExp): string[][] {
  return text
    .replace(QUOTED, ' ')
    .split(/(?<=[.!?])\s+/)
    .map((sentence) => [...sentence.matchAll(pattern)].map((match) => match[0]));
}

export type ClaimKind = 'leaning' | 'era' | 'favourites' | 'avoids' | 'habit' | 'nothing-liked' | 'nothing-known' | 'unreadable';

export interface CheckedClaim {
  kind: ClaimKind;
  /** The sentence, as written. */
  sentence: string;
  /** Null when true, else why not (for the status and the fallback's reason). */
  problem: string | null;
}

interface Reading {
  facts: HistoryFacts;
  quotes: string[];
  /** Titles named so far in the text (a title twice is a stutter). */
  named: Set<string>;
  /** Categories named by the "leans towards" sentence (an avoided one may not be among them). */
  leaning: Set<string>;
}

/** A title as quoteTitle writes it (quote marks and controls read as spaces), without a cut's "…", in lower case. */
function normalise(title: string): string {
  return title
    .replace(/[\u0000-\u001f\u007f“”"]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/…$/, '')
    .trim()
    .toLowerCase();
}

const list = (text: string): string[] => text.split(/, and |, | and /).map((s) => s.trim());

function repeated(names: readonly string[]): string | null {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return n;
    seen.add(n);
  }
  return null;
}

function eraProblem(decade: string, facts: HistoryFacts): string | null {
  if (decade === facts.era) return null;
  return facts.era ? `it says the ${decade}, but most liked titles are from the ${facts.era}` : `it says the ${decade}, but no decade holds most of the liked titles`;
}

function leaningProblem(names: string[], decade: string | undefined, r: Reading): string | null {
  const { facts } = r;
  const shares = new Map(facts.categories.map((c) => [c.label, c.share] as const));
  const twice = repeated(names);
  if (twice) return `it repeats “${twice}”`;
  for (const name of names) if (!shares.has(name)) return `it says “${name}”, which no liked item is`;
  const missing = facts.required.find((c) => !names.includes(c));
  if (missing) return `it leaves out ${missing}, which most liked items are`;
  // The category most of the history shares is what defines the taste, so it is named first:
  // "Leans towards Comedy, Adventure, Action and Western" for five Westerns reads as a comedy fan.
  const firstOther = names.findIndex((name) => !facts.required.includes(name));
  const lateShared = firstOther < 0 ? undefined : names.slice(firstOther).find((name) => facts.required.includes(name));
  if (lateShared) return `it names ${names[firstOther]} before ${lateShared}, which most liked items are`;
  if (names.length > Math.max(4, facts.required.length)) return `it names ${names.length} categories, too many to be a leaning`;
  const left = facts.categories.filter((c) => !names.includes(c.label));
  const heaviestLeft = left[0];
  for (const name of names) {
    if (facts.required.includes(name)) continue;
    if (heaviestLeft && shares.get(name)! + SHARE_TOLERANCE < heaviestLeft.share) return `it names ${name} but leaves out ${heaviestLeft.label}, which weighs more in the history`;
  }
  for (const name of names) r.leaning.add(name);
  return decade === undefined ? null : eraProblem(decade, facts);
}

function avoidProblem(names: string[], r: Reading): string | null {
  const twice = repeated(names);
  if (twice) return `it repeats “${twice}”`;
  for (const name of names) {
    if (r.leaning.has(name)) return `it says the shopper leans towards ${name} and avoids it`;
    if (!r.facts.avoided.includes(name)) return `it says the shopper avoids ${name}, which the history does not push away`;
  }
  return null;
}

function findTitle(span: string, facts: HistoryFacts): FactItem | undefined {
  const wanted = normalise(span);
  const cut = span.endsWith('…');
  return facts.items.find((item) => {
    const t = normalise(item.title);
    return t === wanted || (cut && wanted.length > 0 && t.startsWith(wanted));
  });
}

const ACTION_WORDS: Readonly<Record<string, FactItem['action']>> = { 'added to cart': 'added to cart', 'in the cart': 'added to cart', bought: 'bought', clicked: 'clicked', viewed: 'viewed', liked: 'liked' };

function favouriteProblem(body: string, r: Reading): string | null {
  const ref = /^\u0001(\d+)\u0002(?: \(([^()]*)\))?/;
  let rest = body;
  for (let first = true; ; first = false) {
    if (!first) {
      const sep = /^(?:, and |, | and )/.exec(rest);
      if (!sep) return rest === '' ? null : `it says “${rest.replace(SLOT, '“…”')}” among the favourites, which is not a title`;
      rest = rest.slice(sep[0].length);
    }
    const m = ref.exec(rest);
    if (!m) return 'it lists favourites that are not quoted titles';
    rest = rest.slice(m[0].length);
    const span = r.quotes[Number(m[1])]!;
    const item = findTitle(span, r.facts);
    if (!item) return `it names “${span}”, which is not in the history`;
    if (r.named.has(item.title)) return `it names “${span}” twice`;
    r.named.add(item.title);
    if (!r.facts.favourites.includes(item.title)) return `it calls “${span}” a favourite, but the shopper did not like it`;
    const note = m[2];
    if (note === undefined) continue;
    const stars = new RegExp(`^${FIGURE}★$`).exec(note);
    if (stars) {
      if (item.rating !== Number(stars[1])) return `it gives “${span}” ${stars[1]}★, but the shopper ${item.rating === undefined ? 'did not rate it' : `rated it ${item.rating}★`}`;
      continue;
    }
    if (/^\d{4}$/.test(note)) {
      if (item.year !== Number(note)) return `it dates “${span}” ${note}, but it is from ${item.year ?? 'an unknown year'}`;
      continue;
    }
    const action = ACTION_WORDS[note];
    if (!action) return `it says “${span}” (${note}), which is not a claim Pulse can check`;
    if (action !== item.action) return `it says the shopper ${note === 'in the cart' ? 'has in the cart' : note} “${span}”, but they ${item.action} it`;
  }
}

/** What the shopper pressed instead of rating, for the habit's problem: " (they pressed Like)", or "". */
function pressedInstead(facts: HistoryFacts): string {
  const pressed = [facts.items.some((i) => i.action === 'liked') ? 'Like' : null, facts.items.some((i) => i.action === 'disliked') ? 'Dislike' : null].filter((b) => b !== null);
  return pressed.length ? ` (they pressed ${pressed.join(' and ')})` : '';
}

function habitProblem(kind: 'generous' | 'sparing' | 'average', figure: string, facts: HistoryFacts): string | null {
  // facts.ratings holds `rating` events only: a like or dislike is never a mark, so never part of a habit.
  if (facts.habit === null) {
    if (facts.ratings.length > 0) return 'it describes a rating habit, but too few or only identical ratings show one';
    return `it describes a rating habit, but the shopper rated nothing${pressedInstead(facts)}`;
  }
  if (Math.abs(Number(figure) - facts.meanRating!) > MEAN_TOLERANCE) return `it says ${figure}★ on average, but the ratings average ${facts.meanRating!.toFixed(1)}★`;
  if (kind !== 'average' && kind !== facts.habit) return `it says the shopper rates ${kind === 'generous' ? 'generously' : 'sparingly'}, but the average is ${facts.meanRating!.toFixed(1)}★`;
  return null;
}

const DECADE = '(\\d{4}s)';
const PATTERNS: readonly { kind: ClaimKind; re: RegExp; judge(m: RegExpExecArray, r: Reading): string | null }[] = [
  { kind: 'leaning', re: new RegExp(`^Leans towards ([^\\u0001]+?)(?:, (?:mostly|often) from the ${DECADE})?\\.$`), judge: (m, r) => leaningProblem(list(m[1]!), m[2], r) },
  { kind: 'era', re: new RegExp(`^Picks titles (?:mostly|often) from the ${DECADE}\\.$`), judge: (m, r) => eraProblem(m[1]!, r.facts) },
  { kind: 'favourites', re: /^Favourites include (.+)\.$/, judge: (m, r) => favouriteProblem(m[1]!, r) },
  { kind: 'avoids', re: /^Tends to avoid ([^\u0001]+)\.$/, judge: (m, r) => avoidProblem(list(m[1]!), r) },
  { kind: 'habit', re: new RegExp(`^Rates generously \\(${FIGURE}★ on average\\)\\.$`), judge: (m, r) => habitProblem('generous', m[1]!, r.facts) },
  { kind: 'habit', re: new RegExp(`^Rates sparingly \\(${FIGURE}★ on average\\), so high marks stand out\\.$`), judge: (m, r) => habitProblem('sparing', m[1]!, r.facts) },
  { kind: 'habit', re: new RegExp(`^Averages ${FIGURE}★ per rating\\.$`), judge: (m, r) => habitProblem('average', m[1]!, r.facts) },
  {
    kind: 'nothing-liked',
    re: /^Nothing liked yet(?:; steers away from ([^\u0001]+))?\.$/,
    judge: (m, r) => (r.facts.likedCount > 0 ? 'it says nothing is liked, but the shopper likes some items' : m[1] === undefined ? null : avoidProblem(list(m[1]), r)),
  },
  { kind: 'nothing-known', re: /^No preferences known yet\.$/, judge: (_m, r) => (r.facts.items.some((i) => i.weight !== 0) ? 'it says nothing is known, but the history shows preferences' : null) },
];

/** Every sentence of `text`, read as a claim and judged against `facts`. */
export function checkClaims(text: string, facts: HistoryFacts): CheckedClaim[] {
  const quotes: string[] = [];
  const slotted = text.trim().replace(QUOTED, (_all, curly: string | undefined, straight: string | undefined) => `\u0001${quotes.push(curly ?? straight ?? '') - 1}\u0002`);
  const reading: Reading = { facts, quotes, named: new Set(), leaning: new Set() };
  const sentences = slotted === '' ? [] : slotted.split(/(?<=[.!?])\s+/);
  return sentences.map((slot) => {
    const sentence = slot.replace(SLOT, (_all, n: string) => `“${quotes[Number(n)]}”`);
    for (const { kind, re, judge } of PATTERNS) {
      const m = re.exec(slot);
      if (m) return { kind, sentence, problem: judge(m, reading) };
    }
    return { kind: 'unreadable' as const, sentence, problem: `it says “${sentence}”, which is not a claim Pulse can check` };
  });
}

/**
 * Null when `text` is one or more sentences, each a claim the checker reads and finds true of
 * the history; else the first reason it is not. Without `facts.claims` nothing can be checked,
 * so nothing passes.
 */
export function ungroundedReason(text: string, facts: GroundingFacts): string | null {
  if (!facts.claims) return 'the history’s facts are unknown, so no claim can be checked';
  const claims = checkClaims(text, facts.claims);
  if (claims.length === 0) return 'it says nothing';
  return claims.find((c) => c.problem !== null)?.problem ?? null;
}

