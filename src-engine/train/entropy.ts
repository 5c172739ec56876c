/**
 * The lecture's entropy penalty as BatchObjective adds it: λ·mean(−Σ p̂ log p̂) of the predicted class
 * probabilities, its gradient chained back to the output layer. Its scratch is grown once and reused.
 */
import type { LossDef } from '../layers';
import { entropyPenalty } from '../losses';
import { logSumExp, type Buf, type Mat } from '../tensor';

export class EntropyTerm {
  private prob = new Float64Array(0);
  private dprob = new Float64Array(0);
  private probView: Mat = { rows: -1, cols: 0, data: this.prob };
  private dprobView = this.dprob;

  constructor(private readonly loss: LossDef) {}

  /**
   * Entropy of the predictions, with its gradient chained back to the output layer and added into
   * dpred. Probabilities come as the loss reads its outputs (LossDef.probabilities): the output itself
   * (bce), sigmoid of a logit (bce_logits), softmax (cross_entropy) or exp of log-probabilities (nll,
   * kl); a binary unit p counts as the two classes p and 1 − p.
   */
  add(pred: Mat, dpred: Buf, lambda: number): number {
    const how = this.loss.probabilities;
    const n = pred.rows;
    const m = pred.cols;
    const binary = how === 'identity' || how === 'sigmoid';
    const k = binary ? 2 * m : m;
    if (this.prob.length < n * k) {
      this.prob = new Float64Array(n * k);
      this.dprob = new Float64Array(n * k);
    }
    // Views re-made only when the batch shape changes (the last batch of an epoch), not every step.
    let prob = this.probView;
    if (prob.rows !== n || prob.cols !== k || prob.data.buffer !== this.prob.buffer) {
      prob = this.probView = { rows: n, cols: k, data: this.prob.subarray(0, n * k) };
      this.dprobView = this.dprob.subarray(0, n * k);
    }
    const g = this.dprobView;
    g.fill(0);
    for (let r = 0; r < n; r++) {
      const o = r * m;
      if (binary) {
        for (let j = 0; j < m; j++) {
          const z = pred.data[o + j];
          const p = how === 'identity' ? z : 1 / (1 + Math.exp(-z));
          prob.data[r * k + 2 * j] = p;
          prob.data[r * k + 2 * j + 1] = 1 - p;
        }
      } else if (how === 'softmax') {
        const lse = logSumExp(pred.data, o, m);
        for (let j = 0; j < m; j++) prob.data[o + j] = Math.exp(pred.data[o + j] - lse);
      } else for (let j = 0; j < m; j++) prob.data[o + j] = Math.exp(pred.data[o + j]);
    }
    const value = entropyPenalty(prob, lambda, g);
    for (let r = 0; r < n; r++) {
      const o = r * m;
      if (binary) {
        for (let j = 0; j < m; j++) {
          const p = prob.data[r * k + 2 * j];
          const dp = g[r * k + 2 * j] - g[r * k + 2 * j + 1];
          dpred[o + j] += how === 'identity' ? dp : dp * p * (1 - p);
        }
      } else if (how === 'softmax') {
        let s = 0;
        for (let j = 0; j < m; j++) s += g[o + j] * prob.data[o + j];
        for (let j = 0; j < m; j++) dpred[o + j] += prob.data[o + j] * (g[o + j] - s);
      } else for (let j = 0; j < m; j++) dpred[o + j] += g[o + j] * prob.data[o + j];
    }
    return value;
  }
}
