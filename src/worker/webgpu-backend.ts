/**
 * tfjs's WebGPU backend, registered on import. Its own module so that backend.ts can load it
 * only when WebGPU is tried (and the build names its chunk `webgpu-backend-*.js`).
 */
import '@tensorflow/tfjs-backend-webgpu';
