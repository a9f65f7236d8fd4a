/**
 * Which device and weight variant (dtype) the SLM should use, from what the adapter can do
 * and which ONNX files the model folder holds. Pure, so every rule is unit-tested.
 *
 * The rules:
 * - fp16 and q4f16 need the `shader-f16` WebGPU feature; SwiftShader and many integrated
 *   GPUs lack it, and ORT then fails at session creation, so they are never picked there.
 * - wasm: q8 first (4× smaller than fp32, int8 kernels are fast on CPUs), then q4, fp32.
 * - webgpu: fp16 / q4f16 when the adapter has shader-f16, else q4, fp32; q8 last
 *   because ORT's WebGPU EP runs its integer MatMul nodes on the CPU.
 * - a software adapter (SwiftShader: `isFallbackAdapter`) emulates the GPU on the CPU and
 *   is far slower than wasm, so `auto` runs the SLM on wasm there and says so.
 */
import type { SlmDevice, SlmDeviceChoice, SlmDtype } from './slm-types.ts';

/** transformers.js' file-name suffix per dtype (`onnx/model${suffix}.onnx`). */
export const DTYPE_SUFFIX: Readonly<Record<SlmDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

const NEEDS_SHADER_F16: ReadonlySet<SlmDtype> = new Set(['fp16', 'q4f16']);

export const DTYPE_PREFERENCE: Readonly<Record<SlmDevice, readonly SlmDtype[]>> = {
  wasm: ['q8', 'int8', 'uint8', 'q4', 'fp32', 'bnb4'],
  webgpu: ['q4f16', 'fp16', 'q4', 'fp32', 'q8', 'int8', 'uint8', 'bnb4'],
};

export interface GpuFacts {
  /** navigator.gpu gave an adapter. */
  available: boolean;
  shaderF16: boolean;
  /** A software adapter (SwiftShader, WARP). */
  isFallbackAdapter: boolean;
  /** Why there is no adapter, when there is none. */
  unavailableReason?: string;
}

export interface DeviceChoice {
  /** In order of trial: the first one that loads wins. */
  devices: SlmDevice[];
  notes: string[];
}

export function chooseDevices(requested: SlmDeviceChoice, gpu: GpuFacts): DeviceChoice {
  const notes: string[] = [];
  if (requested === 'wasm') return { devices: ['wasm'], notes };
  if (!gpu.available) {
    notes.push(`WebGPU unavailable for the SLM (${gpu.unavailableReason ?? 'no adapter'}); using wasm`);
    return { devices: ['wasm'], notes };
  }
  if (requested === 'webgpu') return { devices: ['webgpu', 'wasm'], notes };
  if (gpu.isFallbackAdapter) {
    notes.push('the WebGPU adapter is a software fallback (e.g. SwiftShader), slower than wasm for generation; using wasm');
    return { devices: ['wasm'], notes };
  }
  return { devices: ['webgpu', 'wasm'], notes };
}

/** The dtypes that may run on `device`, best first. */
export function dtypeCandidates(device: SlmDevice, shaderF16: boolean): SlmDtype[] {
  return DTYPE_PREFERENCE[device].filter((dtype) => device !== 'webgpu' || shaderF16 || !NEEDS_SHADER_F16.has(dtype));
}

export interface DtypeChoice {
  dtype: SlmDtype;
  notes: string[];
}

/**
 * Picks the dtype for `device` among `available` (the variants whose files exist).
 * A requested dtype wins when it can run; otherwise the error says why.
 */
export function chooseDtype(device: SlmDevice, shaderF16: boolean, available: readonly SlmDtype[], requested?: SlmDtype): DtypeChoice {
  const runnable = dtypeCandidates(device, shaderF16);
  const notes: string[] = [];
  if (requested !== undefined) {
    if (!runnable.includes(requested)) {
      throw new Error(`dtype ${requested} cannot run on ${device}${NEEDS_SHADER_F16.has(requested) ? ' without the shader-f16 WebGPU feature' : ''}`);
    }
    if (!available.includes(requested)) {
      throw new Error(`dtype ${requested} was requested but the model has no onnx/model${DTYPE_SUFFIX[requested]}.onnx (it has: ${available.join(', ') || 'none'})`);
    }
    return { dtype: requested, notes };
  }
  const dtype = runnable.find((candidate) => available.includes(candidate));
  if (dtype === undefined) {
    throw new Error(`no weight variant of this model runs on ${device}: it has ${available.join(', ') || 'no onnx/model*.onnx'}, ${device} needs one of ${runnable.join(', ')}`);
  }
  const skipped = available.filter((d) => NEEDS_SHADER_F16.has(d));
  if (device === 'webgpu' && !shaderF16 && skipped.length > 0) notes.push(`${skipped.join(', ')} skipped: the adapter has no shader-f16`);
  return { dtype, notes };
}
