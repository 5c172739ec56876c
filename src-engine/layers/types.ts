import type { Buf, Mat, Rng } from '../tensor';

/** An attribute a node type accepts (PyTorch's name), with what the inspector needs to edit it. */
export interface AttrSpec {
  name: string;
  kind: 'int' | 'number' | 'bool' | 'enum';
  default: number | boolean | string;
  min?: number;
  max?: number;
  /** True if min/max are exclusive bounds. */
  exclusive?: boolean;
  options?: string[];
  help?: string;
}

export type AttrValue = number | boolean | string;
export type Attrs = Record<string, AttrValue>;

/** What the UI shows for a node type: formula, derivative and a one-line note from the lectures. */
export interface LayerDoc {
  label: string;
  formula: string;
  derivative: string;
  note: string;
}

/**
 * An element-wise activation y = f(x). `df` is dy/dx given x and y (so sigmoid can use y(1−y)).
 * At kinks, df follows PyTorch's backward (e.g. ReLU'(0) = 0, LeakyReLU'(0) = negative_slope).
 */
export interface ActivationDef {
  type: string;
  attrs: AttrSpec[];
  f(x: number, a: Attrs): number;
  df(x: number, y: number, a: Attrs): number;
  doc: LayerDoc;
}

/**
 * What targets a loss takes: a class index per row (cross_entropy, nll), a probability row (kl, one-hot
 * for class data), 0/1 per output unit (bce, bce_logits), or any real numbers (mse, mae, huber — class
 * data is encoded for the output layer: ±1 for tanh-like units, else 0/1).
 */
export type LossTargets = 'index' | 'onehot' | 'binary' | 'real';

/**
 * How the outputs a loss expects become class probabilities (for accuracy's decision threshold and the
 * entropy penalty): the output itself (after Sigmoid), sigmoid of a logit, softmax of logits, exp of
 * log-probabilities; null for regression-style losses, whose outputs are not probabilities.
 */
export type LossProbabilities = 'identity' | 'sigmoid' | 'softmax' | 'exp' | null;

/** A loss over a batch. pred [n][m]; target [n][targetWidth(m)]. Reductions follow PyTorch's defaults. */
export interface LossDef {
  name: string;
  label: string;
  targets: LossTargets;
  probabilities: LossProbabilities;
  /** Width of the target rows for a prediction of width m (1 for class-index losses). */
  targetWidth(m: number): number;
  /** True for sum-of-squares losses (mse): loss = scale·Σ r², usable by Levenberg–Marquardt. */
  sumOfSquares: boolean;
  /** Mean loss; if dpred is given, writes ∂loss/∂pred into it (same layout as pred.data). */
  compute(pred: Mat, target: Mat, dpred: Buf | null): number;
  /** What the output layer should be, e.g. "probabilities (Sigmoid)" or "logits". */
  expects: string;
  doc: { formula: string; note: string };
}

export type { Buf, Mat, Rng };
