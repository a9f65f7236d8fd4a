/**
 * The Scorer on the active tfjs backend: the item matrix lives on the device once, and a
 * request is one matrix–vector product plus the popularity prior, read back as scores and
 * checked finite.
 */
import * as tf from '@tensorflow/tfjs-core';
import { countNonFiniteScores, NonFiniteValueError } from '../core/finite-values.ts';
import type { RankingIndex, Scorer } from '../core/ranker.ts';
import { exclusive } from './backend-lock.ts';

export interface TfScorer extends Scorer {
  dispose(): void;
}

export function createTfScorer(index: RankingIndex): TfScorer {
  const n = index.items.length;
  const matrix = tf.tensor2d(index.vectors, [n, index.dims]);
  const popularity = tf.tensor1d(index.popularity);
  return {
    score: (query, priorWeight) => exclusive(async () => {
      const scores = tf.tidy(() =>
        tf.add(tf.reshape(tf.matMul(matrix, tf.tensor2d(query, [index.dims, 1])), [n]), tf.mul(popularity, priorWeight)),
      );
      let values: Float32Array;
      try {
        values = (await scores.data()) as Float32Array;
      } finally {
        scores.dispose();
      }
      // Checked before top-k: a NaN never wins a slot there, so a broken product would
      // silently return a short or empty list instead of an error the chain can act on.
      const bad = countNonFiniteScores(values);
      if (bad > 0) throw new NonFiniteValueError(`text similarity scored ${bad} of ${n} items NaN or infinite on the ${tf.getBackend()} backend`);
      return values;
    }),
    dispose() {
      matrix.dispose();
      popularity.dispose();
    },
  };
}
