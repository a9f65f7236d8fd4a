/** The architecture and training settings SASRec and the Thought Space towers share, so both are tuned alike. */
export interface SequenceModelOptions {
  dims: number;
  blocks: number;
  heads: number;
  maxLen: number;
  dropout: number;
  batchSize: number;
  learningRate: number;
  maxEpochs: number;
  patience: number;
  evalEvery: number;
  /** Sampled negatives of the softmax over items. */
  negatives: number;
  /** Wall-clock cap on training; the best epoch so far is kept. */
  timeBudgetMs?: number;
}

/**
 * One setting for both models, so a comparison measures the method, not the budget: SASRec's
 * MovieLens settings (2 blocks, 1 head, dropout 0.2, lr 1e-3) with d 64 and maxLen 50 instead
 * of the paper's 200 (attention is quadratic, ~8× cheaper on tfjs-wasm; median history ~70),
 * and a softmax over 256 sampled negatives instead of the full catalog.
 */
export const SEQUENCE_DEFAULTS: SequenceModelOptions = {
  dims: 64,
  blocks: 2,
  heads: 1,
  maxLen: 50,
  dropout: 0.2,
  batchSize: 64,
  learningRate: 1e-3,
  maxEpochs: 200,
  patience: 5,
  evalEvery: 2,
  negatives: 256,
};
