import { logSumExp, sumSquares, type Buf, type Mat } from '../tensor';
import type { Model } from '../graph';
import type { LossDef, RunMode } from '../layers';
import type { Objective } from '../optim';
import { entropyPenalty, l1, l2 } from '../losses';

/** Penalties added to the data loss. L1 λΣ|w| and L2 (λ/2)Σw² act on weights only (not biases). */
export interface Regularization {
  l1?: number;
  l2?: number;
  /** The lecture's entropy term λ·mean(−Σ p̂ log p̂) on the predicted class probabilities. */
  entropy?: number;
}

export interface ObjectiveOptions {
  loss: LossDef;
  mode: RunMode;
  regularization?: Regularization | null;
  /** Rescale the whole gradient to this global L2 norm when it is larger (the lecture's g := g·θ/‖g‖). */
  clipGradNorm?: number | null;
  /** Clamp every gradient component to [−v, v]. */
  clipGradValue?: number | null;
}

/**
 * The loss of a model on one batch as an optimizer's Objective: forward, loss, backward,
 * regularizers and clipping, in that order. `dataLoss` keeps the last loss without penalties.
 */
export class BatchObjective implements Objective {
  dataLoss = NaN;
  /** Data loss of the first evaluation since beginStep(): the loss "before the step". */
  stepDataLoss = NaN;
  private fresh = true;
  /** Loss evaluations so far (gradient or residual/Jacobian ones): what a step really costs. */
  evaluations = 0;
  /** Global gradient norm before clipping, from the last evaluate(). */
  gradNorm = NaN;
  /** The last evaluate()'s gradient is finite (its norm was): optimizers skip their own scan. */
  gradFinite = false;
  private dpred: Buf;
  /** Scratch for the entropy penalty and the LM Jacobian, grown once and reused every step. */
  private prob = new Float64Array(0);
  private dprob = new Float64Array(0);
  private unit = new Float64Array(0);
  private probView: Mat = { rows: -1, cols: 0, data: this.prob };
  private dprobView = this.dprob;
  /** The parameters the L1/L2 penalties act on (weights, not biases). */
  private readonly weights: Model['params'];
  readonly residuals?: Objective['residuals'];

  constructor(
    readonly model: Model,
    public x: Mat,
    public y: Mat,
    readonly opts: ObjectiveOptions,
  ) {
    this.dpred = new Float64Array(x.rows * model.outputWidth);
    this.weights = model.params.filter((p) => p.decay);
    const reg = opts.regularization;
    if (opts.loss.sumOfSquares && !reg?.l1 && !reg?.l2) {
      const self = this;
      this.residuals = {
        get count() {
          return self.x.rows * self.model.outputWidth;
        },
        get scale() {
          return 1 / (self.x.rows * self.model.outputWidth);
        },
        evaluate: (r, J) => this.evaluateResiduals(r, J),
      };
    }
  }

  get size(): number {
    return this.model.theta.length;
  }

  get theta(): Buf {
    return this.model.theta;
  }

  get grad(): Buf {
    return this.model.grad;
  }

  /** Marks the start of an optimizer step, so the next evaluation is recorded as stepDataLoss. */
  beginStep(): void {
    this.fresh = true;
  }

  private record(loss: number): void {
    this.evaluations++;
    this.dataLoss = loss;
    if (this.fresh) {
      this.stepDataLoss = loss;
      this.fresh = false;
    }
  }

  setBatch(x: Mat, y: Mat): void {
    this.x = x;
    this.y = y;
    if (this.dpred.length < x.rows * this.model.outputWidth) this.dpred = new Float64Array(x.rows * this.model.outputWidth);
  }

  evaluate(): number {
    const { model, opts } = this;
    model.zeroGrad();
    const pred = model.forward(this.x, opts.mode);
    // The loss writes the first rows·cols entries and backward reads as many: no view needed.
    const dpred = this.dpred;
    const loss = opts.loss.compute(pred, this.y, dpred);
    this.record(loss);
    let total = loss;
    const reg = opts.regularization;
    if (reg?.entropy) total += this.addEntropy(pred, dpred, reg.entropy);
    model.backward(dpred, opts.mode);
    if (reg && (reg.l1 || reg.l2)) total += this.addPenalties(reg);
    this.clip();
    return total;
  }

  /**
   * Entropy of the predictions, with its gradient chained back to the output layer and added into
   * dpred. Probabilities come as the loss reads its outputs (LossDef.probabilities): the output itself
   * (bce), sigmoid of a logit (bce_logits), softmax (cross_entropy) or exp of log-probabilities (nll,
   * kl); a binary unit p counts as the two classes p and 1 − p.
   */
  private addEntropy(pred: Mat, dpred: Buf, lambda: number): number {
    const how = this.opts.loss.probabilities;
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

  private addPenalties(reg: Regularization): number {
    const { theta, grad } = this.model;
    const weights = this.weights;
    return (reg.l1 ? l1(theta, grad, weights, reg.l1) : 0) + (reg.l2 ? l2(theta, grad, weights, reg.l2) : 0);
  }

  private clip(): void {
    const { clipGradNorm, clipGradValue } = this.opts;
    const g = this.model.grad;
    const s = sumSquares(g);
    this.gradNorm = Math.sqrt(s);
    // A finite Σg² means every gᵢ is finite, and clipping keeps it so; an infinite one may be overflow: scan then.
    this.gradFinite = Number.isFinite(s);
    if (clipGradValue != null) {
      for (let i = 0; i < g.length; i++) g[i] = Math.min(clipGradValue, Math.max(-clipGradValue, g[i]));
    }
    if (clipGradNorm != null && this.gradNorm > clipGradNorm) {
      // As torch.nn.utils.clip_grad_norm_: coefficient max_norm / (norm + 1e-6).
      const c = clipGradNorm / (this.gradNorm + 1e-6);
      for (let i = 0; i < g.length; i++) g[i] *= c;
    }
  }

  /** r = pred − target (row-major), J[i][j] = ∂rᵢ/∂θⱼ by one backward pass per residual. */
  private evaluateResiduals(r: Float64Array, J: Float64Array): number {
    const { model, opts } = this;
    this.gradFinite = false;
    const pred = model.forward(this.x, opts.mode);
    const m = pred.cols;
    const count = pred.rows * m;
    let ss = 0;
    for (let i = 0; i < count; i++) {
      r[i] = pred.data[i] - this.y.data[i];
      ss += r[i] * r[i];
    }
    if (this.unit.length < count) this.unit = new Float64Array(count);
    const onehot = this.unit.subarray(0, count);
    onehot.fill(0);
    const P = model.theta.length;
    for (let i = 0; i < count; i++) {
      onehot[i] = 1;
      model.zeroGrad();
      model.backward(onehot, opts.mode);
      J.set(model.grad, i * P);
      onehot[i] = 0;
    }
    model.zeroGrad();
    const loss = ss / count;
    this.record(loss);
    return loss;
  }
}
