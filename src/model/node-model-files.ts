/**
 * Node-only: reads a TF.js graph model (model.json + weight shards) and its vocab.json from a
 * folder on disk. Kept apart from use-lite.ts so the browser bundle never imports node:fs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs-core';
import { parseVocab, type VocabEntry } from './sentencepiece.ts';
import { TextBackbone } from './use-lite.ts';

/** The parsed model.json, loosely typed: we only trust what we check. */
export interface ModelJsonFile {
  modelTopology: unknown;
  weightsManifest: io.WeightsManifestConfig;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, {}>;
  modelInitializer?: unknown;
}

export async function readModelJson(dir: string): Promise<ModelJsonFile> {
  const json: unknown = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
  if (typeof json !== 'object' || json === null || !('modelTopology' in json) || !('weightsManifest' in json)) {
    throw new Error(`${join(dir, 'model.json')}: not a TF.js graph model (needs modelTopology and weightsManifest)`);
  }
  return json as ModelJsonFile;
}

/** All shards of the manifest, concatenated in manifest order (the order tfjs decodes in). */
export async function readWeightData(dir: string, manifest: io.WeightsManifestConfig): Promise<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  for (const group of manifest) for (const path of group.paths) parts.push(await readFile(join(dir, path)));
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out.buffer;
}

/** A tfjs IOHandler for `loadGraphModel` that reads from `dir` instead of fetching. */
export function nodeModelHandler(dir: string): io.IOHandler {
  return {
    async load(): Promise<io.ModelArtifacts> {
      const json = await readModelJson(dir);
      const artifacts: io.ModelArtifacts = {
        modelTopology: json.modelTopology as io.ModelArtifacts['modelTopology'],
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: await readWeightData(dir, json.weightsManifest),
      };
      if (json.format !== undefined) artifacts.format = json.format;
      if (json.generatedBy !== undefined) artifacts.generatedBy = json.generatedBy;
      if (json.convertedBy !== undefined) artifacts.convertedBy = json.convertedBy;
      if (json.signature !== undefined) artifacts.signature = json.signature as object;
      if (json.userDefinedMetadata !== undefined) artifacts.userDefinedMetadata = json.userDefinedMetadata;
      return artifacts;
    },
  };
}

export async function readVocabFile(dir: string): Promise<VocabEntry[]> {
  return parseVocab(JSON.parse(await readFile(join(dir, 'vocab.json'), 'utf8')));
}

/** Loads the text backbone from a model folder (model.json, shards, vocab.json). */
export async function loadTextBackboneFromDir(dir: string): Promise<TextBackbone> {
  return TextBackbone.load(nodeModelHandler(dir), await readVocabFile(dir));
}

/** A folder as a ModelSource for loadThoughtSpace (the browser uses fetchSource). */
export function dirSource(dir: string): { json(name: string): Promise<unknown>; bytes(name: string): Promise<Uint8Array> } {
  return {
    json: async (name) => JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown,
    bytes: async (name) => new Uint8Array(await readFile(join(dir, name))),
  };
}
