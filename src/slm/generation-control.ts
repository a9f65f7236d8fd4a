/**
 * A handle to stop one rationale's generation from outside — the shopper's cancel, the
 * timeout, a newer history — without importing transformers.js (the model code loads
 * lazily; whoever holds the handle need not).
 */
export type StopReason = 'timeout' | 'cancelled';

export class GenerationControl {
  /** The first reason given; later stops do not overwrite it. */
  reason: StopReason | null = null;
  /** performance.now() after which the generation times out. */
  private deadline = Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();

  stop(reason: StopReason): void {
    if (this.reason !== null) return;
    this.reason = reason;
    clearTimeout(this.timer);
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

  /**
   * Times out `ms` from now. A timer covers a long prompt pass; checkDeadline, called on
   * every token, covers ORT wasm runs that resolve back to back without yielding to timers.
   */
  startClock(ms: number, now = performance.now()): void {
    this.deadline = now + ms;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.stop('timeout'), ms);
  }

  /** Stops with `timeout` once `now` is past the deadline; true when stopped for any reason. */
  checkDeadline(now = performance.now()): boolean {
    if (now > this.deadline) this.stop('timeout');
    return this.reason !== null;
  }

  /** Ends the clock (the generation finished). */
  dispose(): void {
    clearTimeout(this.timer);
    this.listeners.clear();
  }
}
