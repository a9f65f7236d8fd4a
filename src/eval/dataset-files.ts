import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { validateCatalog } from '../core/catalog.ts';
import { decodeItemVectors, ItemVectorsError, planItemVectors, validateItemVectorsManifest } from '../core/item-vectors.ts';
import type { CatalogItem, EventType, Interaction } from '../core/types.ts';
import { readCatalogCsv } from '../core/catalog-csv.ts';
import { ensureTrainingBackend } from '../train/training-backend.ts';
import { TextVectorCache } from '../train/text-vector-cache.ts';
import { InteractionsError, readInteractions, type ReadInteractionsResult } from './interactions.ts';

/**
 * Node-side loading of everything an evaluation reads: the catalog, its text vectors (aligned
 * to catalog order) and the interactions log. Two catalog forms:
 *  - a catalog JSON (foundation schema) with its item-vector file (`npm run embed`), as the
 *    demo ships MovieLens;
 *  - a product feed as CSV (src/core/catalog-csv.ts: item,title[,categories][,year][,text]),
 *    e.g. the Amazon items.csv in ../shared/data: its texts are embedded with USE-lite on first
 *    use and cached by text hash in .cache/text-vectors (git-ignored; never in the repository,
 *    which research-only data must not enter item by item).
 */
export interface EvalDataset {
  catalog: CatalogItem[];
  indexOf: Map<string, number>;
  textVectors: Float32Array;
  textDims: number;
  vectorsModel: string;
  interactions: Interaction[];
  skipped: ReadInteractionsResult['skipped'];
  columns: ReadInteractionsResult['columns'];
}

export interface DatasetPaths {
  interactions: string;
  catalog: string;
  /** The item-vector manifest; default: the catalog path with `.json` → `.vectors.json` (JSON catalogs only). */
  vectors?: string;
  timeUnit?: 's' | 'ms';
  defaultType?: EventType;
}

export const defaultVectorsPath = (catalogPath: string): string => catalogPath.replace(/(\.json)?$/, '.vectors.json');

const isCsv = (path: string) => /\.csv$/i.test(path);

/** A CSV catalog and its USE-lite vectors, embedded (once, then cached) on this machine. */
async function loadCsvCatalog(path: string): Promise<{ catalog: CatalogItem[]; textVectors: Float32Array; dims: number; model: string; skipped: ReadInteractionsResult['skipped'] }> {
  const read = readCatalogCsv(await readFile(path, 'utf8'));
  const catalog = validateCatalog(read.items);
  await ensureTrainingBackend();
  const cache = new TextVectorCache();
  let next = 0;
  const t0 = performance.now();
  const textVectors = await cache.encode(
    catalog.map((item) => item.text),
    (done, total) => {
      if (done < next && done < total) return;
      next = done + Math.ceil(total / 10);
      console.error(`  embedding ${path}: ${done}/${total} item texts (${((performance.now() - t0) / 1000).toFixed(0)} s; cached for next time)`);
    },
  );
  cache.dispose();
  return { catalog, textVectors, dims: 512, model: 'use-lite (embedded here, .cache/text-vectors)', skipped: read.skipped.map((s) => ({ ...s, reason: `catalog: ${s.reason}` })) };
}

export async function loadEvalDataset(paths: DatasetPaths): Promise<EvalDataset> {
  if (isCsv(paths.catalog) && paths.vectors === undefined) {
    const csv = await loadCsvCatalog(paths.catalog);
    const indexOf = new Map(csv.catalog.map((item, i) => [item.id, i] as const));
    const read = withInteractions(await readFile(paths.interactions, 'utf8'), paths, indexOf);
    return { ...read, skipped: [...csv.skipped, ...read.skipped], catalog: csv.catalog, indexOf, textVectors: csv.textVectors, textDims: csv.dims, vectorsModel: csv.model };
  }
  const catalog = isCsv(paths.catalog) ? validateCatalog(readCatalogCsv(await readFile(paths.catalog, 'utf8')).items) : validateCatalog(JSON.parse(await readFile(paths.catalog, 'utf8')));
  const indexOf = new Map(catalog.map((item, i) => [item.id, i] as const));
  const vectorsPath = paths.vectors ?? defaultVectorsPath(paths.catalog);
  const manifest = validateItemVectorsManifest(JSON.parse(await readFile(vectorsPath, 'utf8')));
  const decoded = decodeItemVectors(manifest, await readFile(join(dirname(vectorsPath), manifest.bin)));
  const plan = planItemVectors(catalog, decoded.manifest);
  if (plan.missing.length) {
    const ids = plan.missing.slice(0, 5).map((i) => catalog[i]!.id);
    throw new ItemVectorsError(
      `${vectorsPath}: ${plan.missing.length} catalog item(s) have no up-to-date vector (e.g. ${ids.join(', ')}); ` +
        `re-run \`npm run embed -- --catalog ${paths.catalog}\``,
    );
  }
  const dims = decoded.dims;
  const textVectors = new Float32Array(catalog.length * dims);
  for (const [item, row] of plan.fromFile) textVectors.set(decoded.vectors.subarray(row * dims, (row + 1) * dims), item * dims);
  return { ...withInteractions(await readFile(paths.interactions, 'utf8'), paths, indexOf), catalog, indexOf, textVectors, textDims: dims, vectorsModel: decoded.manifest.model };
}

function withInteractions(text: string, paths: DatasetPaths, indexOf: ReadonlyMap<string, number>): Pick<EvalDataset, 'interactions' | 'skipped' | 'columns'> {
  const read = readInteractions(text, {
    knownItems: new Set(indexOf.keys()),
    ...(paths.timeUnit ? { timeUnit: paths.timeUnit } : {}),
    ...(paths.defaultType ? { defaultType: paths.defaultType } : {}),
  });
  if (read.interactions.length === 0) throw new InteractionsError(`${paths.interactions}: no interaction matches the catalog`);
  return { interactions: read.interactions, skipped: read.skipped, columns: read.columns };
}
