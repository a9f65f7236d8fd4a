/**
 * Embeds every catalog item's text with the text backbone and writes the item-vector file
 * (format: src/core/item-vectors.ts):
 *   npm run embed -- --catalog public/catalog/movielens.json --model models/use-lite --out public/catalog/movielens.vectors
 * writes <out>.json (manifest) and <out>.bin. Shoppers' devices then embed only items that are
 * new or whose text changed since this run.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { validateCatalog } from '../src/core/catalog.ts';
import { decodeItemVectors, encodeItemVectors } from '../src/core/item-vectors.ts';
import { useNodeBackend } from '../src/model/node-backend.ts';
import { loadTextBackboneFromDir } from '../src/model/node-model-files.ts';
import type { CatalogItem } from '../src/core/types.ts';

const { values: args } = parseArgs({
  options: {
    catalog: { type: 'string', default: 'public/catalog/movielens.json' },
    model: { type: 'string', default: 'models/use-lite' },
    out: { type: 'string', default: 'public/catalog/movielens.vectors' },
    /** Recorded in the manifest; defaults to the model folder's name. */
    'model-id': { type: 'string' },
    batch: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const out = args.out!.replace(/\.json$/, '');
const modelId = args['model-id'] ?? basename(args.model!.replace(/\/+$/, ''));
const batchSize = Number(args.batch);
if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`--batch must be a positive integer, got ${args.batch}`);
if (args.backend !== 'wasm' && args.backend !== 'cpu') throw new Error(`--backend must be wasm or cpu, got ${args.backend}`);

const catalog = validateCatalog(JSON.parse(await readFile(args.catalog!, 'utf8')));
const backend = await useNodeBackend(args.backend);
const backbone = await loadTextBackboneFromDir(args.model!);
console.log(`embedding ${catalog.length} items from ${args.catalog} with ${args.model} (${modelId}) on tfjs ${backend}, batches of ${batchSize}`);

const t0 = performance.now();
let nextReport = 0;
const vectors = await backbone.embed(
  catalog.map((item) => item.text),
  {
    batchSize,
    onProgress(done, total) {
      if (done < nextReport && done < total) return;
      nextReport = done + Math.ceil(total / 10);
      const seconds = (performance.now() - t0) / 1000;
      console.log(`  ${done}/${total} items, ${seconds.toFixed(1)} s (${(done / Math.max(seconds, 1e-3)).toFixed(0)} items/s)`);
    },
  },
);
const seconds = (performance.now() - t0) / 1000;
backbone.dispose();

const binPath = `${out}.bin`;
const { manifest, bytes } = encodeItemVectors(catalog, vectors, { dims: backbone.dims, model: modelId, bin: basename(binPath) });
await writeFile(binPath, bytes);
await writeFile(`${out}.json`, JSON.stringify(manifest) + '\n');
const manifestBytes = Buffer.byteLength(JSON.stringify(manifest) + '\n');

// What the device will read: decode the written pair and measure the int8 rounding.
const decoded = decodeItemVectors(JSON.parse(await readFile(`${out}.json`, 'utf8')), await readFile(binPath));
const dims = decoded.dims;
const dot = (a: Float32Array, i: number, b: Float32Array, j: number) => {
  let s = 0;
  for (let d = 0; d < dims; d++) s += a[i * dims + d]! * b[j * dims + d]!;
  return s;
};
let minCos = Infinity;
let sumCos = 0;
for (let r = 0; r < decoded.count; r++) {
  const c = dot(vectors, r, decoded.vectors, r) / Math.sqrt(dot(decoded.vectors, r, decoded.vectors, r));
  minCos = Math.min(minCos, c);
  sumCos += c;
}

console.log(
  `wrote ${out}.json (${manifestBytes} bytes) + ${binPath} (${bytes.byteLength} bytes): ${decoded.count} items × ${dims} dims, ` +
    `embedded in ${seconds.toFixed(1)} s (${(decoded.count / seconds).toFixed(0)} items/s); ` +
    `int8 rows vs float32: mean cos ${(sumCos / decoded.count).toFixed(5)}, min ${minCos.toFixed(5)}`,
);

// Sanity: an animated children's film should sit nearer its own kind than horror.
const probe = catalog.findIndex((item) => item.title === 'Toy Story');
if (probe >= 0) {
  const v = decoded.vectors;
  const meanCos = (pick: (item: CatalogItem) => boolean) => {
    let sum = 0;
    let n = 0;
    catalog.forEach((item, i) => {
      if (i !== probe && pick(item)) {
        sum += dot(v, probe, v, i);
        n++;
      }
    });
    return { mean: n > 0 ? sum / n : NaN, n };
  };
  const has = (item: CatalogItem, c: string) => item.categories.includes(c);
  const kids = meanCos((item) => has(item, 'Animation') && has(item, 'Children'));
  const horror = meanCos((item) => has(item, 'Horror') && !has(item, 'Animation') && !has(item, 'Children'));
  const nearest = catalog
    .map((item, i) => ({ item, score: i === probe ? -Infinity : dot(v, probe, v, i) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 5);
  console.log(
    `sanity: "${catalog[probe]!.text}"\n` +
      `  mean cos to Animation+Children items ${kids.mean.toFixed(3)} (${kids.n}), to Horror items ${horror.mean.toFixed(3)} (${horror.n})\n` +
      `  nearest: ${nearest.map((x) => `${x.item.title} (${x.item.year}) ${x.score.toFixed(3)}`).join('; ')}`,
  );
  if (!(kids.mean > horror.mean)) throw new Error('sanity check failed: Toy Story is not nearer to Animation/Children than to Horror');
}
