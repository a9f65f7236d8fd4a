/**
 * Builds the one-script-tag embed after the demo build, so `vite build` gives both:
 *   dist/pulse.js        the loader: a classic script (works with <script async src>), minified
 *   dist/pulse/…         the lazily loaded runtime (ES module), the worker and its wasm files
 * Everything inside is addressed relative to the file that refers to it (base "./"), so a
 * shop can serve dist/ from any folder of its own. The loader asks for pulse/runtime.js?v=<hash
 * of the runtime it was built with>, so only pulse.js needs a short cache lifetime. The
 * loader's gzipped size is printed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';

const ROOT = resolve(import.meta.dirname, '..');

export function buildEmbed(): Plugin {
  let outDir = resolve(ROOT, 'dist');
  return {
    name: 'pulse-embed',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      // Nested builds use inline configs (configFile: false), so this plugin does not recurse.
      await build({
        configFile: false,
        root: ROOT,
        base: './',
        logLevel: 'warn',
        publicDir: false,
        worker: { format: 'es' },
        build: {
          outDir: resolve(outDir, 'pulse'),
          emptyOutDir: true,
          target: 'es2022',
          // Same reason as the demo build: the wasm backend's pthread glue breaks when minified.
          minify: false,
          chunkSizeWarningLimit: 4096,
          rollupOptions: {
            input: { runtime: resolve(ROOT, 'src/embed/runtime.ts') },
            // The loader imports this entry by name and calls its exports.
            preserveEntrySignatures: 'strict',
            output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
          },
        },
      });
      const runtimeVersion = createHash('sha256').update(readFileSync(resolve(outDir, 'pulse', 'runtime.js'))).digest('hex').slice(0, 12);
      await build({
        configFile: false,
        root: ROOT,
        logLevel: 'warn',
        publicDir: false,
        define: { __PULSE_RUNTIME_VERSION__: JSON.stringify(runtimeVersion) },
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
    },
  };
}
