import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasBidiControls, stripBidiControls } from './bidi.ts';

test('every explicit bidi control is removed, nothing else', () => {
  const controls = ['\u200E', '\u200F', '\u061C', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];
  for (const control of controls) {
    assert.equal(stripBidiControls(`photo${control}gnp.exe`), 'photognp.exe', `U+${control.codePointAt(0)!.toString(16)}`);
    assert.equal(hasBidiControls(`a${control}`), true);
  }
  assert.equal(stripBidiControls('\u202Eabc\u202E\u2067def'), 'abcdef');
});

test('right-to-left letters and ordinary text are kept as they are', () => {
  for (const text of ['שלום עולם (1995)', 'أفلام', 'Amélie', 'Tom & Viv <b>', '']) {
    assert.equal(stripBidiControls(text), text);
    assert.equal(hasBidiControls(text), false);
  }
});
