/**
 * `tsx bench/slm-node.ts -- [--model DIR] [--devices wasm,webgpu] [--dtypes fp32,q8] [--tokens 64]
 * [--runs 3] [--ort-dir DIR] [--webgpu-module PATH] [--ratings FILE --user N] [--out FILE]`:
 * the shipped SLM's generation speed in Node, on the browser's runtime.
 *
 * Why Node: a lent GPU machine has a real GPU but no browser. There Dawn (the `webgpu`
 * package) supplies `navigator.gpu`, and this script runs what the worker runs:
 * transformers.js's **web** build (`dist/transformers.web.js`) on **onnxruntime-web**
 * (`onnxruntime-web/webgpu`, the asyncify wasm flavour that transformers.js and the worker
 * load), never onnxruntime-node. Local files only.
 *
 * The web build in Node: transformers.js picks its runtime by `process.release.name`. For
 * "node" it would want onnxruntime-node, and `globalThis[Symbol.for('onnxruntime')]`
 * (meant for runtimes that bring their own ORT) leaves it with no devices at all, so
 * `device: 'webgpu'` throws "Unsupported device". So, before the import, this script
 * renames the release (process.versions.node stays, which onnxruntime-web's emscripten glue
 * uses to read files). transformers.js then takes its browser branch, the same as in the
 * worker: devices webgpu + wasm, the KV cache kept on the GPU ("gpu-buffer") on webgpu,
 * and every file fetched through `env.fetch`, which serves the model folder from disk.
 *
 * For each dtype (fp32 = onnx/model.onnx, q8 = onnx/model_quantized.onnx) and device
 * (wasm first: it is the reference): load the model (timed), one untimed warm-up
 * generation (shaders compile here), then `--runs` greedy generations of exactly `--tokens`
 * new tokens (min_new_tokens = max_new_tokens, so an early <|im_end|> cannot shorten the
 * measurement). TTFT = generate() call → first new token (prefill + sampling). Decode
 * tokens/s = (new tokens − 1) / (last token − first token). Medians over the runs.
 * "same tokens" compares every run's greedy token ids with the wasm run of the same dtype.
 *
 * The prompt is the product's: `buildPreferenceMessages` (src/slm/prompt.ts) on a fixed
 * MovieLens history (user 1 of ml-latest-small, embedded below; `--ratings FILE --user N`
 * reads another), through the model's chat template. Nothing fails on a slow number; it
 * fails only when it cannot measure.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TransformersTypes from '@huggingface/transformers';
import type { PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import type { CatalogItem, PulseEvent } from '../src/core/types.ts';
import { buildPreferenceMessages } from '../src/slm/prompt.ts';
import { arg, installDawn } from './dawn.ts';
import { ms, quantile } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const ORT_FLAVOUR = 'ort-wasm-simd-threaded.asyncify';
type Device = 'wasm' | 'webgpu';
type Dtype = 'fp32' | 'q8';
const SUFFIX: Record<Dtype, string> = { fp32: '', q8: '_quantized' };

/**
 * MovieLens ml-latest-small, user 1, all 20 ratings: [movieId, stars, unix seconds]
 * (from /work/shared/data/movielens-small/ratings.csv, which the device machine lacks).
 */
const USER_1: readonly (readonly [number, number, number])[] = [
  [2294, 2, 1260759108], [2455, 2.5, 1260759113], [3671, 3, 1260759117], [1339, 3.5, 1260759125],
  [1343, 2, 1260759131], [1371, 2.5, 1260759135], [2105, 4, 1260759139], [31, 2.5, 1260759144],
  [1293, 2, 1260759148], [1263, 2, 1260759151], [1029, 3, 1260759179], [1061, 3, 1260759182],
  [1129, 2, 1260759185], [1287, 2, 1260759187], [1953, 4, 1260759191], [2150, 3, 1260759194],
  [2193, 2, 1260759198], [2968, 1, 1260759200], [1405, 1, 1260759203], [1172, 4, 1260759205],
];


function list<T extends string>(name: string, fallback: readonly T[], allowed: readonly T[]): T[] {
  const raw = arg(name);
  if (!raw) return [...fallback];
  const values = raw.split(',').map((v) => v.trim()) as T[];
  for (const v of values) if (!allowed.includes(v)) throw new Error(`${name}: "${v}" is not one of ${allowed.join(', ')}`);
  return values;
}

function message(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 200);
}

function history(): { events: PulseEvent[]; source: string } {
  const file = arg('--ratings');
  const user = arg('--user') ?? '1';
  if (!file) {
    return { events: USER_1.map(([id, stars, s]) => ({ type: 'rating', itemId: String(id), value: stars, ts: s * 1000 })), source: 'MovieLens user 1 (20 ratings, embedded)' };
  }
  const events: PulseEvent[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
    const [u, movie, stars, s] = line.split(',');
    if (u === user && movie && stars && s) events.push({ type: 'rating', itemId: movie, value: Number(stars), ts: Number(s) * 1000 });
  }
  if (!events.length) throw new Error(`${file}: no ratings for user ${user}`);
  return { events, source: `MovieLens user ${user} (${events.length} ratings, ${basename(file)})` };
}

/**
 * ORT's wasm heap is a SharedArrayBuffer (the threaded build, even with one thread), and it
 * uploads straight from it: `queue.writeBuffer(buffer, offset, HEAPU8.subarray(...), 0, n)`.
 * Browsers take such views. Dawn for Node does not: a view on shared memory crashes the
 * process (SIGSEGV), an empty one throws "Invalid argument" (the empty past_key_values of
 * the first step). So, here only, such uploads go through a plain copy; empty ones are the
 * no-op they are in a browser.
 */
function shareableWriteBuffer(queue: { prototype: GPUQueue } | undefined): void {
  if (!queue) return;
  const original = queue.prototype.writeBuffer;
  queue.prototype.writeBuffer = function (this: GPUQueue, buffer: GPUBuffer, offset: number, data: BufferSource | SharedArrayBuffer, dataOffset = 0, size?: number) {
    const view = ArrayBuffer.isView(data);
    const backing = view ? data.buffer : data;
    if (!(backing instanceof SharedArrayBuffer)) return original.call(this, buffer, offset, data as BufferSource, dataOffset, size);
    // WebGPU counts dataOffset and size in elements for typed arrays, in bytes otherwise.
    const unit = view && 'BYTES_PER_ELEMENT' in data ? (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT : 1;
    const start = (view ? data.byteOffset : 0) + dataOffset * unit;
    const bytes = size === undefined ? (view ? data.byteLength : backing.byteLength) - dataOffset * unit : size * unit;
    if (bytes === 0) return undefined;
    return original.call(this, buffer, offset, new Uint8Array(backing, start, bytes).slice(), 0, bytes);
  } as GPUQueue['writeBuffer'];
}

/** The folder holding ort-wasm-simd-threaded.asyncify.{mjs,wasm}. */
function ortDir(): string {
  const candidates = [arg('--ort-dir'), join(import.meta.dirname, 'ort'), join(ROOT, 'node_modules/onnxruntime-web/dist')];
  for (const dir of candidates) if (dir && existsSync(join(dir, `${ORT_FLAVOUR}.wasm`))) return resolve(dir);
  throw new Error(`no ${ORT_FLAVOUR}.wasm in ${candidates.filter(Boolean).join(' or ')}`);
}

/** `fetch` for the web build: local files only, as the site would serve them. */
async function localFetch(input: string | URL | Request): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const path = url.startsWith('file:') ? new URL(url).pathname : url;
  if (!path.startsWith('/')) throw new Error(`slm-node: no network here (asked for ${url})`);
  if (!existsSync(path)) return new Response(null, { status: 404 });
  const bytes = readFileSync(path);
  return new Response(bytes, { status: 200, headers: { 'content-length': String(bytes.byteLength) } });
}

interface Row {
  device: Device;
  dtype: Dtype;
  adapter: string;
  bytes: number;
  loadMs: number;
  ttftMs: number;
  tokPerS: number;
  newTokens: number;
  runs: number;
  tokens: number[];
  same: string;
  error?: string;
}

async function main(): Promise<void> {
  const modelDir = resolve(arg('--model') ?? join(ROOT, 'models/pulse-slm'));
  const devices = list<Device>('--devices', ['wasm', 'webgpu'], ['wasm', 'webgpu']);
  const dtypes = list<Dtype>('--dtypes', ['fp32', 'q8'], ['fp32', 'q8']);
  const tokens = Number(arg('--tokens') ?? 64);
  const runs = Number(arg('--runs') ?? 3);
  if (!existsSync(join(modelDir, 'config.json'))) throw new Error(`${modelDir}: no config.json (pass --model DIR)`);

  const gpu = devices.includes('webgpu') ? await installDawn((globals) => shareableWriteBuffer(globals.GPUQueue as { prototype: GPUQueue } | undefined)) : { missing: 'not asked for' };
  // See the header: the web build's browser branch, as in the worker.
  Object.defineProperty(process, 'release', { value: { ...process.release, name: 'pulse-bench-web' }, configurable: true });
  // @ts-ignore -- the web build has no declaration file of its own; its types are the package's.
  const web: unknown = await import('../node_modules/@huggingface/transformers/dist/transformers.web.js');
  const { AutoModelForCausalLM, AutoTokenizer, env } = web as typeof TransformersTypes;

  const ort = ortDir();
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  env.localModelPath = `${dirname(modelDir)}/`;
  env.useBrowserCache = false;
  env.useWasmCache = false;
  env.fetch = localFetch as typeof fetch;
  const onnx = env.backends.onnx;
  if (!onnx.wasm) throw new Error('transformers.js did not pick up onnxruntime-web');
  // The worker's settings (src/slm/slm-runtime.ts): self-hosted asyncify files, one thread.
  onnx.wasm.wasmPaths = { wasm: pathToFileURL(join(ort, `${ORT_FLAVOUR}.wasm`)).href, mjs: pathToFileURL(join(ort, `${ORT_FLAVOUR}.mjs`)).href };
  onnx.wasm.numThreads = 1;
  const name = basename(modelDir);

  // Start each runtime once, untimed in the table: the 27 MB wasm compiles (both devices run
  // on it) and, for webgpu, ORT gets its adapter and device. The worker pays this once per
  // page, not per model; it is reported on its own.
  const ortWeb = await import('onnxruntime-web/webgpu');
  const starts: string[] = [];
  const probe = readFileSync(join(modelDir, 'onnx', `model${SUFFIX[dtypes[0]!]}.onnx`));
  for (const device of devices) {
    if (device === 'webgpu' && !('adapter' in gpu)) continue;
    try {
      const t0 = performance.now();
      const session = await ortWeb.InferenceSession.create(probe, { executionProviders: [device] });
      starts.push(`${device} ${ms(performance.now() - t0)} ms`);
      await session.release();
    } catch (error) {
      starts.push(`${device} failed (${message(error)})`);
    }
  }

  const tokenizer: PreTrainedTokenizer = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
  const catalog = JSON.parse(readFileSync(join(ROOT, 'public/catalog/movielens.json'), 'utf8')) as CatalogItem[];
  const byId = new Map(catalog.map((item) => [item.id, item] as const));
  const { events, source } = history();
  const messages = buildPreferenceMessages(events, (id) => byId.get(id));
  const inputs = tokenizer.apply_chat_template(messages, { add_generation_prompt: true, return_dict: true }) as unknown as { input_ids: Tensor; attention_mask: Tensor };
  const promptTokens = inputs.input_ids.dims.at(-1) ?? 0;

  async function generate(model: PreTrainedModel): Promise<{ ttftMs: number; tokPerS: number; ids: number[] }> {
    const times: number[] = [];
    const ids: number[] = [];
    let prompt = true;
    const streamer = {
      put(value: bigint[][]) {
        if (prompt) {
          prompt = false;
          return;
        }
        times.push(performance.now());
        ids.push(Number(value[0]![0]));
      },
      end() {},
    };
    const t0 = performance.now();
    await model.generate({ ...inputs, do_sample: false, max_new_tokens: tokens, min_new_tokens: tokens, streamer: streamer as never });
    const first = times[0] ?? Number.NaN;
    const last = times.at(-1) ?? Number.NaN;
    return { ttftMs: first - t0, tokPerS: times.length > 1 ? ((times.length - 1) * 1000) / (last - first) : Number.NaN, ids };
  }

  const rows: Row[] = [];
  for (const dtype of dtypes) {
    const file = join(modelDir, 'onnx', `model${SUFFIX[dtype]}.onnx`);
    const bytes = existsSync(file) ? statSync(file).size : 0;
    for (const device of devices) {
      const adapter = device === 'webgpu' ? ('adapter' in gpu ? gpu.adapter : gpu.missing) : `wasm SIMD, 1 thread (${cpus()[0]?.model ?? 'CPU'})`;
      const row: Row = { device, dtype, adapter, bytes, loadMs: Number.NaN, ttftMs: Number.NaN, tokPerS: Number.NaN, newTokens: 0, runs: 0, tokens: [], same: '—' };
      rows.push(row);
      if (device === 'webgpu' && !('adapter' in gpu)) {
        row.error = `no WebGPU: ${gpu.missing}`;
        continue;
      }
      let model: PreTrainedModel | undefined;
      try {
        const t0 = performance.now();
        model = await AutoModelForCausalLM.from_pretrained(name, { local_files_only: true, device, dtype });
        row.loadMs = performance.now() - t0;
        process.stderr.write(`${dtype} × ${device}: loaded in ${ms(row.loadMs)} ms; warm-up\n`);
        const warm = await generate(model);
        const ttft: number[] = [];
        const rate: number[] = [];
        let stable = true;
        for (let i = 0; i < runs; i++) {
          const run = await generate(model);
          ttft.push(run.ttftMs);
          rate.push(run.tokPerS);
          stable &&= run.ids.join() === warm.ids.join();
          process.stderr.write(`${dtype} × ${device}: run ${i + 1}: TTFT ${ms(run.ttftMs)} ms, ${run.tokPerS.toFixed(1)} tok/s\n`);
        }
        Object.assign(row, { ttftMs: quantile(ttft, 0.5), tokPerS: quantile(rate, 0.5), newTokens: warm.ids.length, runs, tokens: warm.ids });
        const reference = rows.find((r) => r.dtype === dtype && r.device === 'wasm' && r.tokens.length);
        if (device === 'wasm') row.same = stable ? 'reference' : '**runs differ**';
        else if (!reference) row.same = 'no wasm reference';
        else {
          const at = row.tokens.findIndex((t, i) => t !== reference.tokens[i]);
          const same = at < 0 && row.tokens.length === reference.tokens.length;
          row.same = `${same ? 'yes' : `**no** (first differs at token ${at + 1})`}${stable ? '' : ', **runs differ**'}`;
        }
      } catch (error) {
        row.error = message(error);
        process.stderr.write(`${dtype} × ${device}: failed: ${row.error}\n`);
      } finally {
        await model?.dispose().catch(() => undefined);
      }
    }
  }

  const reference = rows.find((r) => r.tokens.length);
  const text = reference ? tokenizer.decode(reference.tokens, { skip_special_tokens: false }).replace(/\s+/g, ' ').slice(0, 160) : '';
  const lines = [
    `SLM "${name}" in Node ${process.version} on onnxruntime-web ${onnx.versions?.web ?? '?'} (${ORT_FLAVOUR}.wasm) via transformers.js ${env.version} (web build) · ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'} · WebGPU: ${'adapter' in gpu ? gpu.adapter : gpu.missing}`,
    `Prompt: buildPreferenceMessages on ${source} + chat template = ${promptTokens} tokens. Greedy, exactly ${tokens} new tokens (EOS held off), ${runs} runs after 1 warm-up; medians. Load = from_pretrained (read + session create), after the runtime started (first session, untimed above: ${starts.join(', ')}).`,
    '',
    '| device | dtype | adapter | onnx bytes | load ms | TTFT ms | decode tok/s | new tokens | same tokens as wasm |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) =>
      r.error
        ? `| ${r.device} | ${r.dtype} | ${r.adapter} | ${r.bytes} | **failed**: ${r.error.replace(/\|/g, '/')} | | | | |`
        : `| ${r.device} | ${r.dtype} | ${r.adapter} | ${r.bytes} | ${ms(r.loadMs)} | ${ms(r.ttftMs)} | ${r.tokPerS.toFixed(1)} | ${r.newTokens} | ${r.same} |`,
    ),
    '',
    `First greedy tokens (${reference ? `${reference.dtype} × ${reference.device}` : 'none'}): \`${text.replace(/`/g, "'")}\``,
  ];
  const out = lines.join('\n');
  process.stdout.write(`${out}\n`);
  const outFile = arg('--out');
  if (outFile) writeFileSync(outFile, `${out}\n`);
  if (!rows.some((r) => !r.error)) process.exitCode = 1;
}

main().then(
  // Dawn's device and ORT's wasm keep handles open; the numbers are out.
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
