/**
 * Writes `x.br` and `x.gz` next to every compressible file of a build, once, at build time, so
 * a server can send the smaller one without compressing on each request (scripts/
 * precompressed-serving.ts does, for `npm start` and the example shop). A copy is kept only
 * when it saves at least MIN_SAVING of the file: float vectors and quantised weights barely
 * compress, and a `.br` that saves 2% is not worth a second file on the shop's disk.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Below this a file fits in a packet or two either way. */
export const MIN_BYTES = 1024;
/** A copy must be at most this fraction of the original to be written. */
export const MAX_RATIO = 0.9;
export const ENCODED_SUFFIXES = ['.br', '.gz'] as const;

export interface PrecompressSummary {
  files: number;
  rawBytes: number;
  brBytes: number;
  gzBytes: number;
}

export function isEncodedCopy(path: string): boolean {
  return ENCODED_SUFFIXES.some((suffix) => path.endsWith(suffix));
}

/** Brotli's top quality on a 27 MB wasm file takes minutes on a 2-core machine; 9 is close in size. */
function brotliQuality(bytes: number): number {
  return bytes > 2_000_000 ? 9 : 11;
}

export async function encode(raw: Buffer): Promise<{ br: Buffer; gz: Buffer }> {
  const [br, gzipped] = await Promise.all([
    brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: brotliQuality(raw.length), [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
    gz(raw, { level: 9 }),
  ]);
  return { br, gz: gzipped };
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile() && !isEncodedCopy(path)) yield path;
  }
}

export async function precompressDir(dir: string): Promise<PrecompressSummary> {
  const summary: PrecompressSummary = { files: 0, rawBytes: 0, brBytes: 0, gzBytes: 0 };
  for await (const path of filesUnder(dir)) {
    if ((await stat(path)).size < MIN_BYTES) continue;
    const raw = await readFile(path);
    const { br, gz: gzipped } = await encode(raw);
    let wrote = false;
    if (br.length <= raw.length * MAX_RATIO) {
      await writeFile(`${path}.br`, br);
      summary.brBytes += br.length;
      wrote = true;
    }
    if (gzipped.length <= raw.length * MAX_RATIO) {
      await writeFile(`${path}.gz`, gzipped);
      summary.gzBytes += gzipped.length;
      wrote = true;
    }
    if (wrote) {
      summary.files += 1;
      summary.rawBytes += raw.length;
    }
  }
  return summary;
}
