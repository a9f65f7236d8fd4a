/**
 * `pulse build`: a product feed (and optionally interaction logs) → one folder a shop hosts.
 *
 *   <out>/pulse.js, pulse/…         the runtime (copied from the package's dist/)
 *   <out>/models/use-lite/…         the text backbone (items without a vector, steering)
 *   <out>/catalog.json              validated catalog, display fields only, in-stock items only
 *   <out>/catalog.vectors.{json,bin} item vectors (USE-lite, int8)
 *   <out>/models/<thought space>/   a Thought Space trained on the logs, with its model card (--logs)
 *   <out>/pulse.config.json         what the loader reads: catalog, vectors, models, texts
 *
 * The shipped MovieLens Thought Space and language model are not copied: they know nothing of
 * this shop's products. Node-only.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { CatalogItem } from '../core/types.ts';
import { parseShopTexts, SHOP_CONFIG_FILE, SHOP_CONFIG_FORMAT, type ShopConfigFile, type ShopTexts } from '../embed/config.ts';
import { embedCatalog, writeItemVectors } from './embed-vectors.ts';
import { FeedError, formatProblem, type RowProblem } from './feed-problem.ts';
import { readFeed, type FeedFormat } from './read-feed.ts';
import { checkRuntime, copyRuntime, listFiles, TEXT_MODEL, type HostedFile } from './runtime-assets.ts';
import { trainShopThoughtSpace, type TrainedSpace } from './train-space.ts';

/** The package's own folder (src/build/ → ../..): where dist/ and models/ are. */
export const PACKAGE_ROOT = resolve(import.meta.dirname, '..', '..');

export const CATALOG_FILE = 'catalog.json';
export const VECTORS_NAME = 'catalog.vectors';
export const SHOP_THOUGHT_SPACE = 'pulse-shop';

/** The words a shop's shoppers read unless the shop sets its own (`--texts file.json`). */
export const DEFAULT_SHOP_TEXTS: Required<Pick<ShopTexts, 'heading' | 'popular'>> = {
  heading: 'Recommended for you',
  popular: 'Popular in this shop',
};

export interface BuildOptions {
  feed: string;
  out: string;
  /** ISO 4217 code for prices that name none. */
  currency?: string;
  /** Interaction log (CSV: user, item, timestamp[, type, rating]) to train a Thought Space on. */
  logs?: string;
  texts?: ShopTexts;
  /** Folder holding pulse.js and pulse/ (default: the package's dist/). */
  dist?: string;
  /** Folder holding use-lite/ (default: the package's models/). */
  models?: string;
  /** Stop with an error when any row is skipped. */
  strict?: boolean;
  /** Minutes the Thought Space may train (default 10). */
  trainMinutes?: number;
  log?: (line: string) => void;
  /** Progress of a step, for a progress bar: `done` of `total` units. */
  progress?: (step: string, done: number, total: number) => void;
}

export interface BuildResult {
  out: string;
  format: FeedFormat;
  rows: number;
  items: CatalogItem[];
  skipped: RowProblem[];
  config: ShopConfigFile;
  files: HostedFile[];
  embedSeconds: number;
  thoughtSpace: TrainedSpace | null;
}

export class BuildError extends Error {
  override name = 'BuildError';
}

/**
 * The shipped language model knows only MovieLens, so a shop's folder turns it off (and so
 * carries no ONNX Runtime); a shop that brings its own model edits pulse.config.json and
 * copies dist/pulse/assets/ort-wasm-* beside the others (docs/catalog.md).
 */
const SHOP_LANGUAGE_MODEL = false;

export async function buildShop(options: BuildOptions): Promise<BuildResult> {
  const log = options.log ?? (() => {});
  const out = resolve(options.out);
  const dist = resolve(options.dist ?? join(PACKAGE_ROOT, 'dist'));
  const models = resolve(options.models ?? join(PACKAGE_ROOT, 'models'));
  // Checked first: a missing runtime should not cost an embedding run.
  checkRuntime(dist);
  // The page applies the same rules to the texts; a mistake is cheaper to hear about now.
  const texts = { ...DEFAULT_SHOP_TEXTS, ...(options.texts ? parseShopTexts(options.texts) : {}) };
  if (options.logs && !existsSync(options.logs)) throw new BuildError(`${options.logs}: no such file (--logs)`);
  let text: string;
  try {
    text = await readFile(options.feed, 'utf8');
  } catch (error) {
    throw new FeedError(options.feed, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error));
  }
  const feed = readFeed(text, options.feed, options.currency ? { currency: options.currency } : {});
  log(`read ${feed.rows} rows from ${basename(options.feed)} (${feed.format}): ${feed.items.length} products, ${feed.skipped.length} skipped`);
  if (options.strict && feed.skipped.length > 0) {
    const shown = feed.skipped.slice(0, 20).map((p) => `  ${formatProblem(p)}`);
    const more = feed.skipped.length > 20 ? [`  … and ${feed.skipped.length - 20} more`] : [];
    throw new BuildError([`${feed.skipped.length} row(s) skipped and --strict is set:`, ...shown, ...more].join('\n'));
  }

  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  copyRuntime(dist, models, out, { languageModel: SHOP_LANGUAGE_MODEL });
  await writeFile(join(out, CATALOG_FILE), JSON.stringify(feed.items) + '\n');

  const embedded = await embedCatalog(feed.items, {
    modelDir: join(models, TEXT_MODEL),
    modelId: TEXT_MODEL,
    onProgress: (done, total) => options.progress?.('embedding', done, total),
  });
  const vectors = await writeItemVectors(feed.items, embedded, join(out, VECTORS_NAME), TEXT_MODEL);
  log(`embedded ${feed.items.length} products in ${embedded.seconds.toFixed(1)} s on tfjs ${embedded.backend} (int8 rows vs float32: mean cos ${vectors.meanCos.toFixed(4)})`);

  let thoughtSpace: TrainedSpace | null = null;
  if (options.logs) {
    thoughtSpace = await trainShopThoughtSpace({
      logs: options.logs,
      catalog: join(out, CATALOG_FILE),
      vectors: `${join(out, VECTORS_NAME)}.json`,
      out: join(out, 'models', SHOP_THOUGHT_SPACE),
      minutes: options.trainMinutes ?? 10,
      log,
    });
    log(thoughtSpace.verdict);
  }

  const config: ShopConfigFile = {
    format: SHOP_CONFIG_FORMAT,
    version: 1,
    catalog: CATALOG_FILE,
    vectors: `${VECTORS_NAME}.json`,
    models: 'models',
    // Only a Thought Space trained on this shop's logs; the shipped models are MovieLens-only.
    thoughtSpace: thoughtSpace?.use ? SHOP_THOUGHT_SPACE : false,
    slm: SHOP_LANGUAGE_MODEL,
    texts,
  };
  await writeFile(join(out, SHOP_CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
  return { out, format: feed.format, rows: feed.rows, items: feed.items, skipped: feed.skipped, config, files: listFiles(out), embedSeconds: embedded.seconds, thoughtSpace };
}
