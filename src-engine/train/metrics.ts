import type { Mat } from '../tensor';

/**
 * Fraction of rows classified correctly, judged by what the loss implies about the output:
 * class index (cross_entropy, nll), per-unit threshold (bce 0.5, bce_logits 0), arg-max of a
 * one-hot/probability target (kl, or several outputs), or the sign/midpoint of ±1 / 0–1 targets.
 */
export function accuracy(loss: string, pred: Mat, target: Mat): number {
  const n = pred.rows;
  const m = pred.cols;
  if (n === 0) return NaN;
  let correct = 0;
  const argmax = (d: ArrayLike<number>, o: number, w: number) => {
    let best = 0;
    for (let i = 1; i < w; i++) if (d[o + i] > d[o + best]) best = i;
    return best;
  };
  if (loss === 'cross_entropy' || loss === 'nll') {
    for (let r = 0; r < n; r++) if (argmax(pred.data, r * m, m) === target.data[r * target.cols]) correct++;
    return correct / n;
  }
  if (m > 1 && target.cols === m && loss !== 'bce' && loss !== 'bce_logits') {
    for (let r = 0; r < n; r++) if (argmax(pred.data, r * m, m) === argmax(target.data, r * m, m)) correct++;
    return correct / n;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < target.data.length; i++) {
    lo = Math.min(lo, target.data[i]);
    hi = Math.max(hi, target.data[i]);
  }
  const threshold = loss === 'bce_logits' ? 0 : loss === 'bce' ? 0.5 : lo < 0 ? 0 : 0.5;
  const tThreshold = loss === 'bce' || loss === 'bce_logits' ? 0.5 : (lo + hi) / 2;
  let total = 0;
  for (let i = 0; i < n * m; i++) {
    total++;
    if (pred.data[i] > threshold === target.data[i] > tThreshold) correct++;
  }
  return correct / total;
}

/** True when targets look like class labels (a classification task) for this loss. */
export function isClassification(loss: string, y: number[][]): boolean {
  if (['cross_entropy', 'nll', 'bce', 'bce_logits', 'kl'].includes(loss)) return true;
  const values = new Set<number>();
  for (const row of y) for (const v of row) {
    values.add(v);
    if (values.size > 2) return false;
  }
  return values.size === 2;
}
