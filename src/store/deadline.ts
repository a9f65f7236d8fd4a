/**
 * A bound on a storage wait. IndexedDB can leave a request pending for as long as another
 * tab likes (a blocked upgrade queues every later open behind it; a long transaction
 * elsewhere holds ours), so every wait Pulse makes on it goes through here and turns into
 * a typed error instead of a hang.
 */

/** How long one transaction may take before it counts as stuck. */
export const STORAGE_TIMEOUT_MS = 5000;

/**
 * How long an open may take. Longer than a transaction: an open that another tab blocks is
 * told apart within a second by its "blocked" event (history.ts), so this bound only catches
 * an open queued behind someone else's blocked upgrade, and a slow but healthy first open on
 * a busy device must not send the shopper's events to memory.
 */
export const OPEN_TIMEOUT_MS = 8000;

/**
 * Settles like `work`, or rejects with `timeout()` once `ms` have passed; `onLate` then
 * runs if `work` still succeeds (to release what it produced, such as a connection).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, timeout: () => Error, onLate?: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      reject(timeout());
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        if (expired) onLate?.(value);
        else resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (!expired) reject(error);
      },
    );
  });
}
