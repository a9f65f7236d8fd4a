/**
 * Gives the page back to the browser between pieces of work (input, rendering), so no piece
 * and the next run as one long task: `scheduler.yield()` where the browser has it (the
 * continuation keeps its place ahead of other queued work), else a zero-delay timeout.
 */
type YieldingScheduler = { yield(): Promise<void> };

export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<YieldingScheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
