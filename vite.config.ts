import { cpSync, createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { defineConfig } from 'vite';
import { buildEmbed } from './scripts/embed-build.ts';

const MODELS_DIR = resolve(import.meta.dirname, 'models');
const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.onnx': 'application/octet-stream',
  '.md': 'text/markdown; charset=utf-8',
};

/**
 * Serves `models/` at `/models/` in dev and preview, and copies it into the build, so artifacts
 * live in one place. A missing model file is a 404, not the SPA's index.html: transformers.js
 * and the SLM host probe for optional files and must be told they are absent.
 */
function serveModels(): Plugin {
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]!);
    if (!url.startsWith('/models/')) return next();
    const file = normalize(join(MODELS_DIR, url.slice('/models/'.length)));
    if (!file.startsWith(MODELS_DIR)) return next();
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    res.setHeader('Content-Length', statSync(file).size);
    createReadStream(file).pipe(res);
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
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    closeBundle() {
      cpSync(MODELS_DIR, join(outDir, 'models'), { recursive: true });
    },
  };
}

export default defineConfig({
  plugins: [serveModels(), buildEmbed()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The wasm backend's pthread glue breaks when minified (see PLATFORM.md); size matters less than working.
    minify: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: { input: { main: resolve(import.meta.dirname, 'index.html') } },
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
