/**
 * The tokenised SLM corpus as one file, so that training can run where transformers.js and the
 * raw data are not (a GPU server with a bundled trainer): a JSON header and the token ids as
 * uint16 (the vocabulary is 4,096). Made by `slm:train --prepare-only`, read by `--corpus`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { TokenizedExample } from './slm/gpt-trainer.ts';

export interface TokenizedCorpus {
  train: TokenizedExample[];
  heldOut: TokenizedExample[];
  padId: number;
  vocabSize: number;
  /** sha-256 of the tokenizer.json the ids come from: a checkpoint must match it. */
  tokenizerSha256: string;
  /** What the corpus was built from, for the training report. */
  stats: { trainExamples: number; heldOutExamples: number; trainTokens: number; trainAnswerTokens: number };
}

interface Header extends Omit<TokenizedCorpus, 'train' | 'heldOut'> {
  train: { length: number; answerStart: number }[];
  heldOut: { length: number; answerStart: number }[];
}

export async function saveTokenizedCorpus(path: string, corpus: TokenizedCorpus): Promise<void> {
  const all = [...corpus.train, ...corpus.heldOut];
  const ids = new Uint16Array(all.reduce((n, e) => n + e.ids.length, 0));
  let at = 0;
  for (const e of all) {
    if (e.ids.some((id) => id > 0xffff)) throw new Error('corpus file: a token id does not fit in 16 bits');
    ids.set(e.ids, at);
    at += e.ids.length;
  }
  const shape = (list: TokenizedExample[]): Header['train'] => list.map((e) => ({ length: e.ids.length, answerStart: e.answerStart }));
  const header: Header = { ...corpus, train: shape(corpus.train), heldOut: shape(corpus.heldOut) };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(4 + json.length + (json.length % 2) + ids.byteLength);
  new DataView(out.buffer).setUint32(0, json.length, true);
  out.set(json, 4);
  out.set(new Uint8Array(ids.buffer), 4 + json.length + (json.length % 2));
  await writeFile(path, out);
}

export async function loadTokenizedCorpus(path: string): Promise<TokenizedCorpus> {
  const bytes = new Uint8Array(await readFile(path));
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + jsonLength))) as Header;
  const start = 4 + jsonLength + (jsonLength % 2);
  // Copy to an aligned buffer: the file's bytes may start at any offset.
  const ids = new Uint16Array(bytes.slice(start).buffer);
  let at = 0;
  const read = (shapes: Header['train']): TokenizedExample[] =>
    shapes.map(({ length, answerStart }) => {
      const example = { ids: Array.from(ids.subarray(at, at + length)), answerStart };
      at += length;
      return example;
    });
  const train = read(header.train);
  const heldOut = read(header.heldOut);
  if (at !== ids.length) throw new Error(`corpus file ${path}: ${ids.length} ids, the header accounts for ${at}`);
  return { ...header, train, heldOut };
}
