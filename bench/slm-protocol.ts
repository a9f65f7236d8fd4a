/** Messages between bench/slm.ts (Node), bench/slm-page.ts and bench/slm-worker.ts. */
import type { SlmDevice, SlmDtype } from '../src/slm/slm-types.ts';

export interface SlmCaseSpec {
  model: string;
  device: SlmDevice;
  dtype: SlmDtype;
  /** Timed greedy generations after one untimed warm-up. */
  runs: number;
  maxNewTokens: number;
  messages: { role: string; content: string }[];
}

export interface SlmCaseResult {
  spec: Omit<SlmCaseSpec, 'messages'>;
  adapter: { vendor: string; architecture: string; isFallbackAdapter: boolean; shaderF16: boolean } | null;
  load: { downloadMs: number; compileMs: number; totalMs: number; bytes: number };
  promptTokens: number;
  /** Per timed run. */
  firstTokenMs: number[];
  newTokens: number[];
  totalMs: number[];
  /** The greedy text (same every run). */
  text: string;
}

export interface SlmBenchApi {
  run(spec: SlmCaseSpec): Promise<SlmCaseResult>;
}

declare global {
  interface Window {
    slmBench?: SlmBenchApi;
  }
}
