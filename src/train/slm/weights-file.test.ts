import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GptWeights } from './gpt-config.ts';
import { loadWeights, saveWeights } from './weights-file.ts';

test('a checkpoint round-trips names, shapes and values exactly (odd header lengths too)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pulse-weights-'));
  try {
    const weights: GptWeights = new Map([
      ['wte', { shape: [2, 3], values: Float32Array.from([1.5, -2, 3e-8, 4, 5, 6]) }],
      ['h.0.ln_1.bias', { shape: [3], values: Float32Array.from([0.1, 0.2, 0.3]) }],
    ]);
    const path = join(dir, 'w.bin');
    await saveWeights(path, weights);
    const back = await loadWeights(path);
    assert.deepEqual([...back.keys()], ['wte', 'h.0.ln_1.bias']);
    for (const [name, w] of weights) {
      assert.deepEqual(back.get(name)!.shape, w.shape);
      assert.deepEqual(Array.from(back.get(name)!.values), Array.from(w.values));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
