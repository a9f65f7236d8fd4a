/**
 * `npm run models:fetch -- <owner/name> [--dtype q8,fp32] [--name folder] [--use]`
 *
 * Downloads an ONNX causal LM in the transformers.js layout into `models/<folder>/` and
 * records its weight variants in `models/slm.json` (`--use` also makes it the site's SLM).
 * For machines with internet only: nothing in the tests, the demo or the shopper's browser
 * ever needs it. The host and path are transformers.js' own defaults (`env.remoteHost`,
 * `env.remotePathTemplate`), so ids are the usual Hugging Face model ids, e.g.
 * `HuggingFaceTB/SmolLM2-135M-Instruct`, `onnx-community/Qwen2.5-0.5B-Instruct`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { env } from '@huggingface/transformers';
import { DTYPE_SUFFIX } from '../src/slm/dtype-choice.ts';
import { isModelName, parseSlmManifest, SLM_MANIFEST_FILE } from '../src/slm/slm-manifest.ts';
import { SLM_DTYPES, type SlmDtype } from '../src/slm/slm-types.ts';

const MODELS = resolve(import.meta.dirname, '..', 'models');
const REQUIRED = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
const OPTIONAL = ['generation_config.json', 'special_tokens_map.json'];

function fileUrl(modelId: string, file: string): string {
  const path = env.remotePathTemplate.replaceAll('{model}', modelId).replaceAll('{revision}', 'main');
  return new URL(path + file, env.remoteHost).href;
}

/** Downloads one file; false when the host says it does not exist. */
async function download(modelId: string, file: string, folder: string, required: boolean): Promise<boolean> {
  const url = fileUrl(modelId, file);
  const response = await fetch(url);
  if (response.status === 404 || response.status === 401) {
    if (required) throw new Error(`${modelId}: ${file} not found (HTTP ${response.status}) — is the id right, and does the repo have ONNX files?`);
    return false;
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const out = join(folder, file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  process.stderr.write(`  ${file}  ${(bytes.length / 1e6).toFixed(1)} MB\n`);
  return true;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { dtype: { type: 'string', default: 'q8,fp32' }, name: { type: 'string' }, use: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('Usage: npm run models:fetch -- <owner/name> [--dtype q8,fp32] [--name folder] [--use]\nDownloads an ONNX causal LM into models/<folder>/ and records it in models/slm.json (machines with internet only).');
    return;
  }
  const modelId = positionals[0];
  if (!modelId || !isModelName(modelId)) throw new Error('usage: npm run models:fetch -- <owner/name> [--dtype q8,fp32] [--name folder] [--use]');
  const name = values.name ?? modelId.split('/').at(-1)!;
  if (!isModelName(name) || name.includes('/')) throw new Error(`--name must be a plain folder name; got ${JSON.stringify(name)}`);
  const dtypes = values.dtype!.split(',').map((d) => d.trim()) as SlmDtype[];
  const bad = dtypes.filter((d) => !(SLM_DTYPES as readonly string[]).includes(d));
  if (bad.length) throw new Error(`unknown dtype(s) ${bad.join(', ')}; use some of ${SLM_DTYPES.join(', ')}`);

  const folder = join(MODELS, name);
  process.stderr.write(`${modelId} → models/${name}/\n`);
  for (const file of REQUIRED) await download(modelId, file, folder, true);
  for (const file of OPTIONAL) await download(modelId, file, folder, false);
  const got: SlmDtype[] = [];
  for (const dtype of dtypes) {
    const file = `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
    if (!(await download(modelId, file, folder, false))) {
      process.stderr.write(`  (no ${file})\n`);
      continue;
    }
    // Models over 2 GB keep their weights beside the graph.
    await download(modelId, `${file}_data`, folder, false);
    got.push(dtype);
  }
  if (got.length === 0) throw new Error(`${modelId} has none of ${dtypes.join(', ')} under onnx/`);
  const tokenizerConfig = JSON.parse(readFileSync(join(folder, 'tokenizer_config.json'), 'utf8')) as { chat_template?: unknown };
  if (!tokenizerConfig.chat_template) process.stderr.write('  warning: tokenizer_config.json has no chat_template; Pulse will refuse this model\n');

  const manifestPath = join(MODELS, SLM_MANIFEST_FILE);
  // Checked by the parser, but written back from the raw file: fields the parser does not read
  // (e.g. "trainedOn", the catalog a model belongs to) must survive.
  const raw = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as { model: string; models: Record<string, object> }) : { model: name, models: {} };
  if (existsSync(manifestPath)) parseSlmManifest(raw);
  const manifest = { ...raw, models: { ...raw.models } };
  manifest.models[name] = { dtypes: got };
  if (values.use) manifest.model = name;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stderr.write(`models/${SLM_MANIFEST_FILE}: ${name} has ${got.join(', ')}${values.use ? '; it is now the site\'s SLM' : `; run with --use (or set "model": "${name}") to switch`}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`models:fetch failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
