import { seededRandom } from '../../core/random.ts';
import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { fnv1a } from '../../core/hash.ts';
import { buildTrainMatrix, historyIndices, type TrainMatrix } from '../train-matrix.ts';
import { validationNdcg10 } from '../tuning.ts';

/**
 * BPR-MF (Rendle et al. 2009), plain JS, seeded: score(u, j) = p_u · q_j + b_j, trained by
 * SGD on (user, positive, uniformly sampled unseen negative) triples with L2 regularisation.
 * Each epoch draws as many triples as there are training pairs. Early stopping on validation
 * NDCG@10 (evaluated every `evalEvery` epochs, `patience` evaluations without improvement);
 * the regularisation is chosen on validation from a grid, each run keeping its best epoch.
 * A user with no training events (most users active after a temporal cut) is *folded in* at
 * scoring time: their vector is fitted to their history by the same BPR steps with the item
 * factors frozen (`foldInEpochs` passes over the history, seeded per user); with no history
 * at all, the item biases alone rank (popularity-like).
 */
export interface BprOptions {
  dims?: number;
  learningRate?: number;
  regs?: readonly number[];
  maxEpochs?: number;
  evalEvery?: number;
  patience?: number;
  /** Passes over a cold user's history when folding them in; 0 = item biases only. */
  foldInEpochs?: number;
}

interface Factors {
  users: Float32Array;
  items: Float32Array;
  bias: Float32Array;
}

export class BprMf implements Recommender {
  readonly name = 'bpr';
  readonly options: Required<BprOptions>;
  chosen: { reg: number; epochs: number; validationNdcg10: number } | null = null;
  private factors: Factors | null = null;
  private matrix: TrainMatrix | null = null;
  private indexOf: ReadonlyMap<string, number> = new Map();
  private seed = 0;

  constructor(options: BprOptions = {}) {
    this.options = {
      dims: options.dims ?? 64,
      learningRate: options.learningRate ?? 0.05,
      regs: options.regs ?? [0.001, 0.01, 0.03, 0.1],
      maxEpochs: options.maxEpochs ?? 60,
      evalEvery: options.evalEvery ?? 3,
      patience: options.patience ?? 3,
      foldInEpochs: options.foldInEpochs ?? 30,
    };
  }

  async fit(context: TrainContext): Promise<void> {
    const matrix = buildTrainMatrix(context);
    this.matrix = matrix;
    this.indexOf = context.indexOf;
    this.seed = context.seed;
    let best: { reg: number; epochs: number; validationNdcg10: number; factors: Factors } | null = null;
    for (const reg of this.options.regs) {
      const run = this.train(matrix, context, reg);
      context.log(`bpr: reg ${reg} → best validation NDCG@10 ${run.validationNdcg10.toFixed(4)} at epoch ${run.epochs}`);
      if (!best || run.validationNdcg10 > best.validationNdcg10) best = { reg, ...run };
    }
    if (!best) throw new Error('bpr: empty regularisation grid');
    const { factors, ...chosen } = best;
    this.factors = factors;
    this.chosen = chosen;
    context.log(`bpr: chose reg ${chosen.reg}, ${chosen.epochs} epochs`);
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (!this.factors || !this.matrix || !this.chosen) throw new Error('bpr: fit() first');
    return cases.map((c) => this.scoreCase(this.factors!, this.matrix!, c, this.chosen!.reg));
  }

  private scoreCase(factors: Factors, matrix: TrainMatrix, c: EvalCase, reg: number): Float32Array {
    const row = matrix.rowOf.get(c.user);
    if (row !== undefined) return scoreVector(factors, factors.users.subarray(row * this.options.dims, (row + 1) * this.options.dims));
    return scoreVector(factors, this.foldIn(factors, historyIndices(c, this.indexOf), reg, c.user));
  }

  /** A cold user's vector from their history, item factors and biases frozen. */
  private foldIn(factors: Factors, history: readonly number[], reg: number, user: string): Float32Array {
    const { dims, learningRate: lr, foldInEpochs } = this.options;
    const p = new Float32Array(dims);
    if (history.length === 0 || foldInEpochs === 0) return p;
    const random = seededRandom(fnv1a(user, this.seed >>> 0));
    const seen = new Set(history);
    const itemCount = factors.bias.length;
    const { items: Q, bias: B } = factors;
    for (let step = 0; step < foldInEpochs * history.length; step++) {
      const i = history[Math.floor(random() * history.length)]!;
      let j: number;
      do j = Math.floor(random() * itemCount);
      while (seen.has(j));
      let x = B[i]! - B[j]!;
      for (let d = 0; d < dims; d++) x += p[d]! * (Q[i * dims + d]! - Q[j * dims + d]!);
      const g = 1 / (1 + Math.exp(x));
      for (let d = 0; d < dims; d++) p[d] = p[d]! + lr * (g * (Q[i * dims + d]! - Q[j * dims + d]!) - reg * p[d]!);
    }
    return p;
  }

  private train(matrix: TrainMatrix, context: TrainContext, reg: number): { factors: Factors; epochs: number; validationNdcg10: number } {
    const { dims, learningRate: lr, maxEpochs, evalEvery, patience } = this.options;
    const random = seededRandom(context.seed ^ 0xb9b);
    const itemCount = context.catalog.length;
    const userCount = matrix.users.length;
    const gaussian = () => {
      // Box–Muller; 0.1 standard deviation, as in common BPR implementations.
      const u = Math.max(random(), 1e-12);
      return 0.1 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    };
    const factors: Factors = {
      users: Float32Array.from({ length: userCount * dims }, gaussian),
      items: Float32Array.from({ length: itemCount * dims }, gaussian),
      bias: new Float32Array(itemCount),
    };
    const seen = matrix.itemsOfUser.map((items) => new Set(items));
    const pairUser = new Int32Array(matrix.pairs);
    const pairItem = new Int32Array(matrix.pairs);
    let p = 0;
    matrix.itemsOfUser.forEach((items, u) => {
      for (const i of items) {
        pairUser[p] = u;
        pairItem[p++] = i;
      }
    });
    const { users: P, items: Q, bias: B } = factors;
    let best = { factors: cloneFactors(factors), epochs: 0, validationNdcg10: -1 };
    let sinceBest = 0;
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      for (let step = 0; step < matrix.pairs; step++) {
        const pick = Math.floor(random() * matrix.pairs);
        const u = pairUser[pick]!;
        const i = pairItem[pick]!;
        let j: number;
        do j = Math.floor(random() * itemCount);
        while (seen[u]!.has(j));
        const pu = u * dims;
        const qi = i * dims;
        const qj = j * dims;
        let x = B[i]! - B[j]!;
        for (let d = 0; d < dims; d++) x += P[pu + d]! * (Q[qi + d]! - Q[qj + d]!);
        const g = 1 / (1 + Math.exp(x)); // σ(−x): the gradient of ln σ(x)
        for (let d = 0; d < dims; d++) {
          const pud = P[pu + d]!;
          const qid = Q[qi + d]!;
          const qjd = Q[qj + d]!;
          P[pu + d] = pud + lr * (g * (qid - qjd) - reg * pud);
          Q[qi + d] = qid + lr * (g * pud - reg * qid);
          Q[qj + d] = qjd + lr * (-g * pud - reg * qjd);
        }
        B[i] = B[i]! + lr * (g - reg * B[i]!);
        B[j] = B[j]! + lr * (-g - reg * B[j]!);
      }
      if (epoch % evalEvery !== 0 && epoch !== maxEpochs) continue;
      const ndcg = validationNdcg10(context.validation, context.indexOf, (c) => this.scoreCase(factors, matrix, c, reg));
      if (ndcg > best.validationNdcg10) {
        best = { factors: cloneFactors(factors), epochs: epoch, validationNdcg10: ndcg };
        sinceBest = 0;
      } else if (++sinceBest >= patience) {
        break;
      }
    }
    return best;
  }
}

function cloneFactors(f: Factors): Factors {
  return { users: f.users.slice(), items: f.items.slice(), bias: f.bias.slice() };
}

/** b_j + p · q_j for every item j. */
function scoreVector(f: Factors, p: Float32Array): Float32Array {
  const dims = p.length;
  const itemCount = f.bias.length;
  const scores = f.bias.slice();
  for (let j = 0; j < itemCount; j++) {
    let s = 0;
    const qj = j * dims;
    for (let d = 0; d < dims; d++) s += p[d]! * f.items[qj + d]!;
    scores[j]! += s;
  }
  return scores;
}
