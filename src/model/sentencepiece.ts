/**
 * SentencePiece (unigram) tokenizer for the Universal Sentence Encoder lite vocabulary.
 *
 * Reimplements the algorithm of the Apache-2.0 `Tokenizer` in
 * `@tensorflow-models/universal-sentence-encoder` 1.3.3 (itself a port of SentencePiece's
 * `EncodeAsIds`), so that our ids are exactly the ids the USE-lite graph was used with in
 * TF.js. We do not depend on that package: it pins tfjs 3 as a peer.
 *
 * Deliberately kept quirks of the reference (changing them would change ids):
 * - only U+0020 becomes ▁; tabs and newlines stay as characters (and are usually unknown);
 * - the empty string encodes to [] (no leading ▁);
 * - a position that no piece ends at keeps score 0, which beats every real (negative) score;
 * - ties go to the later candidate (`>=`); runs of unknown characters collapse into one id 0.
 * One deliberate difference: the reference steps back by a piece's UTF-16 length, we by its
 * length in code points. They agree for this vocabulary (no piece holds an astral character);
 * checked against the reference on all 9,061 catalog texts plus 5,000 random strings.
 */

/** One vocabulary row as stored in vocab.json: [piece, log-probability score]. */
export type VocabEntry = readonly [piece: string, score: number];

/** Id of the unknown piece ("�" in the USE vocabulary). */
export const UNK_ID = 0;

/** Ids 0–5 are unk, <s>, </s> and three control symbols: never produced by segmentation. */
export const RESERVED_SYMBOLS = 6;

/** SentencePiece's word-boundary marker, U+2581 LOWER ONE EIGHTH BLOCK. */
const SEPARATOR = '\u2581';

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Vocabulary id when a piece ends here, else -1. */
  id: number;
  score: number;
  /** Length of the piece in code points. */
  length: number;
}

function newNode(): TrieNode {
  return { children: new Map(), id: -1, score: 0, length: 0 };
}

/** What the model reads: NFKC, a leading ▁, and ▁ for every space. */
export function normalizeForPieces(text: string): string {
  const normalized = text.normalize('NFKC');
  return normalized.length > 0 ? SEPARATOR + normalized.replaceAll(' ', SEPARATOR) : normalized;
}

/** Checks the parsed vocab.json; throws a clear error instead of tokenizing garbage later. */
export function parseVocab(raw: unknown): VocabEntry[] {
  if (!Array.isArray(raw) || raw.length <= RESERVED_SYMBOLS) {
    throw new Error(`vocab must be an array of more than ${RESERVED_SYMBOLS} [piece, score] pairs`);
  }
  return raw.map((row: unknown, i) => {
    if (!Array.isArray(row) || typeof row[0] !== 'string') {
      throw new Error(`vocab row ${i} must be [string, number], got ${JSON.stringify(row)}`);
    }
    // The shipped USE vocab has `null` scores for the seven pieces holding ':' (":", "://",
    // "▁:)" …). The reference adds them as numbers, where null counts as 0, so we do too.
    const score: unknown = row[1] === null ? 0 : row[1];
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new Error(`vocab row ${i} must be [string, number], got ${JSON.stringify(row)}`);
    }
    return [row[0], score] as const;
  });
}

export class SentencePieceTokenizer {
  private readonly root = newNode();

  constructor(readonly vocab: ReadonlyArray<VocabEntry>) {
    for (let id = RESERVED_SYMBOLS; id < vocab.length; id++) {
      const entry = vocab[id];
      if (entry === undefined) continue;
      const [piece, score] = entry;
      let node = this.root;
      let length = 0;
      for (const ch of piece) {
        let child = node.children.get(ch);
        if (child === undefined) {
          child = newNode();
          node.children.set(ch, child);
        }
        node = child;
        length++;
      }
      if (length === 0) continue;
      // A later duplicate overwrites an earlier one, as in the reference trie.
      node.id = id;
      node.score = score;
      node.length = length;
    }
  }

  get size(): number {
    return this.vocab.length;
  }

  /** Vocabulary ids of the best-scoring segmentation of `text`. */
  encode(text: string): number[] {
    // Iterate by code point so that an emoji is one (unknown) symbol, not two halves.
    const symbols = Array.from(normalizeForPieces(text));
    const n = symbols.length;
    if (n === 0) return [];

    // incoming[end] lists the pieces ending at `end`, ordered by start ascending — the
    // order the reference visits them in, which matters for its tie-breaking.
    const incoming: Array<Array<{ length: number; score: number; id: number }>> = [];
    for (let i = 0; i <= n; i++) incoming.push([]);
    for (let start = 0; start < n; start++) {
      let node = this.root.children.get(symbols[start] as string);
      let matched = false;
      for (let end = start + 1; node !== undefined; end++) {
        if (node.id >= 0) {
          incoming[end]?.push({ length: node.length, score: node.score, id: node.id });
          matched = true;
        }
        if (end >= n) break;
        node = node.children.get(symbols[end] as string);
      }
      // No piece starts here: one unknown symbol with score 0.
      if (!matched) incoming[start + 1]?.push({ length: 1, score: 0, id: UNK_ID });
    }

    // Viterbi forward pass (best[0] = 0; 0 also means "not reached yet", as in the reference).
    const best = new Float64Array(n + 1);
    const chosen = new Int32Array(n + 1); // id of the best piece ending at each position
    const chosenLength = new Int32Array(n + 1).fill(1); // unreached positions step back by 1 (unk)
    for (let end = 1; end <= n; end++) {
      for (const edge of incoming[end] ?? []) {
        const score = edge.score + (best[end - edge.length] ?? 0);
        if (best[end] === 0 || score >= (best[end] ?? 0)) {
          best[end] = score;
          chosen[end] = edge.id;
          chosenLength[end] = edge.length;
        }
      }
    }

    // Backward pass, then merge runs of unknowns.
    const reversed: number[] = [];
    for (let pos = n; pos > 0; pos -= chosenLength[pos] ?? 1) reversed.push(chosen[pos] ?? UNK_ID);
    const ids: number[] = [];
    for (let i = reversed.length - 1; i >= 0; i--) {
      const id = reversed[i] ?? UNK_ID;
      if (id === UNK_ID && ids.length > 0 && ids[ids.length - 1] === UNK_ID) continue;
      ids.push(id);
    }
    return ids;
  }
}
