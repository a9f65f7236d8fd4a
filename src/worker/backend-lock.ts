/**
 * One tfjs job at a time where the active backend may change under it. The worker switches the
 * global backend to wasm for USE-lite while ranking stays on WebGPU (see onCpuSideBackend in
 * backend.ts); a ranking that ran during the switch would still be correct, but tfjs would move
 * the Thought Space's weights to wasm and back. So the switch and each ranking take turns.
 * Never nest: a job that waits for another job deadlocks.
 */
let tail: Promise<unknown> = Promise.resolve();

export function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const run = tail.then(work, work);
  tail = run.catch(() => undefined);
  return run;
}
