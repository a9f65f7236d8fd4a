import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanRationale, truncate } from './rationale-text.ts';

test('chat-template tokens, control characters and bidi overrides are removed', () => {
  const raw = 'assistant: You enjoy <|im_end|>animated\u0007 family films\u202e with\u0000 heart.\n\n<|endoftext|></s>';
  assert.equal(cleanRationale(raw), 'You enjoy animated family films with heart.');
});

test('markup stays literal text: nothing is interpreted, only cleaned', () => {
  const text = cleanRationale('You like <b>bold</b> & <script>x()</script> picks');
  assert.equal(text, 'You like <b>bold</b> & <script>x()</script> picks');
});

test('long text is cut at a sentence end, or at a word with an ellipsis, never over the limit', () => {
  const sentences = 'You love space operas. ' + 'You also like gritty heist films with clever twists and big ensembles. '.repeat(6);
  const cut = cleanRationale(sentences, 120);
  assert.ok(cut.length <= 120, `${cut.length} chars`);
  assert.match(cut, /\.$/);
  const words = truncate('word '.repeat(100).trim(), 50);
  assert.ok(words.length <= 50);
  assert.match(words, /word…$/);
  const unbroken = truncate('x'.repeat(100), 20);
  assert.equal(unbroken.length, 20);
});

test('empty or whitespace-only output stays empty (the caller falls back)', () => {
  assert.equal(cleanRationale(' \n\t<|im_end|> '), '');
});

test('a sentence cut off by the token budget is dropped when a complete one precedes it', () => {
  assert.equal(cleanRationale('Leans towards Animation. Favourites include “Toy'), 'Leans towards Animation.');
  assert.equal(cleanRationale('Only a fragment without an end'), 'Only a fragment without an end');
  assert.equal(cleanRationale('Likes “Toy Story.”'), 'Likes “Toy Story.”');
});
