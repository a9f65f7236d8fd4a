/**
 * Embeds every catalog item's text with the text backbone and writes the item-vector file
 * (format: src/core/item-vectors.ts):
 *   npm run embed -- --catalog public/catalog/movielens.json --model models/use-lite --out public/catalog/movielens.vectors
 * writes <out>.json (manifest) and <out>.bin. Shoppers' devices then embed only items that are
 * new or whose text changed since this run. `pulse build` does the same for a shop's feed.
 */
import { basename } from 'node:path';
import { validateCatalog } from '../src/core/catalog.ts';
import type { CatalogItem } from '../src/core/types.ts';
import { readJsonFile, runCli, UsageError } from '../src/build/cli-run.ts';
import { embedCatalog, writeItemVectors } from '../src/build/embed-vectors.ts';
import { ProgressBar } from '../src/train/progress-bar.ts';

const USAGE = `Usage: npm run embed -- [options]

Embeds every catalog item's text with USE-lite and writes <out>.json + <out>.bin.
  --catalog <json>    catalog (default public/catalog/movielens.json; schema: docs/catalog.md)
  --model <folder>    text backbone (default models/use-lite)
  --out <path>        output path without extension (default public/catalog/movielens.vectors)
  --model-id <id>     recorded in the manifest (default: the model folder's name)
  --batch <n>         texts per batch (default 64)
  --backend wasm|cpu  tfjs backend (default wasm)
  -h, --help          show this text`;

await runCli({
  name: 'embed',
  usage: USAGE,
  options: {
    catalog: { type: 'string', default: 'public/catalog/movielens.json' },
    model: { type: 'string', default: 'models/use-lite' },
    out: { type: 'string', default: 'public/catalog/movielens.vectors' },
    'model-id': { type: 'string' },
    batch: { type: 'string', default: '64' },
    backend: { type: 'string', default: 'wasm' },
  },
  async run({ values }) {
    const catalogPath = values.catalog as string;
    const modelDir = values.model as string;
    const out = (values.out as string).replace(/\.json$/, '');
    const modelId = (values['model-id'] as string | undefined) ?? basename(modelDir.replace(/\/+$/, ''));
    const batchSize = Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new UsageError(`--batch must be a positive integer, got ${values.batch}`);
    const backend = values.backend;
    if (backend !== 'wasm' && backend !== 'cpu') throw new UsageError(`--backend must be wasm or cpu, got ${backend}`);

    // A bad row is a CatalogError naming row and field; a broken file names line and column.
    const catalog = validateCatalog(await readJsonFile(catalogPath));
    console.log(`embedding ${catalog.length} items from ${catalogPath} with ${modelDir} (${modelId}) on tfjs ${backend}, batches of ${batchSize}`);
    const bar = new ProgressBar('embedding', catalog.length);
    let reported = 0;
    const embedded = await embedCatalog(catalog, {
      modelDir,
      modelId,
      batchSize,
      backend,
      onProgress(done, total) {
        while (reported < done) {
          bar.tick(`${done}/${total} items`);
          reported++;
        }
      },
    });
    bar.done();
    const written = await writeItemVectors(catalog, embedded, out, modelId);
    console.log(
      `wrote ${written.manifestPath} (${written.manifestBytes} bytes) + ${written.binPath} (${written.binBytes} bytes): ${catalog.length} items × ${embedded.dims} dims, ` +
        `embedded in ${embedded.seconds.toFixed(1)} s (${(catalog.length / embedded.seconds).toFixed(0)} items/s); ` +
        `int8 rows vs float32: mean cos ${written.meanCos.toFixed(5)}, min ${written.minCos.toFixed(5)}`,
    );
    sanityCheck(catalog, embedded.vectors, embedded.dims);
  },
});

/** On the MovieLens catalog: an animated children's film should sit nearer its own kind than horror. */
function sanityCheck(catalog: CatalogItem[], v: Float32Array, dims: number): void {
  const probe = catalog.findIndex((item) => item.title === 'Toy Story');
  if (probe < 0) return;
  const dot = (i: number, j: number) => {
    let s = 0;
    for (let d = 0; d < dims; d++) s += v[i * dims + d]! * v[j * dims + d]!;
    return s;
  };
  const meanCos = (pick: (item: CatalogItem) => boolean) => {
    let sum = 0;
    let n = 0;
    catalog.forEach((item, i) => {
      if (i !== probe && pick(item)) {
        sum += dot(probe, i);
        n++;
      }
    });
    return { mean: n > 0 ? sum / n : NaN, n };
  };
  const has = (item: CatalogItem, c: string) => item.categories.includes(c);
  const kids = meanCos((item) => has(item, 'Animation') && has(item, 'Children'));
  const horror = meanCos((item) => has(item, 'Horror') && !has(item, 'Animation') && !has(item, 'Children'));
  const nearest = catalog
    .map((item, i) => ({ item, score: i === probe ? -Infinity : dot(probe, i) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, 5);
  console.log(
    `sanity: "${catalog[probe]!.text}"\n` +
      `  mean cos to Animation+Children items ${kids.mean.toFixed(3)} (${kids.n}), to Horror items ${horror.mean.toFixed(3)} (${horror.n})\n` +
      `  nearest: ${nearest.map((x) => `${x.item.title} (${x.item.year}) ${x.score.toFixed(3)}`).join('; ')}`,
  );
  if (!(kids.mean > horror.mean)) throw new Error('sanity check failed: Toy Story is not nearer to Animation/Children than to Horror');
}
