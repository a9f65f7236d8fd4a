import type { EvalCase, Recommender, TrainContext } from '../recommender.ts';
import { buildTrainMatrix, historyIndices } from '../train-matrix.ts';
import { searchGridToInterior, validationNdcg10 } from '../tuning.ts';

/**
 * EASE (Steck, WWW 2019): a closed-form item–item linear model. With G = XᵀX over the binary
 * training user–item matrix X, P = (G + λI)⁻¹ and B = I − P·diag(1/diag(P)) (zero diagonal);
 * a user's scores are x_u·B, the sum of B's rows over their history. λ is chosen on validation
 * NDCG@10 from a grid, one inversion per value.
 *
 * The inversion is O(n³) in plain JS (Cholesky, float64), so EASE models at most `maxItems`
 * items: the most popular in training (by distinct users). That covers every MovieLens item
 * a test target can realistically be (the report says how many targets fall outside); items
 * outside it score −∞ (never recommended). Items never seen in training cannot be learned by
 * any ID model, so none are lost by that part of the restriction.
 */
export interface EaseOptions {
  lambdas?: readonly number[];
  maxItems?: number;
}

/**
 * Fitted weights per training split and λ, shared within one process: `ease` and a blend with
 * EASE in the same run invert the same matrix once (each inversion is minutes here).
 */
const fitted = new WeakMap<object, Map<string, { modelled: Int32Array; weights: Float32Array }>>();

export class Ease implements Recommender {
  readonly name = 'ease';
  readonly lambdas: readonly number[];
  readonly maxItems: number;
  chosen: { lambda: number; items: number; validationNdcg10: number } | null = null;
  /** Catalog index of each modelled item, and the reverse map. */
  private modelled: Int32Array = new Int32Array(0);
  private slotOf: Int32Array = new Int32Array(0);
  private weights: Float32Array | null = null;
  private indexOf: ReadonlyMap<string, number> = new Map();
  private itemCount = 0;

  constructor(options: EaseOptions = {}) {
    this.lambdas = options.lambdas ?? [30, 100, 300, 1000];
    this.maxItems = options.maxItems ?? 3000;
  }

  async fit(context: TrainContext): Promise<void> {
    this.indexOf = context.indexOf;
    this.itemCount = context.catalog.length;
    const matrix = buildTrainMatrix(context);
    const byUsers = [...matrix.usersOfItem.keys()].filter((i) => matrix.usersOfItem[i]!.length > 0);
    byUsers.sort((a, b) => matrix.usersOfItem[b]!.length - matrix.usersOfItem[a]!.length || a - b);
    this.modelled = Int32Array.from(byUsers.slice(0, this.maxItems));
    const n = this.modelled.length;
    this.slotOf = new Int32Array(this.itemCount).fill(-1);
    this.modelled.forEach((item, slot) => (this.slotOf[item] = slot));
    context.log(`ease: ${n} items modelled (of ${byUsers.length} seen in training, ${this.itemCount} in the catalog)`);
    const gram = new Float64Array(n * n);
    for (const items of matrix.itemsOfUser) {
      const slots = [...items].map((i) => this.slotOf[i]!).filter((s) => s >= 0);
      for (const a of slots) for (const b of slots) gram[a * n + b]!++;
    }
    const cache = fitted.get(context.train) ?? new Map<string, { modelled: Int32Array; weights: Float32Array }>();
    fitted.set(context.train, cache);
    // The grid is extended past an end that wins (tuning.ts), so λ is never left at its edge.
    const { best } = await searchGridToInterior(this.lambdas, (lambda) => {
      const t0 = performance.now();
      const key = `${n}:${lambda}`;
      const weights = cache.get(key)?.weights ?? easeWeights(gram, n, lambda);
      cache.set(key, { modelled: this.modelled, weights });
      const ndcg = validationNdcg10(context.validation, context.indexOf, (c) => this.scoreOne(c, weights));
      context.log(`ease: λ ${lambda} → validation NDCG@10 ${ndcg.toFixed(4)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      return { score: ndcg, fitted: weights };
    });
    this.weights = best.fitted;
    this.chosen = { lambda: best.value, items: n, validationNdcg10: best.score };
    context.log(`ease: chose λ ${best.value}`);
  }

  /** The fitted dense weights [n × n] and the catalog index of each of their n items (for export). */
  get dense(): { modelled: Int32Array; weights: Float32Array } {
    if (!this.weights) throw new Error('ease: fit() first');
    return { modelled: this.modelled, weights: this.weights };
  }

  async score(cases: readonly EvalCase[]): Promise<Float32Array[]> {
    if (!this.weights) throw new Error('ease: fit() first');
    return cases.map((c) => this.scoreOne(c, this.weights!));
  }

  private scoreOne(c: EvalCase, weights: Float32Array): Float32Array {
    const n = this.modelled.length;
    const row = new Float32Array(n);
    for (const i of historyIndices(c, this.indexOf)) {
      const slot = this.slotOf[i]!;
      if (slot < 0) continue;
      for (let j = 0; j < n; j++) row[j]! += weights[slot * n + j]!;
    }
    const scores = new Float32Array(this.itemCount).fill(-Infinity);
    for (let s = 0; s < n; s++) scores[this.modelled[s]!] = row[s]!;
    return scores;
  }
}

/** B = I − P·diag(1/diag(P)), P = (G + λI)⁻¹, as float32 [n × n] (row i: what item i adds to each item). */
export function easeWeights(gram: Float64Array, n: number, lambda: number): Float32Array {
  const a = Float64Array.from(gram);
  for (let i = 0; i < n; i++) a[i * n + i]! += lambda;
  const p = invertSpd(a, n);
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = i === j ? 0 : -p[i * n + j]! / p[j * n + j]!;
  }
  return out;
}

/**
 * Inverse of a symmetric positive-definite matrix (row-major, overwritten): Cholesky A = LLᵀ,
 * then L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀL⁻¹. Every inner loop is a contiguous dot product.
 */
export function invertSpd(a: Float64Array, n: number): Float64Array {
  // Cholesky in place: the lower triangle of `a` becomes L.
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) d -= a[rj + k]! * a[rj + k]!;
    if (!(d > 0)) throw new RangeError(`ease: matrix is not positive definite at row ${j} (λ too small?)`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) s -= a[ri + k]! * a[rj + k]!;
      a[ri + j] = s / ljj;
    }
  }
  // U = (L⁻¹)ᵀ, upper triangular, row-major: column c of L⁻¹ is row c of U.
  const u = new Float64Array(n * n);
  const x = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    x.fill(0, c);
    for (let i = c; i < n; i++) {
      const ri = i * n;
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= a[ri + k]! * x[k]!;
      x[i] = s / a[ri + i]!;
    }
    u.set(x.subarray(c), c * n + c);
  }
  // A⁻¹[p][q] = Σ_k L⁻¹[k][p] L⁻¹[k][q] = Σ_{k ≥ max(p,q)} U[p][k] U[q][k].
  const inv = new Float64Array(n * n);
  for (let p = 0; p < n; p++) {
    const rp = p * n;
    for (let q = p; q < n; q++) {
      const rq = q * n;
      let s = 0;
      for (let k = q; k < n; k++) s += u[rp + k]! * u[rq + k]!;
      inv[rp + q] = s;
      inv[rq + p] = s;
    }
  }
  return inv;
}
