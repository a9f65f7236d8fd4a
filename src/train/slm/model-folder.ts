/**
 * Node-only: writes an exported decoder in the Hugging Face / transformers.js folder layout:
 *   config.json, generation_config.json, tokenizer.json, tokenizer_config.json,
 *   onnx/model.onnx (fp32, dtype 'fp32') and onnx/model_quantized.onnx (int8, dtype 'q8').
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BpeVocabulary } from './bpe-trainer.ts';
import type { GptConfig, GptWeights } from './gpt-config.ts';
import { encodeGptOnnx } from './gpt-onnx.ts';
import { generationConfigJson, modelConfigJson } from './hf-config.ts';
import { tokenizerConfigJson, tokenizerJson } from './tokenizer-files.ts';

export interface ModelFolderBytes {
  fp32: number;
  q8: number;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export async function writeTokenizerFiles(dir: string, bpe: BpeVocabulary, modelMaxLength: number): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Compact tokenizer.json: it is the largest JSON file and is parsed, not read, by people.
  await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerJson(bpe)));
  await writeFile(join(dir, 'tokenizer_config.json'), json(tokenizerConfigJson(modelMaxLength)));
}

export async function writeModelFiles(dir: string, config: GptConfig, weights: GptWeights): Promise<ModelFolderBytes> {
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(join(dir, 'config.json'), json(modelConfigJson(config)));
  await writeFile(join(dir, 'generation_config.json'), json(generationConfigJson()));
  const fp32 = encodeGptOnnx(config, weights, { quantized: false });
  const q8 = encodeGptOnnx(config, weights, { quantized: true });
  await writeFile(join(dir, 'onnx', 'model.onnx'), fp32);
  await writeFile(join(dir, 'onnx', 'model_quantized.onnx'), q8);
  return { fp32: fp32.length, q8: q8.length };
}
