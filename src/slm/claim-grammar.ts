/**
 * The claim checker's sentences as a decoding grammar. From a history's facts it lists every
 * true sentence the checker reads except the favourites (a handful to a few hundred: leanings
 * that name every shared category first, then the heaviest others, in any order within each, with or without the
 * true era; the era alone; the avoided categories; the rating habit; "nothing liked yet"), as
 * a byte trie, plus the opening "Favourites include ", after which grounded decoding's title
 * trie (grounding-constraint.ts) takes over until the sentence ends. While the model writes, a
 * token may only continue a sentence of the list — so a leaning cannot leave out War or claim
 * the 2000s — and the turn may only end after a complete sentence. Which sentences, in which
 * order and which words of each, the model still chooses by its own probabilities.
 *
 * Pure, on bytes (any byte-level BPE vocabulary).
 */
import type { HistoryFacts } from '../core/history-facts.ts';

export const FAVOURITES_OPENING = 'Favourites include ';
const SPACE = 0x20;
const DOT = 0x2e;
const STRAIGHT = 0x22;
const OPEN_CURLY = [0xe2, 0x80, 0x9c];
const CLOSE_CURLY = [0xe2, 0x80, 0x9d];
/** More orders than this of one category set are not listed (5 shared categories: 120 orders). */
const MAX_ORDERS = 24;

export interface Node {
  next: Map<number, Node>;
  /** A complete sentence ends here. */
  end: boolean;
  /** "Favourites include " ends here: the favourites sentence starts. */
  favourites: boolean;
}
const node = (): Node => ({ next: new Map(), end: false, favourites: false });

function listPhrase(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function permutations<T>(items: readonly T[], limit: number): T[][] {
  const out: T[][] = [];
  const walk = (prefix: T[], rest: T[]) => {
    if (out.length >= limit) return;
    if (rest.length === 0) {
      out.push(prefix);
      return;
    }
    rest.forEach((x, i) => walk([...prefix, x], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  walk([], [...items]);
  return out;
}

/** Every true sentence but the favourites, as the claim checker (grounding.ts) reads them. */
export function trueSentences(facts: HistoryFacts): string[] {
  const out: string[] = [];
  if (facts.likedCount === 0) {
    if (!facts.items.some((i) => i.weight !== 0)) out.push('No preferences known yet.');
    else out.push('Nothing liked yet.');
    for (const set of avoidSets(facts)) out.push(`Nothing liked yet; steers away from ${listPhrase(set)}.`);
    return out;
  }
  const required = facts.required;
  const others = facts.categories.map((c) => c.label).filter((c) => !required.includes(c));
  const max = Math.max(4, required.length);
  const eras = facts.era ? ['', `, mostly from the ${facts.era}`, `, often from the ${facts.era}`] : [''];
  for (let extra = 0; required.length + extra <= max && extra <= others.length; extra++) {
    // The extras must weigh at least as much as every category left out: the next ones by share
    // (an extra tied with the first one left out may stand in for it).
    // The shared categories come first, in any order, then the extras in any order (grounding.ts).
    const extras = others.slice(0, extra);
    if (required.length + extras.length === 0) continue;
    const orders = permutations(required, MAX_ORDERS).flatMap((lead) => permutations(extras, MAX_ORDERS).map((tail) => [...lead, ...tail]));
    for (const order of orders.slice(0, MAX_ORDERS)) for (const era of eras) out.push(`Leans towards ${listPhrase(order)}${era}.`);
  }
  if (facts.era) out.push(`Picks titles mostly from the ${facts.era}.`, `Picks titles often from the ${facts.era}.`);
  for (const set of avoidSets(facts)) out.push(`Tends to avoid ${listPhrase(set)}.`);
  if (facts.habit && facts.meanRating !== null) {
    const mean = facts.meanRating.toFixed(1);
    out.push(`Averages ${mean}★ per rating.`);
    if (facts.habit === 'generous') out.push(`Rates generously (${mean}★ on average).`);
    if (facts.habit === 'sparing') out.push(`Rates sparingly (${mean}★ on average), so high marks stand out.`);
  }
  return out;
}

function avoidSets(facts: HistoryFacts): string[][] {
  const top = facts.avoided.slice(0, 3);
  const sets: string[][] = top.map((c) => [c]);
  for (let i = 0; i < top.length; i++) for (let j = 0; j < top.length; j++) if (i !== j) sets.push([top[i]!, top[j]!]);
  return sets;
}

/** A sentence's kind is its first byte ("Leans", "Picks", "Favourites", …); "Averages" and "Rates" are both the habit. */
const kindOf = (byte: number): number => (byte === 0x41 ? 0x52 : byte);

export type GrammarState =
  | { kind: 'sentence'; at: Node; done: ReadonlySet<number> }
  | { kind: 'favourites'; inQuote: boolean; tail: Uint8Array; lastTitle: string | null; named: number; done: ReadonlySet<number> };

export class ClaimGrammar {
  private readonly root = node();
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();
  /** tails() per (last title, titles named): the same for every token of a decoding step. */
  private readonly tailCache = new Map<string, { text: string[]; bytes: Uint8Array[] }>();

  constructor(private readonly facts: HistoryFacts) {
    const encoder = new TextEncoder();
    for (const sentence of trueSentences(facts)) this.insert(encoder.encode(sentence)).end = true;
    if (facts.favourites.length > 0) this.insert(encoder.encode(FAVOURITES_OPENING)).favourites = true;
  }

  private insert(bytes: Uint8Array): Node {
    let at = this.root;
    for (const byte of bytes) {
      let next = at.next.get(byte);
      if (!next) at.next.set(byte, (next = node()));
      at = next;
    }
    return at;
  }

  /**
   * Where `text` (the bytes written so far) stands: in a listed sentence (at its trie node), in
   * the favourites sentence (inside a title, or in the `tail` written since the last title
   * closed), or off the grammar (null: a forced token took it there; the caller then leaves
   * the logits alone).
   */
  state(text: Uint8Array): GrammarState | null {
    let at: Node | null = this.root;
    /** Kinds of the sentences written so far: each is said once. */
    const done = new Set<number>();
    let fav: { inQuote: boolean; span: number[]; tail: number[]; lastTitle: string | null; named: number } | null = null;
    for (let i = 0; i < text.length; i++) {
      const byte = text[i]!;
      if (fav) {
        if (fav.inQuote) {
          const close = byte === STRAIGHT ? 1 : byte === CLOSE_CURLY[0] && text[i + 1] === CLOSE_CURLY[1] && text[i + 2] === CLOSE_CURLY[2] ? 3 : 0;
          if (close) {
            fav = { inQuote: false, span: [], tail: [], lastTitle: this.decoder.decode(Uint8Array.from(fav.span)), named: fav.named + 1 };
            i += close - 1;
          } else fav.span.push(byte);
          continue;
        }
        const open = byte === STRAIGHT ? 1 : byte === OPEN_CURLY[0] && text[i + 1] === OPEN_CURLY[1] && text[i + 2] === OPEN_CURLY[2] ? 3 : 0;
        if (open) {
          fav.inQuote = true;
          fav.span = [];
          i += open - 1;
          continue;
        }
        const before = fav.tail.at(-2);
        if (byte === SPACE && fav.tail.at(-1) === DOT && (before === undefined || before < 0x30 || before > 0x39)) {
          fav = null; // the favourites sentence ended: the next one starts from the root
          at = this.root;
          continue;
        }
        fav.tail.push(byte);
        continue;
      }
      if (at === null) return null;
      if (at.end && byte === SPACE) {
        at = this.root;
        continue;
      }
      if (at === this.root) done.add(kindOf(byte));
      at = at.next.get(byte) ?? null;
      if (at?.favourites) fav = { inQuote: false, span: [], tail: [], lastTitle: null, named: 0 };
    }
    if (fav) return { kind: 'favourites', inQuote: fav.inQuote, tail: Uint8Array.from(fav.tail), lastTitle: fav.lastTitle, named: fav.named, done };
    return at === null ? null : { kind: 'sentence', at, done };
  }

  /** What may follow a title (or the opening) in the favourites sentence: its own note, then a separator. */
  private tails(state: Extract<GrammarState, { kind: 'favourites' }>): { text: string[]; bytes: Uint8Array[] } {
    const key = `${state.named}\u0000${state.lastTitle ?? ''}`;
    let cached = this.tailCache.get(key);
    if (!cached) {
      const text = this.computeTails(state);
      this.tailCache.set(key, (cached = { text, bytes: text.map((t) => this.encoder.encode(t)) }));
    }
    return cached;
  }

  private computeTails(state: Extract<GrammarState, { kind: 'favourites' }>): string[] {
    const more = state.named < this.facts.favourites.length;
    const opens = more ? ['“', '"'] : [];
    if (state.lastTitle === null) return opens;
    const wanted = state.lastTitle.replace(/…$/, '').toLowerCase();
    const item = this.facts.items.find((i) => i.title.toLowerCase() === wanted || (state.lastTitle!.endsWith('…') && i.title.toLowerCase().startsWith(wanted)));
    const notes = [''];
    if (item?.rating !== undefined) notes.push(` (${Number.isInteger(item.rating) ? item.rating : item.rating.toFixed(1)}★)`, ` (${item.rating}★)`);
    else if (item?.action === 'added to cart' || item?.action === 'bought') notes.push(` (${item.action})`);
    if (item?.year != null) notes.push(` (${item.year})`);
    const seps = [...opens.flatMap((q) => [`, ${q}`, ` and ${q}`, `, and ${q}`]), '.'];
    return [...new Set(notes.flatMap((n) => seps.map((sep) => n + sep)))];
  }

  /** Whether `bytes` may follow in the favourites sentence, outside a title (compared as bytes: a token may hold half a “). */
  continuesFavourites(state: Extract<GrammarState, { kind: 'favourites' }>, bytes: Uint8Array): boolean {
    const written = new Uint8Array(state.tail.length + bytes.length);
    written.set(state.tail);
    written.set(bytes, state.tail.length);
    for (const tail of this.tails(state).bytes) {
      const n = Math.min(tail.length, written.length);
      let same = true;
      for (let i = 0; i < n && same; i++) same = tail[i] === written[i];
      if (!same) continue;
      if (written.length <= tail.length) return true;
      const rest = written.subarray(tail.length);
      if (tail[tail.length - 1] !== DOT) return true; // a title opened: the title trie judges the rest
      if (rest[0] === SPACE && this.continues(this.root, rest.subarray(1), state.done)) return true;
    }
    return false;
  }

  /** Whether `bytes` may follow a sentence-state node (crossing into a next sentence or the favourites). */
  continues(at: Node, bytes: Uint8Array, done: ReadonlySet<number>): boolean {
    let n: Node = at;
    const added: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (n.end && byte === SPACE) {
        n = this.root;
        continue;
      }
      if (n === this.root) {
        const kind = kindOf(byte);
        if (done.has(kind) || added.includes(kind)) return false;
        added.push(kind);
      }
      const next = n.next.get(byte);
      if (!next) return false;
      if (next.favourites) return this.continuesFavourites({ kind: 'favourites', inQuote: false, tail: new Uint8Array(0), lastTitle: null, named: 0, done: new Set([...done, ...added]) }, bytes.subarray(i + 1));
      n = next;
    }
    return true;
  }

  /** May the turn end here? After a complete sentence only. */
  mayEnd(state: GrammarState, written: number): boolean {
    if (written === 0) return false;
    // At the root the text ends with a complete sentence and a space.
    if (state.kind === 'sentence') return state.at.end || state.at === this.root;
    const tail = this.decoder.decode(state.tail);
    return !state.inQuote && state.lastTitle !== null && this.tails(state).text.some((t) => t.endsWith('.') && t === tail);
  }
}
