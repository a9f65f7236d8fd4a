// @ts-check
/**
 * `pulseVite()` for a Vite app that imports Pulse from the package (it ships TypeScript
 * source): module workers, and Pulse kept out of dependency pre-bundling — pre-bundling
 * would move the worker's `new URL('../worker/worker.ts', import.meta.url)` away from its
 * file — with the tfjs packages the worker reaches pre-bundled up front (otherwise the first
 * load re-optimises and reloads the page). The same settings as Pulse's own vite.config.ts.
 * Plain JavaScript: Vite's config loader imports it with Node, which runs no TypeScript.
 */
const NAME = 'pulse-recs';
const PREBUNDLED = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-converter', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu', 'idb'];

/** @returns {import('vite').Plugin} */
export function pulseVite() {
  return {
    name: NAME,
    config() {
      return {
        worker: { format: 'es' },
        build: { target: 'es2022' },
        optimizeDeps: {
          exclude: [NAME, 'onnxruntime-web', '@huggingface/transformers'],
          include: PREBUNDLED.map((dep) => `${NAME} > ${dep}`),
        },
      };
    },
  };
}
