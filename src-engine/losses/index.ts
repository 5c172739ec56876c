import { NeurographError } from '../errors';
import { logSumExp, type Buf, type Mat } from '../tensor';
import type { LossDef } from '../layers';

/**
 * Losses with PyTorch's default reductions: mse, mae, huber, bce, bce_logits average over all
 * n·m elements; cross_entropy and nll over rows; kl is `batchmean` (sum / rows).
 * Each computes the mean loss and, when asked, ∂loss/∂pred in the same pass.
 */

/** A batch whose target does not fit the prediction; names the loss and both shapes. */
export class LossError extends NeurographError {
  constructor(message: string, readonly loss: string) {
    super(message, 'loss_mismatch', 'training.loss');
  }
}

function checkShapes(name: string, pred: Mat, target: Mat, width: number, dpred: Buf | null): void {
  if (target.rows !== pred.rows || target.cols !== width) {
    throw new LossError(`${name}: target is ${target.rows}×${target.cols}, but a prediction of ${pred.rows}×${pred.cols} needs ${pred.rows}×${width}`, name);
  }
  if (dpred && dpred.length < pred.rows * pred.cols) {
    throw new LossError(`${name}: gradient buffer holds ${dpred.length} values, needs ${pred.rows * pred.cols}`, name);
  }
}

function classIndex(target: Mat, r: number, m: number, name: string): number {
  const c = target.data[r * target.cols];
  if (!Number.isInteger(c) || c < 0 || c >= m) {
    throw new LossError(`${name}: row ${r + 1} has class ${c}, but the output has ${m} classes (0…${m - 1})`, name);
  }
  return c;
}

const elementwise = (
  name: string,
  label: string,
  expects: string,
  doc: LossDef['doc'],
  f: (p: number, t: number) => number,
  df: (p: number, t: number) => number,
  kind: { targets: LossDef['targets']; probabilities: LossDef['probabilities']; sumOfSquares?: boolean } = { targets: 'real', probabilities: null },
): LossDef => ({
  name,
  label,
  expects,
  targets: kind.targets,
  probabilities: kind.probabilities,
  doc,
  sumOfSquares: kind.sumOfSquares ?? false,
  targetWidth: (m) => m,
  compute(pred: Mat, target: Mat, dpred: Buf | null) {
    checkShapes(name, pred, target, pred.cols, dpred);
    const n = pred.rows * pred.cols;
    let s = 0;
    for (let i = 0; i < n; i++) s += f(pred.data[i], target.data[i]);
    if (dpred) for (let i = 0; i < n; i++) dpred[i] = df(pred.data[i], target.data[i]) / n;
    return s / n;
  },
});

/** Huber loss with threshold δ: ½d² for |d| ≤ δ, δ(|d| − ½δ) beyond (PyTorch's huber_loss). */
export function huber(delta = 1): LossDef {
  if (!(delta > 0) || !Number.isFinite(delta)) throw new LossError(`huber: delta must be a finite number > 0, got ${delta}`, 'huber');
  return elementwise(
    'huber',
    'Huber',
    'any real outputs (regression)',
    { formula: 'L = mean(½d² if |d| ≤ δ else δ(|d| − ½δ)),  d = ŷ − y', note: 'Quadratic near zero, linear for outliers: less sensitive to them than MSE.' },
    (p, t) => {
      const d = Math.abs(p - t);
      return d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
    },
    (p, t) => {
      const d = p - t;
      return d < -delta ? -delta : d > delta ? delta : d;
    },
  );
}

const LOG_MIN = -100; // PyTorch's binary_cross_entropy clamps log(·) at −100

const TABLE: Record<string, LossDef> = {
    mse: elementwise(
      'mse',
      'Mean squared error',
      'any real outputs (regression; Playground uses it with tanh outputs)',
      { formula: 'L = mean((ŷ − y)²)', note: 'The lecture\'s E = ½(y − ŷ)² up to the factor ½ (which only rescales the learning rate).' },
      (p, t) => (p - t) * (p - t),
      (p, t) => 2 * (p - t),
      { targets: 'real', probabilities: null, sumOfSquares: true },
    ),
    mae: elementwise(
      'mae',
      'Mean absolute error (L1)',
      'any real outputs (regression)',
      { formula: 'L = mean(|ŷ − y|)', note: 'Robust to outliers; its gradient has constant size, ±1 (0 at ŷ = y, as PyTorch).' },
      (p, t) => Math.abs(p - t),
      (p, t) => Math.sign(p - t),
    ),
    huber: huber(1),
    bce: elementwise(
      'bce',
      'Binary cross-entropy',
      'probabilities in [0, 1] (end with Sigmoid)',
      { formula: 'L = −mean(y·log ŷ + (1 − y)·log(1 − ŷ))', note: 'For a Sigmoid output; use bce_logits on raw outputs for numerical stability.' },
      (p, t) => -(t * Math.max(Math.log(p), LOG_MIN) + (1 - t) * Math.max(Math.log(1 - p), LOG_MIN)),
      // PyTorch: (p − t) / max((1 − p)·p, 1e-12)
      (p, t) => (p - t) / Math.max((1 - p) * p, 1e-12),
      { targets: 'binary', probabilities: 'identity' },
    ),
    bce_logits: elementwise(
      'bce_logits',
      'Binary cross-entropy on logits',
      'raw scores (no Sigmoid at the end)',
      { formula: 'L = mean(max(z,0) − z·y + log(1 + e^−|z|))', note: 'Sigmoid and BCE fused: stays finite for any score.' },
      (z, t) => Math.max(z, 0) - z * t + Math.log1p(Math.exp(-Math.abs(z))),
      (z, t) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))) - t,
      { targets: 'binary', probabilities: 'sigmoid' },
    ),
    cross_entropy: {
      name: 'cross_entropy',
      label: 'Cross-entropy (logits, class index)',
      expects: 'raw scores, one per class; target = class index in column 0',
      doc: { formula: 'L = −mean(log softmax(z)_y)', note: 'Softmax and negative log-likelihood fused; the classic multi-class loss.' },
      targets: 'index',
      probabilities: 'softmax',
      sumOfSquares: false,
      targetWidth: () => 1,
      compute(pred, target, dpred) {
        checkShapes('cross_entropy', pred, target, 1, dpred);
        const m = pred.cols;
        let s = 0;
        for (let r = 0; r < pred.rows; r++) {
          const o = r * m;
          const c = classIndex(target, r, m, 'cross_entropy');
          const lse = logSumExp(pred.data, o, m);
          s += lse - pred.data[o + c];
          if (dpred) for (let i = 0; i < m; i++) dpred[o + i] = (Math.exp(pred.data[o + i] - lse) - (i === c ? 1 : 0)) / pred.rows;
        }
        return s / pred.rows;
      },
    },
    nll: {
      name: 'nll',
      label: 'Negative log-likelihood',
      expects: 'log-probabilities (end with LogSoftmax); target = class index',
      doc: { formula: 'L = −mean(ŷ_y)', note: 'Pair with a LogSoftmax output; together they equal cross_entropy.' },
      targets: 'index',
      probabilities: 'exp',
      sumOfSquares: false,
      targetWidth: () => 1,
      compute(pred, target, dpred) {
        checkShapes('nll', pred, target, 1, dpred);
        const m = pred.cols;
        let s = 0;
        if (dpred) dpred.fill(0, 0, pred.rows * m);
        for (let r = 0; r < pred.rows; r++) {
          const c = classIndex(target, r, m, 'nll');
          s -= pred.data[r * m + c];
          if (dpred) dpred[r * m + c] = -1 / pred.rows;
        }
        return s / pred.rows;
      },
    },
    kl: {
      name: 'kl',
      label: 'KL divergence',
      expects: 'log-probabilities (end with LogSoftmax); target = probabilities',
      doc: { formula: 'L = Σ y·(log y − ŷ) / n   (batchmean)', note: 'How far the predicted distribution is from the target one; 0·log 0 counts as 0.' },
      targets: 'onehot',
      probabilities: 'exp',
      sumOfSquares: false,
      targetWidth: (m) => m,
      compute(pred, target, dpred) {
        checkShapes('kl', pred, target, pred.cols, dpred);
        const n = pred.rows * pred.cols;
        let s = 0;
        for (let i = 0; i < n; i++) {
          const t = target.data[i];
          s += (t > 0 ? t * Math.log(t) : 0) - t * pred.data[i];
          if (dpred) dpred[i] = -t / pred.rows;
        }
        return s / pred.rows;
      },
    },
};

/** Every loss by name (a prototype-free table, so 'constructor' is not a loss). */
export const LOSSES: Readonly<Record<string, LossDef>> = Object.freeze(Object.assign(Object.create(null) as Record<string, LossDef>, TABLE));

/** The loss named `name`, or undefined (never a prototype property). */
export function lossDef(name: string): LossDef | undefined {
  return Object.prototype.hasOwnProperty.call(LOSSES, name) ? LOSSES[name] : undefined;
}

/** Losses whose outputs read as class probabilities: the ones the entropy penalty can act on. */
export const PROBABILITY_LOSSES: readonly string[] = Object.values(LOSSES).filter((l) => l.probabilities !== null).map((l) => l.name);

export const LOSS_CATALOG = Object.values(LOSSES).map((l) => ({ name: l.name, label: l.label, expects: l.expects, targets: l.targets, probabilities: l.probabilities, doc: l.doc }));

export { l1, l2, entropyPenalty, RegularizerError } from './regularizers';
export type { ParamSpan } from './regularizers';
