/** Command-line helpers for the benchmarks that may run on Dawn's WebGPU in Node. */
import { installDawn as install } from '../src/model/node-webgpu.ts';

/** The value after `name` on the command line, if any. */
export function arg(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** Dawn from `--webgpu-module PATH`, else the `webgpu` package (see src/model/node-webgpu.ts). */
export function installDawn(patch?: (globals: Record<string, unknown>) => void): ReturnType<typeof install> {
  return install(arg('--webgpu-module') ?? 'webgpu', patch);
}
