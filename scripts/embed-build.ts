/**
 * Builds the one-script-tag loader after the app build, so `vite build` gives:
 *   dist/pulse.js        the loader: a classic script (works with <script async src>), minified
 *   dist/pulse/…         the lazily loaded runtime (ES module), the worker and its wasm files,
 *                        written by the app build itself and shared with the demo
 * and then writes `.br`/`.gz` copies next to every compressible file (scripts/precompress.ts).
 * Everything inside is addressed relative to the file that refers to it (base "./"), so a
 * shop can serve dist/ from any folder of its own. The loader asks for pulse/runtime.js?v=<hash
 * of the runtime it was built with>, so only pulse.js needs a short cache lifetime. The
 * loader's gzipped size is printed.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';
import { precompressDir } from './precompress.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** The embed runtime: an input of the app build, written at a fixed name the loader imports. */
export const EMBED_RUNTIME_ENTRY = resolve(ROOT, 'src/embed/runtime.ts');
export const EMBED_RUNTIME_FILE = 'pulse/runtime.js';

export function buildEmbed(): Plugin {
  let outDir = resolve(ROOT, 'dist');
  return {
    name: 'pulse-embed',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      // The runtime (pulse/runtime.js) and everything it loads come from the app build itself
      // (vite.config.ts names it as a second input), so the demo and the embed share one
      // worker and one set of wasm files. Only the classic-script loader needs a build of its own.
      const runtimeVersion = createHash('sha256').update(readFileSync(resolve(outDir, 'pulse', 'runtime.js'))).digest('hex').slice(0, 12);
      // The loader starts the runtime's worker itself, beside the runtime's import (host.ts):
      // it must be the one file the runtime would start.
      const workers = readdirSync(resolve(outDir, 'pulse', 'assets')).filter((name) => /^worker-[\w-]{8}\.js$/.test(name));
      if (workers.length !== 1) throw new Error(`expected one pulse/assets/worker-*.js in the build, found ${workers.length}: ${workers.join(', ')}`);
      await build({
        configFile: false,
        root: ROOT,
        logLevel: 'warn',
        publicDir: false,
        define: { __PULSE_RUNTIME_VERSION__: JSON.stringify(runtimeVersion), __PULSE_WORKER_FILE__: JSON.stringify(`assets/${workers[0]}`) },
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2020',
          minify: true,
          lib: { entry: resolve(ROOT, 'src/embed/loader.ts'), formats: ['iife'], name: 'pulseLoader', fileName: () => 'pulse.js' },
        },
      });
      const loader = readFileSync(resolve(outDir, 'pulse.js'));
      console.log(`pulse.js: ${(loader.length / 1024).toFixed(1)} KB, ${(gzipSync(loader, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`);
      // Last, once every file is in place (models are copied synchronously by an earlier plugin).
      const written = await precompressDir(outDir);
      console.log(`precompressed ${written.files} files: ${(written.rawBytes / 1e6).toFixed(1)} MB → ${(written.brBytes / 1e6).toFixed(1)} MB br, ${(written.gzBytes / 1e6).toFixed(1)} MB gz`);
    },
  };
}
