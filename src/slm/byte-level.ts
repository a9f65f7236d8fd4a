/**
 * GPT-2's byte-level alphabet, exactly as Hugging Face `tokenizers` and transformers.js use
 * it: every byte maps to one printable character, so a BPE vocabulary over these characters
 * covers any UTF-8 text with no unknown token. The split pattern is the one transformers.js's
 * ByteLevel pre-tokenizer applies (@huggingface/tokenizers, `use_regex: true`).
 */

export const BYTE_LEVEL_SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

function buildByteToChar(): string[] {
  const printable: number[] = [];
  const range = (from: string, to: string): void => {
    for (let b = from.charCodeAt(0); b <= to.charCodeAt(0); b++) printable.push(b);
  };
  range('!', '~');
  range('¡', '¬');
  range('®', 'ÿ');
  const table = new Array<string>(256);
  for (const b of printable) table[b] = String.fromCharCode(b);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) table[b] = String.fromCharCode(256 + next++);
  }
  return table;
}

/** byte → the character that stands for it. */
export const BYTE_TO_CHAR: readonly string[] = buildByteToChar();

const encoder = new TextEncoder();

/** Splits text the way the runtime pre-tokenizer does and maps each piece to byte characters. */
export function byteLevelPieces(text: string): string[] {
  return (text.match(BYTE_LEVEL_SPLIT) ?? []).map((piece) => Array.from(encoder.encode(piece), (b) => BYTE_TO_CHAR[b]!).join(''));
}
