/**
 * A handle to stop one rationale's generation from outside — the shopper's cancel, the
 * timeout, a newer history — without importing transformers.js (the model code loads
 * lazily; whoever holds the handle need not).
 */
export type StopReason = 'timeout' | 'cancelled';

export class GenerationControl {
  /** The first reason given; later stops do not overwrite it. */
  reason: StopReason | null = null;
  private readonly listeners = new Set<() => void>();

  stop(reason: StopReason): void {
    if (this.reason !== null) return;
    this.reason = reason;
    for (const listener of this.listeners) listener();
  }

  /** Runs `listener` on stop (at once if already stopped); returns an unsubscribe. */
  onStop(listener: () => void): () => void {
    if (this.reason !== null) {
      listener();
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
