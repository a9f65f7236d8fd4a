/**
 * WebGPU in Node for the benchmarks that run where no browser exists (a GPU server):
 * Dawn's `webgpu` package provides `navigator.gpu`. Not a dependency of Pulse — install it
 * only where you measure (`npm install --no-save webgpu`) or point `--webgpu-module` at it.
 */
import { pathToFileURL } from 'node:url';

/** The value after `name` on the command line, if any. */
export function arg(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

interface DawnModule {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/**
 * Installs Dawn's WebGPU globals and `navigator.gpu`; returns the adapter's description, or
 * why there is none. `patch` runs on Dawn's globals before the GPU is created.
 */
export async function installDawn(patch?: (globals: Record<string, unknown>) => void): Promise<{ adapter: string } | { missing: string }> {
  const specifier = arg('--webgpu-module') ?? 'webgpu';
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
