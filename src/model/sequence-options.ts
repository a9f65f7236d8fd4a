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
