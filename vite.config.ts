import { cpSync, existsSync, statSync } from 'node:fs';
import { join, normalize, resolve, sep } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vite';
import { buildEmbed, EMBED_RUNTIME_ENTRY, EMBED_RUNTIME_FILE } from './scripts/embed-build.ts';
import { modelFileList, writeModelFileList } from './scripts/model-file-list.ts';
import { sendFile } from './scripts/precompressed-serving.ts';
import { MODEL_FILES } from './src/core/model-files.ts';

const MODELS_DIR = resolve(import.meta.dirname, 'models');

/**
 * Serves `models/` at `/models/` in dev, and copies it into the build (where preview serves it,
 * pre-compressed, through servePrecompressed), so artifacts live in one place. A missing model
 * file is a 404, not the SPA's index.html: transformers.js and the SLM host probe for optional
 * files and must be told they are absent.
 */
function serveModels(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
    if (!url.startsWith('/models/')) return next();
    if (url === `/models/${MODEL_FILES}`) {
      // The build writes it; in dev it follows the folder as it is now.
      res.setHeader('Content-Type', 'application/json');
      res.setHeader('Cache-Control', 'no-cache');
      res.end(JSON.stringify(modelFileList(MODELS_DIR)));
      return;
    }
    const file = normalize(join(MODELS_DIR, url.slice('/models/'.length)));
    if (!file.startsWith(MODELS_DIR)) return next();
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    sendFile(req, res, file);
  };
  let outDir = 'dist';
  return {
    name: 'pulse-models',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    closeBundle() {
      cpSync(MODELS_DIR, join(outDir, 'models'), { recursive: true });
      // Sizes and hashes of what was copied: the worker's cache across visits keys on them.
      writeModelFileList(join(outDir, 'models'));
    },
  };
}

/**
 * `vite preview` (`npm start`) sends the build's `.br`/`.gz` copies with Content-Encoding
 * (Vite's own static server does not look for them). A file without copies, and any path that
 * is not a file, go on to Vite as before; a missing file under /models/ is a 404 for the same
 * reason as in serveModels.
 */
function servePrecompressed(): Plugin {
  let outDir = 'dist';
  return {
    name: 'pulse-precompressed',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
        const file = normalize(join(outDir, url));
        if (!file.startsWith(outDir + sep)) return next();
        const isFile = existsSync(file) && statSync(file).isFile();
        if (!isFile && url.startsWith('/models/')) {
          res.statusCode = 404;
          res.end();
          return;
        }
        if (!isFile || !(existsSync(`${file}.br`) || existsSync(`${file}.gz`))) return next();
        sendFile(req, res, file);
      });
    },
  };
}

/**
 * The pthread glue of tfjs-backend-wasm rebuilds its worker from `factory.toString()`, which
 * still names identifiers of the enclosing module (PLATFORM.md: mangled, it fails with
 * "e is not defined"). Workers are therefore minified by whitespace only: same names, same
 * semantics, most of the bytes saved. Page code (demo, runtime) is fully minified.
 */
const WORKER_MINIFY = { compress: false, mangle: false, codegen: { removeWhitespace: true } } as const;

export default defineConfig({
  plugins: [serveModels(), buildEmbed(), servePrecompressed()],
  // Relative URLs everywhere, so that the one `pulse/` folder serves both the demo at "/" and
  // a shop that copies it into a folder of its own (see scripts/embed-build.ts).
  base: './',
  worker: { format: 'es', rolldownOptions: { output: { minify: WORKER_MINIFY } } },
  build: {
    target: 'es2022',
    minify: true,
    // One build for the demo and the embed runtime: one worker, one set of wasm files.
    assetsDir: 'pulse/assets',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: { main: resolve(import.meta.dirname, 'index.html'), runtime: EMBED_RUNTIME_ENTRY },
      // pulse.js imports the runtime entry by name and calls its exports.
      preserveEntrySignatures: 'strict',
      output: { entryFileNames: (chunk) => (chunk.name === 'runtime' ? EMBED_RUNTIME_FILE : 'pulse/assets/[name]-[hash].js') },
    },
  },
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-converter',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgpu',
      'idb',
    ],
    exclude: ['onnxruntime-web', '@huggingface/transformers'],
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
