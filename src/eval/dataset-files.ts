import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { validateCatalog } from '../core/catalog.ts';
import { decodeItemVectors, ItemVectorsError, planItemVectors, validateItemVectorsManifest } from '../core/item-vectors.ts';
import type { CatalogItem, EventType, Interaction } from '../core/types.ts';
import { InteractionsError, readInteractions, type ReadInteractionsResult } from './interactions.ts';

/**
 * Node-side loading of everything an evaluation reads: the catalog (foundation schema), its
 * text vectors (item-vector file, aligned to catalog order) and the interactions log.
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
  /** The item-vector manifest; default: the catalog path with `.json` → `.vectors.json`. */
  vectors?: string;
  timeUnit?: 's' | 'ms';
  defaultType?: EventType;
}

export const defaultVectorsPath = (catalogPath: string): string => catalogPath.replace(/(\.json)?$/, '.vectors.json');

export async function loadEvalDataset(paths: DatasetPaths): Promise<EvalDataset> {
  const catalog = validateCatalog(JSON.parse(await readFile(paths.catalog, 'utf8')));
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
  const read = readInteractions(await readFile(paths.interactions, 'utf8'), {
    knownItems: new Set(indexOf.keys()),
    ...(paths.timeUnit ? { timeUnit: paths.timeUnit } : {}),
    ...(paths.defaultType ? { defaultType: paths.defaultType } : {}),
  });
  if (read.interactions.length === 0) throw new InteractionsError(`${paths.interactions}: no interaction matches the catalog`);
  return {
    catalog,
    indexOf,
    textVectors,
    textDims: dims,
    vectorsModel: decoded.manifest.model,
    interactions: read.interactions,
    skipped: read.skipped,
    columns: read.columns,
  };
}
