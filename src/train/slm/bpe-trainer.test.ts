import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BYTE_TO_CHAR } from '../../slm/byte-level.ts';
import { trainByteLevelBpe } from './bpe-trainer.ts';
import { CHAT_TEMPLATE, SPECIAL_TOKENS, renderChat } from './chat-format.ts';
import { loadLocalTokenizer } from './local-transformers.ts';
import { writeTokenizerFiles } from './model-folder.ts';

const corpus = ['Leans towards Drama and Comedy.', 'Leans towards Comedy, mostly from the 1990s.', 'Favourites include “Heat” (5★).'];

test('the byte alphabet is GPT-2’s: 256 distinct printable characters, space is Ġ', () => {
  assert.equal(new Set(BYTE_TO_CHAR).size, 256);
  assert.equal(BYTE_TO_CHAR[32], 'Ġ');
  assert.equal(BYTE_TO_CHAR[10], 'Ċ');
  assert.equal(BYTE_TO_CHAR[65], 'A');
});

test('the most frequent pair is merged first, ties broken the same way every run', () => {
  const a = trainByteLevelBpe(corpus, { vocabSize: 270, specialTokens: SPECIAL_TOKENS });
  const b = trainByteLevelBpe(corpus, { vocabSize: 270, specialTokens: SPECIAL_TOKENS });
  assert.deepEqual(a.merges, b.merges);
  assert.equal(a.vocab.get('<|endoftext|>'), 0);
  assert.equal(a.vocab.get('<|im_end|>'), 2);
  assert.equal(a.vocab.size, 270);
  // Merges stop when no pair occurs twice: a bigger budget does not invent tokens.
  const full = trainByteLevelBpe(corpus, { vocabSize: 5000, specialTokens: SPECIAL_TOKENS });
  assert.ok(full.vocab.size < 5000);
  // "Leans towards" occurs twice; its pieces end up as whole tokens, a once-seen word does not.
  assert.ok(full.vocab.has('Leans') && full.vocab.has('Ġtowards'));
  assert.ok(!full.vocab.has('Ġmostly'));
});

test('transformers.js loads the written tokenizer: lossless round trip, merges used, chat template applied', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bpe-'));
  try {
    const bpe = trainByteLevelBpe(corpus, { vocabSize: 320, specialTokens: SPECIAL_TOKENS });
    await writeTokenizerFiles(join(dir, 'tok'), bpe, 128);
    const tokenizer = await loadLocalTokenizer(dir, 'tok');
    const text = 'Leans towards Drama — Amélie 🎬 (2001)\n\tand “Heat”';
    const ids = tokenizer.encode(text, { add_special_tokens: false });
    assert.equal(tokenizer.decode(ids), text, 'byte-level BPE reproduces any UTF-8 text');
    assert.ok(tokenizer.encode('Leans towards', { add_special_tokens: false }).length <= 2, 'learned merges shorten known words');
    const messages = [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'hi' },
    ];
    const rendered = tokenizer.apply_chat_template(messages, { tokenize: false, add_generation_prompt: true }) as string;
    assert.equal(rendered, renderChat(messages as never, true));
    assert.ok(CHAT_TEMPLATE.includes('add_generation_prompt'));
    const specialIds = tokenizer.encode(rendered, { add_special_tokens: false }).filter((id: number) => id < 3);
    assert.deepEqual(specialIds, [1, 2, 1, 2, 1], 'turn markers are single special tokens');
    assert.equal(tokenizer.eos_token_id, 2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
