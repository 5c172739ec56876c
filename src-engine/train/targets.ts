/**
 * Class targets as a loss expects them, and accuracy read the same way. A data set stores classes as
 * an index column (0…k−1) or one-hot rows; the loss says what it takes (LossDef.targets) and the
 * output layer says what range its units have. TrainingSession encodes once, here, for every caller.
 */
import { analyzeGraph, type GraphSpec } from '../graph';
import type { LossDef } from '../layers';
import { argmax, type Mat } from '../tensor';

/** Output activations whose range is (−1, 1): class targets for them are ±1, as in the Playground. */
const SYMMETRIC_OUTPUTS = new Set(['Tanh', 'Hardtanh', 'Softsign', 'BipolarSigmoid', 'Sign']);

/**
 * How targets encode classes: a class index in column 0; one-hot rows with `low` for "not this class";
 * one binary column per output unit (`low` for negative, 1 for positive); or plain regression values.
 */
export type TargetEncoding =
  | { kind: 'index' }
  | { kind: 'onehot'; low: 0 | -1 }
  | { kind: 'binary'; low: 0 | -1 }
  | { kind: 'real' };

/** The encoding a loss needs for class data, given the model's output width and its last node's type. */
export function classEncoding(loss: LossDef, outputWidth: number, outputType: string): TargetEncoding {
  const low = loss.targets === 'real' && SYMMETRIC_OUTPUTS.has(outputType) ? -1 : 0;
  if (loss.targets === 'index') return { kind: 'index' };
  if (loss.targets === 'onehot' || outputWidth > 1) return { kind: 'onehot', low };
  return { kind: 'binary', low };
}

/** The output node's width and type, read from the graph. */
export function outputOf(graph: GraphSpec): { width: number | undefined; type: string } {
  const out = graph.outputs[0];
  return { width: analyzeGraph(graph).widths[out], type: graph.nodes.find((n) => n.id === out)?.type ?? '' };
}

/** Class index of each row: column 0 of an index column, else the arg-max of a one-hot row. */
function classIndices(y: readonly (readonly number[])[]): number[] {
  return y.map((r) => (r.length === 1 ? r[0] : argmax(r)));
}

/** Class targets (index column or one-hot rows) in the given encoding. */
export function encodeClasses(y: readonly (readonly number[])[], enc: TargetEncoding, width: number): number[][] {
  const index = classIndices(y);
  switch (enc.kind) {
    case 'index':
      return index.map((c) => [c]);
    case 'onehot':
      return index.map((c) => Array.from({ length: width }, (_, j) => (j === c ? 1 : enc.low)));
    case 'binary':
      return index.map((c) => [c > 0 ? 1 : enc.low]);
    case 'real':
      return y.map((r) => [...r]);
  }
}

/**
 * The encoding already used by targets that came without a task (a CSV of targets on the command
 * line): nothing is re-encoded, accuracy just reads them as they are.
 */
export function inferEncoding(loss: LossDef, y: readonly (readonly number[])[]): TargetEncoding {
  if (loss.targets === 'index') return { kind: 'index' };
  const cols = y[0]?.length ?? 1;
  let lo = Infinity;
  for (const r of y) for (const v of r) lo = Math.min(lo, v);
  const low = lo < 0 ? -1 : 0;
  return cols > 1 ? { kind: 'onehot', low } : { kind: 'binary', low };
}

/** True when targets without a stated task look like class labels for this loss. */
export function looksLikeClasses(loss: LossDef, y: readonly (readonly number[])[]): boolean {
  if (loss.probabilities !== null) return true;
  const values = new Set<number>();
  for (const row of y) {
    for (const v of row) {
      values.add(v);
      if (values.size > 2) return false;
    }
  }
  return values.size === 2;
}

/**
 * Fraction of rows classified correctly, reading outputs as the loss does: the arg-max for one-hot
 * and index targets, else per unit against the decision threshold — 0 for logits (bce_logits), 0.5 for
 * probabilities, and the midpoint of the encoding (0 for ±1, 0.5 for 0/1) for regression-style losses.
 */
export function accuracy(loss: LossDef, enc: TargetEncoding, pred: Mat, target: Mat): number {
  const n = pred.rows;
  const m = pred.cols;
  if (n === 0) return NaN;
  let correct = 0;
  if (enc.kind === 'index') {
    for (let r = 0; r < n; r++) if (argmax(pred.data, r * m, m) === target.data[r * target.cols]) correct++;
    return correct / n;
  }
  if (enc.kind === 'onehot' && m > 1) {
    for (let r = 0; r < n; r++) if (argmax(pred.data, r * m, m) === argmax(target.data, r * m, m)) correct++;
    return correct / n;
  }
  const low = enc.kind === 'real' ? 0 : enc.low;
  const mid = (low + 1) / 2;
  const threshold = loss.probabilities === 'sigmoid' ? 0 : loss.probabilities === 'identity' ? 0.5 : mid;
  const total = n * m;
  for (let i = 0; i < total; i++) if (pred.data[i] > threshold === target.data[i] > mid) correct++;
  return correct / total;
}
