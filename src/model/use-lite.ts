/**
 * The text backbone: Google's Universal Sentence Encoder lite (a TF.js graph model) plus our
 * SentencePiece tokenizer. Same code in Node (offline embedding) and in the worker.
 *
 * Backend choice is the caller's job: this file only uses whatever tfjs backend is active.
 */
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { SentencePieceTokenizer, parseVocab, type VocabEntry } from './sentencepiece.ts';

/** Width of a USE-lite sentence vector. */
export const TEXT_DIMS = 512;

/** Texts per model call. The graph pads every row to the longest one in its batch. */
export const DEFAULT_BATCH_SIZE = 32;

export interface EmbedOptions {
  /** Texts per model call; defaults to DEFAULT_BATCH_SIZE. */
  batchSize?: number;
  /** Called after every batch with the number of texts embedded so far. */
  onProgress?: (done: number, total: number) => void;
}

export class TextBackbone {
  readonly dims = TEXT_DIMS;

  private constructor(
    private readonly model: GraphModel,
    readonly tokenizer: SentencePieceTokenizer,
  ) {}

  /**
   * Loads the graph from a model.json URL or a tfjs IOHandler (see node-model-files.ts for
   * Node). Quantized weights (uint8 / float16 in the manifest) are dequantized by tfjs here.
   */
  static async load(model: string | tf.io.IOHandler, vocab: ReadonlyArray<VocabEntry>): Promise<TextBackbone> {
    const graph = await loadGraphModel(model);
    const inputs = graph.inputs.map((input) => input.name).sort();
    if (inputs.join() !== 'indices,values') {
      graph.dispose();
      throw new Error(`not a USE-lite graph: expected inputs indices and values, got ${inputs.join(', ')}`);
    }
    return new TextBackbone(graph, new SentencePieceTokenizer(vocab));
  }

  /** Browser / worker: `${baseUrl}/model.json`, its shards and `${baseUrl}/vocab.json`. */
  static async fromUrl(baseUrl: string, fetchFn: typeof fetch = fetch): Promise<TextBackbone> {
    const base = baseUrl.replace(/\/+$/, '');
    const response = await fetchFn(`${base}/vocab.json`);
    if (!response.ok) throw new Error(`${base}/vocab.json: HTTP ${response.status}`);
    const vocab = parseVocab(await response.json());
    // Wrapped: tfjs calls fetchFunc as a method of its handler, and a bare `fetch` invoked with
    // that `this` throws "Illegal invocation" in browsers.
    const fetchFunc = (input: RequestInfo | URL, init?: RequestInit) => fetchFn(input, init);
    return TextBackbone.load(tf.io.http(`${base}/model.json`, { fetchFunc }), vocab);
  }

  /**
   * Embeds `texts` into row-major [texts.length × 512], each row L2-normalised.
   * A text that tokenizes to nothing (only the empty string does) gets a zero row: the model
   * has no input for it, and a zero vector scores 0 against everything.
   */
  async embed(texts: ReadonlyArray<string>, options: EmbedOptions = {}): Promise<Float32Array> {
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? DEFAULT_BATCH_SIZE));
    const out = new Float32Array(texts.length * TEXT_DIMS);
    const encoded = texts.map((text) => this.tokenizer.encode(text));
    // Shortest first, so each batch pads little; rows are written back in input order.
    const order = encoded
      .map((ids, index) => ({ ids, index }))
      .filter((row) => row.ids.length > 0)
      .sort((a, b) => a.ids.length - b.ids.length);
    let done = texts.length - order.length;
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      const vectors = await this.runBatch(batch.map((row) => row.ids));
      batch.forEach((row, b) => {
        const offset = row.index * TEXT_DIMS;
        out.set(vectors.subarray(b * TEXT_DIMS, (b + 1) * TEXT_DIMS), offset);
        normalizeRow(out, offset, TEXT_DIMS);
      });
      done += batch.length;
      options.onProgress?.(done, texts.length);
    }
    return out;
  }

  /** Raw (not normalised) model output for non-empty token rows, [rows × 512]. */
  private async runBatch(rows: ReadonlyArray<ReadonlyArray<number>>): Promise<Float32Array> {
    const total = rows.reduce((sum, ids) => sum + ids.length, 0);
    // The sparse input of the reference USE code: (row, position) pairs and their piece ids.
    const indices = new Int32Array(total * 2);
    const values = new Int32Array(total);
    let k = 0;
    rows.forEach((ids, row) => {
      ids.forEach((id, position) => {
        indices[2 * k] = row;
        indices[2 * k + 1] = position;
        values[k] = id;
        k++;
      });
    });
    const indicesTensor = tf.tensor2d(indices, [total, 2], 'int32');
    const valuesTensor = tf.tensor1d(values, 'int32');
    let result: tf.Tensor | tf.Tensor[] | undefined;
    try {
      // executeAsync, not execute: the graph holds `Where`, whose output shape depends on data.
      result = await this.model.executeAsync({ indices: indicesTensor, values: valuesTensor });
      const output = Array.isArray(result) ? result[0] : result;
      if (output === undefined || output.shape.length !== 2 || output.shape[0] !== rows.length || output.shape[1] !== TEXT_DIMS) {
        throw new Error(`USE-lite returned shape [${output?.shape.join(', ')}], expected [${rows.length}, ${TEXT_DIMS}]`);
      }
      return (await output.data()) as Float32Array;
    } finally {
      indicesTensor.dispose();
      valuesTensor.dispose();
      if (result !== undefined) tf.dispose(result);
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Scales `v[offset .. offset+dims)` to unit length in place (all-zero rows stay zero). */
function normalizeRow(v: Float32Array, offset: number, dims: number): void {
  let sum = 0;
  for (let i = offset; i < offset + dims; i++) sum += (v[i] ?? 0) ** 2;
  if (sum === 0 || !Number.isFinite(sum)) return;
  const inv = 1 / Math.sqrt(sum);
  for (let i = offset; i < offset + dims; i++) v[i] = (v[i] ?? 0) * inv;
}
