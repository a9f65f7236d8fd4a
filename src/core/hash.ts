/**
 * FNV-1a (32-bit) as 8 hex digits: a fast, synchronous change detector shared by the
 * Node embed command and the worker (crypto.subtle is async and absent in some
 * contexts). Not for security.
 */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Hash of what an item vector depends on: the text the backbone reads. */
export function itemTextHash(text: string): string {
  return hex32(fnv1a(text));
}

/** Hash of a whole catalog's embedding inputs, in order. */
export function catalogHash(items: ReadonlyArray<{ id: string; text: string }>): string {
  let h = 0x811c9dc5;
  for (const item of items) h = fnv1a(`${item.id}\u0000${item.text}\u0001`, h);
  return hex32(h);
}
