/**
 * Node-only: USE-lite vectors of free texts (teacher rationales, preference statements),
 * cached on disk by text hash so that a second training or evaluation run embeds nothing
 * again (the backbone manages ~100 texts/s on wasm; a MovieLens run needs thousands).
 *
 * Cache file: `.cache/text-vectors/<model>.bin`, append-only records of
 *   8 bytes key (two FNV-1a hashes with different seeds: 64 bits, so 10⁵ texts do not collide)
 *   + dims × float32 vector.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fnv1a, hex32 } from '../core/hash.ts';
import { loadTextBackboneFromDir } from '../model/node-model-files.ts';
import type { TextBackbone } from '../model/use-lite.ts';

export type TextEncoder = (texts: readonly string[], onProgress?: (done: number, total: number) => void) => Promise<Float32Array>;

export function textKey(text: string): string {
  return hex32(fnv1a(text)) + hex32(fnv1a(text, 0x9747b28c));
}

export interface TextVectorCacheOptions {
  modelDir: string;
  cacheDir: string;
  /** Name of the cache file; vectors from different backbones must never mix. */
  model: string;
  dims: number;
}

/** PULSE_TEXT_CACHE_DIR moves the cache, e.g. one per process when several runs go in parallel. */
export const DEFAULT_TEXT_CACHE: TextVectorCacheOptions = { modelDir: 'models/use-lite', cacheDir: process.env.PULSE_TEXT_CACHE_DIR ?? '.cache/text-vectors', model: 'use-lite', dims: 512 };

export class TextVectorCache {
  private readonly vectors = new Map<string, Float32Array>();
  private loaded = false;
  private backbone: TextBackbone | null = null;

  constructor(private readonly options: TextVectorCacheOptions = DEFAULT_TEXT_CACHE) {}

  private get file(): string {
    return join(this.options.cacheDir, `${this.options.model}.bin`);
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file);
    } catch {
      return; // no cache yet
    }
    const record = 8 + 4 * this.options.dims;
    // A record cut short by an interrupted write is ignored rather than misread.
    for (let offset = 0; offset + record <= bytes.length; offset += record) {
      const key = bytes.subarray(offset, offset + 8).toString('hex');
      const copy = new Uint8Array(bytes.subarray(offset + 8, offset + record));
      this.vectors.set(key, new Float32Array(copy.buffer));
    }
  }

  /** Vectors for `texts`, row-major [texts.length × dims], embedding only the ones not cached. */
  readonly encode: TextEncoder = async (texts, onProgress) => {
    await this.load();
    const dims = this.options.dims;
    const keys = texts.map(textKey);
    const missing = [...new Set(keys.filter((k) => !this.vectors.has(k)))];
    if (missing.length > 0) {
      const textOf = new Map(keys.map((k, i) => [k, texts[i]!] as const));
      this.backbone ??= await loadTextBackboneFromDir(this.options.modelDir);
      await mkdir(this.options.cacheDir, { recursive: true });
      const chunk = 256; // written to disk as it goes, so an interrupted run keeps its work
      for (let start = 0; start < missing.length; start += chunk) {
        const part = missing.slice(start, start + chunk);
        const vectors = await this.backbone.embed(part.map((k) => textOf.get(k)!));
        const records = Buffer.alloc(part.length * (8 + 4 * dims));
        part.forEach((key, i) => {
          const row = vectors.slice(i * dims, (i + 1) * dims);
          this.vectors.set(key, row);
          Buffer.from(key, 'hex').copy(records, i * (8 + 4 * dims));
          Buffer.from(row.buffer).copy(records, i * (8 + 4 * dims) + 8);
        });
        await appendFile(this.file, records);
        onProgress?.(start + part.length, missing.length);
      }
    }
    const out = new Float32Array(texts.length * dims);
    keys.forEach((k, i) => out.set(this.vectors.get(k)!, i * dims));
    return out;
  };

  dispose(): void {
    this.backbone?.dispose();
    this.backbone = null;
  }
}
