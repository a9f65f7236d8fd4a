/**
 * The vocabulary of the on-device language model (SLM) as the page sees it: options the
 * site passes in, the status it gets back, and the rationale that heads the rail.
 * Platform-free: no transformers.js, no DOM.
 */

/** Where the SLM runs. `auto` picks webgpu when a hardware adapter exists, else wasm. */
export type SlmDevice = 'webgpu' | 'wasm';
export type SlmDeviceChoice = SlmDevice | 'auto';

/** The searches the worker can write a why with (SlmOptions.method). */
export const RATIONALE_METHODS = ['samples', 'tot'] as const;
export type RationaleMethod = (typeof RATIONALE_METHODS)[number];

/** The ONNX weight variants transformers.js knows (file suffixes in dtype-choice.ts). */
export const SLM_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;
export type SlmDtype = (typeof SLM_DTYPES)[number];

export interface SlmOptions {
  /** false turns the SLM off entirely: evidence-based whys only. Default true. */
  enabled?: boolean;
  /** Folder name under the models URL (or a model id on `remoteHost`); default from `models/slm.json`. */
  model?: string;
  /** Default `auto`. */
  device?: SlmDeviceChoice;
  /** Force a weight variant; default: the best the device supports among the files present. */
  dtype?: SlmDtype;
  /**
   * Opt-in: a site's own model host (a CDN it controls), used only for files not found locally.
   * Without it nothing is ever fetched from anywhere but the models URL.
   */
  remoteHost?: string;
  /** Hard cap on one rationale (all candidates); generation is interrupted after it. Default 20 000. */
  timeoutMs?: number;
  /** ToT-lite candidates per rationale; 1 = a single greedy generation. Default 3. */
  candidates?: number;
  /**
   * How the why is searched for: `samples` (default) writes `candidates` whole whys and keeps
   * the best; `tot` grows the paper's Tree-of-Thought (one-sentence thoughts, branching 3,
   * beam 2, depth 3) — up to 15 short generations, so slower.
   */
  method?: RationaleMethod;
  /** Tokens per candidate. Default 80. */
  maxNewTokens?: number;
}

export type SlmState = 'off' | 'loading' | 'ready' | 'generating' | 'unavailable';

export interface SlmStatus {
  state: SlmState;
  /** The model folder or id, once chosen. */
  model: string | null;
  device: SlmDevice | null;
  dtype: SlmDtype | null;
  /** Why the device or dtype is not the first choice (e.g. "no shader-f16 on this adapter"). */
  notes: string[];
  /** Set when state is `unavailable`: what failed, in words a site owner can act on. */
  reason: string | null;
  /** Load progress: bytes of model files fetched so far and in all (total 0 until known). */
  progress: { phase: 'download' | 'compile' | 'done'; loaded: number; total: number; file: string | null } | null;
  /** Milliseconds: download, compile (session creation + first run), total. */
  loadTimings: Record<string, number>;
}

/**
 * Why the rationale is not from the SLM, when it is not. `loading` and `pending` are the two
 * a recommendation carries while the SLM's text is still to come (its model loads; it has not
 * written for this history yet): `rationale()` then gives the text.
 */
export type RationaleFallback = 'off' | 'loading' | 'pending' | 'unavailable' | 'timeout' | 'failed' | 'cancelled' | 'empty' | 'ungrounded';

/** The rail's headline: what Pulse thinks this shopper wants, in words. Always plain text. */
export interface Rationale {
  text: string;
  /** `slm`: written on this device by the model; `evidence`: composed from the history alone. */
  source: 'slm' | 'evidence';
  /** The model that wrote it (source `slm`). */
  model?: string;
  /** Served from the IndexedDB cache for this exact history. */
  cached?: boolean;
  /** How the model's text was searched for (source `slm`): best of k samples, or the Tree-of-Thought. */
  method?: RationaleMethod;
  /** How many complete candidates were scored (tot: complete chains), and the chosen one's Thought Space score. */
  candidates?: number;
  score?: number;
  /** Present when source is `evidence` although an SLM was wanted. */
  fallback?: RationaleFallback;
  /** Words for `fallback` (the error, the timeout). */
  reason?: string;
  /** Milliseconds spent producing it in this request (0 from cache). */
  ms?: number;
}

export interface RationaleRequestOptions {
  /** Called with each decoded piece of text as the model writes it; `candidate` counts from 0. */
  onToken?: (text: string, candidate: number) => void;
  /** Aborting cancels the generation; the promise then resolves with the evidence fallback. */
  signal?: AbortSignal;
  /** Ignore the cache for this history (still writes the result). */
  fresh?: boolean;
}

export function initialSlmStatus(enabled: boolean): SlmStatus {
  return {
    state: enabled ? 'loading' : 'off',
    model: null,
    device: null,
    dtype: null,
    notes: [],
    reason: enabled ? null : 'the writing model is turned off',
    progress: null,
    loadTimings: {},
  };
}
