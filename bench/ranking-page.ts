/**
 * The bench page: starts the module worker the product would use and exposes `window.bench`
 * so the Node driver can run one case at a time (and print progress between cases).
 */
import type { BenchApi, CaseResult, CaseSpec, WorkerReply, WorkerRequest } from './protocol.ts';

const worker = new Worker(new URL('./ranking-worker.ts', import.meta.url), { type: 'module' });
const pending = new Map<number, { resolve(result: CaseResult): void; reject(error: Error): void }>();
let nextId = 0;

worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
  const reply = event.data;
  const waiter = pending.get(reply.id);
  if (!waiter) return;
  pending.delete(reply.id);
  if (reply.ok) waiter.resolve(reply.result);
  else waiter.reject(new Error(reply.error));
});

// A worker that dies (out of memory, a load error) answers nothing; fail every open case
// instead of leaving the driver waiting for its timeout.
worker.addEventListener('error', (event) => {
  const error = new Error(`bench worker failed: ${event.message || 'unknown error (script load or crash)'}`);
  for (const waiter of pending.values()) waiter.reject(error);
  pending.clear();
});

const api: BenchApi = {
  run(spec: CaseSpec) {
    const id = nextId++;
    return new Promise<CaseResult>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, type: 'run', spec } satisfies WorkerRequest);
    });
  },
};
window.bench = api;
document.body.dataset.benchState = 'ready';
