/**
 * Promise-based calls over the worker's message protocol. Worker-side errors arrive as
 * PulseError with the original class name, so callers can tell an ItemVectorsError from a
 * backend failure; a worker that dies rejects everything pending instead of hanging.
 */
import type { Request, Results, WorkerMessage, StatusEvent } from '../worker/protocol.ts';

export class PulseError extends Error {
  constructor(
    /** The class name of the error in the worker, e.g. "ItemVectorsError". */
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'PulseError';
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WorkerRpc {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private dead: Error | null = null;

  constructor(
    private readonly worker: Worker,
    onStatus: (event: StatusEvent) => void,
  ) {
    worker.addEventListener('message', (event: MessageEvent<WorkerMessage>) => {
      const message = event.data;
      if (message.kind === 'status') return onStatus(message);
      // Other pushed events (rationale tokens) have their own listener in create-pulse.ts.
      if (message.kind !== 'reply') return;
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (message.ok) call.resolve(message.result);
      else call.reject(new PulseError(message.error.name, message.error.message));
    });
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.fail(new PulseError('WorkerError', `the Pulse worker failed to run: ${event.message || 'script error (check that the worker file is served)'}`));
    });
    worker.addEventListener('messageerror', () => this.fail(new PulseError('WorkerError', 'a message from the Pulse worker could not be decoded')));
  }

  call<T extends Request>(request: T): Promise<Results[T['type']]> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  private fail(error: Error): void {
    this.dead = error;
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  terminate(): void {
    this.fail(new PulseError('ClosedError', 'the Pulse client was closed'));
    this.worker.terminate();
  }
}
