/** Small formatting shared by the panels. */

/**
 * "9,061": English digit grouping by hand. The page's first Intl object costs 50–120 ms on
 * a busy 2-core machine (ICU's data loads then), a long task on the first render for a comma.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/** Sub-10 ms timings keep a decimal: that is where WebGPU vs wasm shows. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "just now", "5 min ago", "3 h ago", then a date. */
export function formatAgo(ts: number, now = Date.now()): string {
  const seconds = Math.round((now - ts) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 7) return `${days} d ago`;
  return new Date(ts).toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The backends' names as a shopper would read them. */
export function backendLabel(backend: string | null): string {
  switch (backend) {
    case 'webgpu':
      return 'WebGPU';
    case 'wasm':
      return 'WebAssembly';
    case 'cpu':
      return 'CPU';
    default:
      return '—';
  }
}

/** Error objects, strings, anything: one readable line for the page. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
