/**
 * Node-only: transformers.js set up the way the worker uses it for the shipped model — local
 * folders only, never the Hub — with onnxruntime-node underneath.
 */
import { AutoModelForCausalLM, AutoTokenizer, env, type PreTrainedModel, type PreTrainedTokenizer } from '@huggingface/transformers';

export type LocalDtype = 'fp32' | 'q8';

export function useLocalModels(modelsDir: string): void {
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  // transformers.js joins localModelPath and the model id with '/'.
  env.localModelPath = modelsDir.endsWith('/') ? modelsDir : `${modelsDir}/`;
}

export async function loadLocalTokenizer(modelsDir: string, name: string): Promise<PreTrainedTokenizer> {
  useLocalModels(modelsDir);
  return AutoTokenizer.from_pretrained(name);
}

export async function loadLocalCausalLM(modelsDir: string, name: string, dtype: LocalDtype): Promise<PreTrainedModel> {
  useLocalModels(modelsDir);
  return AutoModelForCausalLM.from_pretrained(name, { dtype, device: 'cpu' });
}
