/** Reads `?backend=webgpu|wasm|cpu`; anything else means "automatic" (and is reported). */
import type { BackendName } from '../core/types.ts';

const BACKENDS: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

export interface BackendChoice {
  /** undefined: let the client try webgpu → wasm → cpu. */
  backend: BackendName | undefined;
  /** A value that was given but is not a backend, so the page can say it was ignored. */
  ignored: string | null;
}

export function backendFromQuery(search: string): BackendChoice {
  const raw = new URLSearchParams(search).get('backend');
  if (raw === null || raw.trim() === '') return { backend: undefined, ignored: null };
  const value = raw.trim().toLowerCase();
  return (BACKENDS as readonly string[]).includes(value)
    ? { backend: value as BackendName, ignored: null }
    : { backend: undefined, ignored: raw };
}
