/**
 * `models/slm.json`: which SLM a site runs, so that dropping a model folder into `models/`
 * and naming it here switches the model without touching code. Also lists, per model,
 * the weight variants present, which saves probing for files that do not exist.
 *
 * ```json
 * { "model": "pulse-slm", "models": { "pulse-slm": { "dtypes": ["fp32", "q8"] } } }
 * ```
 * A `slm: { model }` option given to createPulse wins over the file.
 */
import { SLM_DTYPES, type SlmDtype } from './slm-types.ts';

export const SLM_MANIFEST_FILE = 'slm.json';

/**
 * Where `slm.json` lives under `modelsUrl`. One spelling for every reader (the coverage check,
 * the early request at init, the SLM host): the worker's shared reader dedupes by URL, so two
 * spellings of one file would fetch it twice.
 */
export function slmManifestUrl(modelsUrl: string): string {
  return `${modelsUrl.replace(/\/+$/, '')}/${SLM_MANIFEST_FILE}`;
}
export const DEFAULT_SLM_MODEL = 'pulse-slm';

export interface SlmModelEntry {
  /** Weight variants whose `onnx/model*.onnx` exist; absent: probe for them. */
  dtypes?: SlmDtype[];
}

export interface SlmManifest {
  model: string;
  models: Record<string, SlmModelEntry>;
}

export interface SlmModelChoice {
  model: string;
  /** null: unknown, probe the folder. */
  dtypes: SlmDtype[] | null;
  source: 'option' | 'manifest' | 'default';
}

/** A folder name, or `owner/name` for a remote id; never `..`, never a URL. */
const MODEL_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)?$/;

export function isModelName(value: unknown): value is string {
  return typeof value === 'string' && MODEL_NAME.test(value) && !value.split('/').includes('..');
}

/** Validates the parsed `slm.json`; throws with the path of the bad field. */
export function parseSlmManifest(raw: unknown): SlmManifest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('slm.json: expected an object');
  const { model, models = {} } = raw as { model?: unknown; models?: unknown };
  if (!isModelName(model)) throw new Error(`slm.json: "model" must be a folder name like "pulse-slm"; got ${JSON.stringify(model)}`);
  if (typeof models !== 'object' || models === null || Array.isArray(models)) throw new Error('slm.json: "models" must be an object');
  const entries: Record<string, SlmModelEntry> = {};
  for (const [name, entry] of Object.entries(models)) {
    if (!isModelName(name)) throw new Error(`slm.json: models key ${JSON.stringify(name)} is not a folder name`);
    const dtypes = (entry as { dtypes?: unknown } | null)?.dtypes;
    if (dtypes === undefined) {
      entries[name] = {};
      continue;
    }
    if (!Array.isArray(dtypes) || !dtypes.every((d) => (SLM_DTYPES as readonly unknown[]).includes(d))) {
      throw new Error(`slm.json: models.${name}.dtypes must list some of ${SLM_DTYPES.join(', ')}; got ${JSON.stringify(dtypes)}`);
    }
    entries[name] = { dtypes: dtypes as SlmDtype[] };
  }
  return { model, models: entries };
}

/** The option wins, then the manifest, then the shipped default. */
export function chooseSlmModel(optionModel: string | undefined, manifest: SlmManifest | null): SlmModelChoice {
  if (optionModel !== undefined && !isModelName(optionModel)) {
    throw new Error(`slm.model must be a folder name under the models URL (or owner/name); got ${JSON.stringify(optionModel)}`);
  }
  const model = optionModel ?? manifest?.model ?? DEFAULT_SLM_MODEL;
  const source = optionModel !== undefined ? 'option' : manifest ? 'manifest' : 'default';
  return { model, dtypes: manifest?.models[model]?.dtypes ?? null, source };
}
