/**
 * Node-only: the runtime files a shop hosts, copied from what `vite build` put in dist/
 * (pulse.js and everything under pulse/, whatever its file names are this build) and the
 * text backbone from models/. Read from disk each time, so a change to the dist layout
 * needs no change here as long as pulse.js and pulse/ are its entry points.
 */
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export class AssetsError extends Error {
  override name = 'AssetsError';
}

/** The runtime entry points the loader needs: pulse.js, and pulse/ beside it (pulse/runtime.js). */
const RUNTIME_ENTRIES = ['pulse.js', 'pulse'] as const;
/** The text backbone the worker falls back to for items without a vector (and steering). */
export const TEXT_MODEL = 'use-lite';

export function checkRuntime(distDir: string): void {
  for (const entry of RUNTIME_ENTRIES) {
    if (!existsSync(join(distDir, entry))) {
      throw new AssetsError(`${join(distDir, entry)} is missing: build the runtime first (npx vite build), or pass --dist <folder with pulse.js and pulse/>`);
    }
  }
  if (!existsSync(join(distDir, 'pulse', 'runtime.js'))) throw new AssetsError(`${join(distDir, 'pulse', 'runtime.js')} is missing: is ${distDir} a Pulse build?`);
}

/**
 * ONNX Runtime's wasm builds and their loaders (with their .br/.gz twins): only the language
 * model runs on them, and they are most of pulse/ (the kitchen folder's pulse/ is 61.9 MB with
 * them, 5.7 MB without). A folder whose config turns the language model off never requests
 * them, so it does not carry them (issue 10).
 */
const LANGUAGE_MODEL_RUNTIME = /^ort-wasm-.*\.(?:wasm|mjs)(?:\.br|\.gz)?$/;

export interface RuntimeChoice {
  /** Whether the folder's config lets the language model run; without it ONNX Runtime is left out. */
  languageModel: boolean;
}

export function copyRuntime(distDir: string, modelsDir: string, outDir: string, choice: RuntimeChoice): void {
  checkRuntime(distDir);
  const wanted = (source: string) => choice.languageModel || !LANGUAGE_MODEL_RUNTIME.test(basename(source));
  for (const entry of RUNTIME_ENTRIES) cpSync(join(distDir, entry), join(outDir, entry), { recursive: true, filter: wanted });
  const textModel = join(modelsDir, TEXT_MODEL);
  if (!existsSync(join(textModel, 'model.json'))) throw new AssetsError(`${textModel}/model.json is missing: the text backbone ships in the package's models/ folder`);
  cpSync(textModel, join(outDir, 'models', TEXT_MODEL), { recursive: true });
}

export interface HostedFile {
  path: string;
  bytes: number;
}

/** Every file under `dir`, with its size, sorted by path. */
export function listFiles(dir: string): HostedFile[] {
  const out: HostedFile[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const path = join(current, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else out.push({ path: relative(dir, path), bytes: stat.size });
    }
  };
  walk(dir);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
