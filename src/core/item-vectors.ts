/**
 * The item-vector file: the catalog's text-backbone vectors, computed once on the shop's
 * machine so that shoppers' devices only embed what is new or changed. Platform-free.
 *
 * Two files, side by side:
 *
 * 1. `<name>.json`, the manifest (ItemVectorsManifest below). `ids[r]` and `textHashes[r]`
 *    describe row r; `bin` names the binary relative to the manifest.
 *
 * 2. `<name>.bin`, the binary, for `count` rows of `dims` values:
 *
 *      offset 0               count × float32, little-endian   scale of row r at byte 4·r
 *      offset 4·count         count × dims × int8, row-major   value d of row r at byte 4·count + r·dims + d
 *      total                  count · (4 + dims) bytes; no header, no padding
 *
 *    Scales come first so that they sit 4-byte aligned at offset 0. Row r decodes to
 *    `value · scale_r`: symmetric per-row quantization with values in [−127, 127]
 *    (−128 is never written), scale_r = max|x_r| / 127, and 0 for an all-zero row.
 *    The error per element is at most scale_r / 2.
 */
import { catalogHash, hex32, itemTextHash } from './hash.ts';

export const ITEM_VECTORS_FORMAT = 'pulse-item-vectors';
export const ITEM_VECTORS_VERSION = 1;

export interface ItemVectorsManifest {
  format: typeof ITEM_VECTORS_FORMAT;
  version: typeof ITEM_VECTORS_VERSION;
  /** Which text backbone made the vectors; rows from another model must not be mixed in. */
  model: string;
  dims: number;
  count: number;
  dtype: 'int8';
  /** catalogHash() of the items, in row order. */
  catalogHash: string;
  ids: string[];
  /** itemTextHash() of the text each row was embedded from. */
  textHashes: string[];
  /** File name of the binary, relative to the manifest. */
  bin: string;
  /** FNV-1a of the binary's bytes: catches a stale or mixed-up binary of the same length. */
  binHash?: string;
}

/** A file that cannot be used; the message says what is wrong and where. */
export class ItemVectorsError extends Error {
  override name = 'ItemVectorsError';
}

/** Int8 rows with one scale each (see the layout at the top of this file). */
export interface QuantizedVectors {
  dims: number;
  count: number;
  scales: Float32Array;
  values: Int8Array;
}

export interface DecodedItemVectors {
  manifest: ItemVectorsManifest;
  dims: number;
  count: number;
  /** Dequantized, row-major [count × dims]. */
  vectors: Float32Array;
}

/** Which catalog items can take their row from the file, and which must be embedded. */
export interface ItemVectorsPlan {
  /** Catalog item index → row in the file. */
  fromFile: Map<number, number>;
  /** Catalog item indices (ascending) with no usable row: id absent, text changed, or another model. */
  missing: number[];
}

const fail = (message: string): never => {
  throw new ItemVectorsError(message);
};

export function itemVectorsByteLength(count: number, dims: number): number {
  return count * (4 + dims);
}

function checkShape(length: number, dims: number): number {
  if (!Number.isInteger(dims) || dims <= 0) fail(`dims must be a positive integer, got ${dims}`);
  if (length % dims !== 0) fail(`${length} values do not split into rows of ${dims}`);
  return length / dims;
}

/** Symmetric per-row int8 quantization of row-major `f32` [count × dims]. */
export function quantizeVectors(f32: Float32Array, dims: number): QuantizedVectors {
  const count = checkShape(f32.length, dims);
  const scales = new Float32Array(count);
  const values = new Int8Array(f32.length);
  for (let r = 0; r < count; r++) {
    const base = r * dims;
    let max = 0;
    for (let d = 0; d < dims; d++) {
      const v = f32[base + d]!;
      if (!Number.isFinite(v)) fail(`row ${r}, value ${d} is ${v}; vectors must be finite`);
      max = Math.max(max, Math.abs(v));
    }
    // Divide by the float32 scale that is stored, so decode reproduces exactly what was rounded.
    const scale = Math.fround(max / 127);
    scales[r] = scale;
    if (scale === 0) continue;
    for (let d = 0; d < dims; d++) values[base + d] = Math.max(-127, Math.min(127, Math.round(f32[base + d]! / scale)));
  }
  return { dims, count, scales, values };
}

/** Back to float32, row-major [count × dims]. */
export function dequantizeVectors(q: QuantizedVectors): Float32Array {
  const out = new Float32Array(q.count * q.dims);
  for (let r = 0; r < q.count; r++) {
    const scale = q.scales[r]!;
    const base = r * q.dims;
    for (let d = 0; d < q.dims; d++) out[base + d] = q.values[base + d]! * scale;
  }
  return out;
}

function bytesHash(bytes: Uint8Array): string {
  // FNV-1a over bytes (hash.ts hashes UTF-16 strings); same constants.
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193) >>> 0;
  return hex32(h);
}

export interface EncodeOptions {
  dims: number;
  model: string;
  /** File name the binary will be written under, relative to the manifest. */
  bin: string;
}

/**
 * Quantizes `vectors` (row-major [items.length × dims], row r for items[r]) and returns the
 * manifest and the binary to write next to it.
 */
export function encodeItemVectors(
  items: ReadonlyArray<{ id: string; text: string }>,
  vectors: Float32Array,
  options: EncodeOptions,
): { manifest: ItemVectorsManifest; bytes: Uint8Array } {
  const q = quantizeVectors(vectors, options.dims);
  if (q.count !== items.length) fail(`${q.count} vectors for ${items.length} items`);
  const bytes = new Uint8Array(itemVectorsByteLength(q.count, q.dims));
  const view = new DataView(bytes.buffer);
  for (let r = 0; r < q.count; r++) view.setFloat32(4 * r, q.scales[r]!, true);
  bytes.set(new Uint8Array(q.values.buffer, q.values.byteOffset, q.values.byteLength), 4 * q.count);
  const manifest: ItemVectorsManifest = {
    format: ITEM_VECTORS_FORMAT,
    version: ITEM_VECTORS_VERSION,
    model: options.model,
    dims: q.dims,
    count: q.count,
    dtype: 'int8',
    catalogHash: catalogHash(items),
    ids: items.map((item) => item.id),
    textHashes: items.map((item) => itemTextHash(item.text)),
    bin: options.bin,
    binHash: bytesHash(bytes),
  };
  validateItemVectorsManifest(manifest); // e.g. duplicate ids or a bad bin name fail here, not on every device
  return { manifest, bytes };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArray(raw: Record<string, unknown>, field: 'ids' | 'textHashes', count: number): string[] {
  const value = raw[field];
  if (!Array.isArray(value)) return fail(`manifest field "${field}" must be an array`);
  if (value.length !== count) fail(`manifest field "${field}" has ${value.length} entries; count is ${count}`);
  value.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') fail(`manifest ${field}[${i}] must be a non-empty string`);
  });
  return value as string[];
}

/** Checks everything the manifest claims that can be checked without the binary. */
export function validateItemVectorsManifest(raw: unknown): ItemVectorsManifest {
  if (!isRecord(raw)) return fail('item-vectors manifest must be a JSON object');
  if (raw.format !== ITEM_VECTORS_FORMAT) {
    fail(`not an item-vectors manifest: format is ${JSON.stringify(raw.format)}, expected "${ITEM_VECTORS_FORMAT}"`);
  }
  if (raw.version !== ITEM_VECTORS_VERSION) {
    fail(`item-vectors version ${JSON.stringify(raw.version)} is not supported; this build reads version ${ITEM_VECTORS_VERSION}`);
  }
  if (raw.dtype !== 'int8') fail(`item-vectors dtype ${JSON.stringify(raw.dtype)} is not supported; expected "int8"`);
  const { dims, count, model, bin, binHash } = raw;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims <= 0) fail(`manifest dims must be a positive integer, got ${JSON.stringify(dims)}`);
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) fail(`manifest count must be an integer ≥ 0, got ${JSON.stringify(count)}`);
  if (typeof model !== 'string' || model === '') fail('manifest model must be a non-empty string');
  if (typeof raw.catalogHash !== 'string') fail('manifest catalogHash must be a string');
  // A plain relative name: the manifest must not be able to send the device to another host or folder.
  if (typeof bin !== 'string' || bin === '' || /^[a-z][a-z0-9+.-]*:|^\/|\\|(^|\/)\.\.(\/|$)/i.test(bin)) {
    fail(`manifest bin must be a file name relative to the manifest, got ${JSON.stringify(bin)}`);
  }
  if (binHash !== undefined && typeof binHash !== 'string') fail('manifest binHash must be a string');
  const ids = stringArray(raw, 'ids', count as number);
  stringArray(raw, 'textHashes', count as number);
  const seen = new Map<string, number>();
  ids.forEach((id, row) => {
    const first = seen.get(id);
    if (first !== undefined) fail(`manifest ids[${row}] "${id}" duplicates ids[${first}]`);
    seen.set(id, row);
  });
  return raw as unknown as ItemVectorsManifest;
}

/** Validates the manifest against the binary and returns the dequantized vectors. */
export function decodeItemVectors(manifest: unknown, bytes: ArrayBuffer | Uint8Array): DecodedItemVectors {
  const m = validateItemVectorsManifest(manifest);
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const expected = itemVectorsByteLength(m.count, m.dims);
  if (data.byteLength !== expected) {
    fail(
      `item-vectors binary "${m.bin}" is ${data.byteLength} bytes; ${m.count} rows × (4 + ${m.dims}) need ${expected} ` +
        `(truncated, or not the binary written with this manifest)`,
    );
  }
  if (m.binHash !== undefined && bytesHash(data) !== m.binHash) {
    fail(`item-vectors binary "${m.bin}" does not match its manifest (hash ${bytesHash(data)}, manifest says ${m.binHash})`);
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const scales = new Float32Array(m.count);
  for (let r = 0; r < m.count; r++) {
    const scale = view.getFloat32(4 * r, true);
    if (!Number.isFinite(scale) || scale < 0) fail(`item-vectors row ${r} ("${m.ids[r]}") has scale ${scale}; scales must be finite and ≥ 0`);
    scales[r] = scale;
  }
  const values = new Int8Array(data.buffer, data.byteOffset + 4 * m.count, m.count * m.dims);
  const vectors = dequantizeVectors({ dims: m.dims, count: m.count, scales, values });
  return { manifest: m, dims: m.dims, count: m.count, vectors };
}

/**
 * Which catalog items can use a row of the file: the id must be there and its text hash
 * unchanged. With `model` given, a file from another backbone is not used at all.
 */
export function planItemVectors(
  items: ReadonlyArray<{ id: string; text: string }>,
  manifest: Pick<ItemVectorsManifest, 'ids' | 'textHashes' | 'model'>,
  options: { model?: string } = {},
): ItemVectorsPlan {
  const fromFile = new Map<number, number>();
  const missing: number[] = [];
  if (options.model !== undefined && options.model !== manifest.model) {
    return { fromFile, missing: items.map((_, i) => i) };
  }
  const rowOf = new Map<string, number>();
  manifest.ids.forEach((id, row) => rowOf.set(id, row));
  items.forEach((item, index) => {
    const row = rowOf.get(item.id);
    if (row !== undefined && manifest.textHashes[row] === itemTextHash(item.text)) fromFile.set(index, row);
    else missing.push(index);
  });
  return { fromFile, missing };
}

/** Short name for planItemVectors. */
export const plan = planItemVectors;
