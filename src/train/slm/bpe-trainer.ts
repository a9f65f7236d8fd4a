import { BYTE_TO_CHAR, byteLevelPieces } from '../../slm/byte-level.ts';

/**
 * Byte-level BPE training (Sennrich et al.; GPT-2's variant): start from the 256 byte
 * characters and repeatedly merge the most frequent adjacent pair inside pre-tokenised pieces.
 * Pair counts are updated incrementally (only the pieces that contain the merged pair are
 * touched), which keeps a few thousand merges over a corpus of 10⁵ pieces to seconds.
 * Deterministic: ties go to the pair whose merged string sorts first.
 */

export interface BpeVocabulary {
  /** token → id; ids 0..specialTokens-1 are the special tokens, then the 256 bytes, then merges. */
  vocab: Map<string, number>;
  /** In rank order, as `[left, right]`. */
  merges: [string, string][];
}

export interface BpeTrainingOptions {
  /** Total vocabulary size, special tokens included. */
  vocabSize: number;
  specialTokens: readonly string[];
  /** A pair seen fewer times than this is never merged. Default 2. */
  minFrequency?: number;
}

export function trainByteLevelBpe(texts: Iterable<string>, options: BpeTrainingOptions): BpeVocabulary {
  const minFrequency = options.minFrequency ?? 2;
  const symbols: string[] = [...options.specialTokens, ...BYTE_TO_CHAR];
  const symbolId = new Map(symbols.map((s, i) => [s, i] as const));
  if (symbolId.size !== symbols.length) throw new Error('BPE: special tokens collide with byte characters');

  const pieceCounts = new Map<string, number>();
  for (const text of texts) for (const piece of byteLevelPieces(text)) pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + 1);
  const words: number[][] = [];
  const counts: number[] = [];
  for (const [piece, count] of pieceCounts) {
    words.push(Array.from(piece, (ch) => symbolId.get(ch)!));
    counts.push(count);
  }

  // Symbol ids stay below 2^20, so a pair packs into one safe integer key.
  const SHIFT = 1 << 20;
  const pairKey = (a: number, b: number): number => a * SHIFT + b;
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addWordPairs = (w: number, sign: 1 | -1): void => {
    const word = words[w]!;
    for (let i = 0; i + 1 < word.length; i++) {
      const key = pairKey(word[i]!, word[i + 1]!);
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * counts[w]!);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  for (let w = 0; w < words.length; w++) addWordPairs(w, 1);

  const merges: [string, string][] = [];
  while (symbols.length < options.vocabSize) {
    let bestKey = -1;
    let bestCount = minFrequency - 1;
    let bestString = '';
    for (const [key, count] of pairCounts) {
      if (count < bestCount || count <= 0) continue;
      const merged = symbols[Math.floor(key / SHIFT)]! + symbols[key % SHIFT]!;
      if (count > bestCount || merged < bestString) {
        bestKey = key;
        bestCount = count;
        bestString = merged;
      }
    }
    if (bestKey < 0) break;
    const left = Math.floor(bestKey / SHIFT);
    const right = bestKey % SHIFT;
    const mergedId = symbols.length;
    symbols.push(bestString);
    merges.push([symbols[left]!, symbols[right]!]);
    for (const w of pairWords.get(bestKey) ?? []) {
      addWordPairs(w, -1);
      const word = words[w]!;
      const next: number[] = [];
      for (let i = 0; i < word.length; i++) {
        if (i + 1 < word.length && word[i] === left && word[i + 1] === right) {
          next.push(mergedId);
          i++;
        } else next.push(word[i]!);
      }
      words[w] = next;
      addWordPairs(w, 1);
    }
    pairCounts.delete(bestKey);
    pairWords.delete(bestKey);
  }
  // Two merges can produce the same string (e.g. "ab"+"c" and "a"+"bc"); the vocabulary keeps
  // the first id, which is what a BPE model file can express.
  const vocab = new Map<string, number>();
  for (const s of symbols) if (!vocab.has(s)) vocab.set(s, vocab.size);
  return { vocab, merges };
}
