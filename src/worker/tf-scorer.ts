/**
 * The Scorer on the active tfjs backend: the item matrix lives on the device once, and a
 * request is one matrix–vector product plus the popularity prior, read back as scores.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { RankingIndex, Scorer } from '../core/ranker.ts';

export interface TfScorer extends Scorer {
  dispose(): void;
}

export function createTfScorer(index: RankingIndex): TfScorer {
  const n = index.items.length;
  const matrix = tf.tensor2d(index.vectors, [n, index.dims]);
  const popularity = tf.tensor1d(index.popularity);
  return {
    async score(query, priorWeight) {
      const scores = tf.tidy(() =>
        tf.add(tf.reshape(tf.matMul(matrix, tf.tensor2d(query, [index.dims, 1])), [n]), tf.mul(popularity, priorWeight)),
      );
      try {
        return (await scores.data()) as Float32Array;
      } finally {
        scores.dispose();
      }
    },
    dispose() {
      matrix.dispose();
      popularity.dispose();
    },
  };
}
