/**
 * Messages between the benchmark driver (Node), the bench page and its worker. Types only,
 * so the Node driver can share them without pulling browser code in.
 */
import type { AdapterInfo } from '../src/client/api.ts';
import type { BackendName } from '../src/core/types.ts';

export type CatalogName = 'movielens' | 'synthetic-100k';

export interface CaseSpec {
  catalog: CatalogName;
  backend: BackendName;
  /** Timed runs wanted; fewer are done when the budget runs out (never fewer than minRuns). */
  runs: number;
  minRuns: number;
  /** Wall-clock budget for the timed runs of this case, in ms (warm-up excluded). */
  budgetMs: number;
  k: number;
  /** Seeds the random queries, so every backend of a catalog sees the same ones. */
  seed: number;
}

export interface CatalogInfo {
  name: CatalogName;
  items: number;
  dims: number;
  /** Bytes of the n×d float32 item matrix the product reads. */
  matrixBytes: number;
  /** Where the rows came from: the shipped vector file, or seeded random unit vectors. */
  source: 'vector-file' | 'random';
  /** Rows the vector file did not cover and that were filled randomly (movielens only). */
  randomRows: number;
  note: string | null;
  /** Time to assemble the catalog in the worker (fetch/decode or generate), ms. */
  prepareMs: number;
}

export interface CaseResult {
  spec: CaseSpec;
  catalog: CatalogInfo;
  requested: BackendName;
  /** What chooseBackend actually activated; differs from `requested` after a fallback. */
  backend: BackendName;
  fallbackReasons: string[];
  adapter: AdapterInfo | null;
  backendMs: number;
  /** createTfScorer: creating the matrix and popularity tensors. */
  uploadMs: number;
  /** The first score + topK (shader compilation on WebGPU, lazy upload, JIT), excluded from the runs. */
  firstCallMs: number;
  /** Timed score + topK(k), one per random query, in run order. */
  runsMs: number[];
  /** The same bytes merely summed by a JS loop, one per repetition. */
  floorMs: number[];
  /** Largest |score − plain-JS reference score| over all items for the first query. */
  maxAbsDiff: number;
  /** Whether the backend's top-k ids equal the plain-JS reference's for the first query. */
  topKMatches: boolean;
  /** Tensors still alive after the scorer was disposed (a leak shows as growth across cases). */
  tensorsAfter: number;
}

export type WorkerRequest = { id: number; type: 'run'; spec: CaseSpec };
export type WorkerReply = { id: number; ok: true; result: CaseResult } | { id: number; ok: false; error: string };

export interface BenchApi {
  run(spec: CaseSpec): Promise<CaseResult>;
}

declare global {
  interface Window {
    /** Set by the bench page once its worker is started; the Node driver calls it. */
    bench?: BenchApi;
  }
}
