/**
 * tfjs's plain-JavaScript backend, registered on import: the last link of the backend chain
 * and WebGPU's CPU-side helper where wasm is blocked. Loaded by backend.ts only when tried.
 */
import '@tensorflow/tfjs-backend-cpu';
