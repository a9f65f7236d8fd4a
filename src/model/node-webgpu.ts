/**
 * Node-only: WebGPU where no browser exists (a GPU server), through Dawn's `webgpu` package,
 * which provides `navigator.gpu`. Not a dependency of Pulse — the benchmarks and `slm:train
 * --backend webgpu` import it only when asked: `npm install --no-save webgpu`, or pass the
 * path of an unpacked copy (`--webgpu-module /path/to/webgpu/index.js`).
 */
import { pathToFileURL } from 'node:url';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/**
 * Installs Dawn's WebGPU globals and `navigator.gpu`; returns the adapter's description, or
 * why there is none. `patch` runs on Dawn's globals before the GPU is created.
 */
export async function installDawn(specifier = 'webgpu', patch?: (globals: Record<string, unknown>) => void): Promise<{ adapter: string } | { missing: string }> {
  try {
    const module = (await import(specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier)) as DawnModule;
    Object.assign(globalThis, module.globals);
    patch?.(module.globals);
    const gpu = module.create([]);
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { missing: 'Dawn found no WebGPU adapter' };
    const f16 = adapter.features.has('shader-f16') ? ', shader-f16' : '';
    return { adapter: `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.replace(/\s+/g, ' ').trim() + f16 };
  } catch (error) {
    return { missing: `cannot import "${specifier}" (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); npm install --no-save webgpu` };
  }
}
