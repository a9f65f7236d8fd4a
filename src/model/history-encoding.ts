/**
 * Events → the integer form the sequence models read (catalog rows and signal buckets).
 * Pure; used alike by training, evaluation and the worker.
 */
import type { PulseEvent } from '../core/types.ts';
import { signalBucket, type EncodedHistory } from './sequence-batch.ts';

/**
 * Events whose item is not in the catalog are left out and counted: a model cannot embed an
 * item it has no row for, and the caller decides whether a non-zero count is an error.
 */
export function encodeHistory(events: readonly PulseEvent[], indexOf: ReadonlyMap<string, number>): EncodedHistory & { unknown: number } {
  const items: number[] = [];
  const signals: number[] = [];
  let unknown = 0;
  for (const event of events) {
    const row = indexOf.get(event.itemId);
    if (row === undefined) {
      unknown++;
      continue;
    }
    items.push(row);
    signals.push(signalBucket(event.type, event.value));
  }
  return { items: Int32Array.from(items), signals: Int32Array.from(signals), unknown };
}
