import { Rng, sumSquares, type Buf, type Mat } from '../tensor';
import type { Model } from '../graph';
import type { LossDef, RunMode } from '../layers';
import type { Objective } from '../optim';
import { l1, l2 } from '../losses';
import { EntropyTerm } from './entropy';
import { gatherRows, reduceLosses, reduceShards, shardCount, shardSeed, shardStart, shardWeight, type ShardPeers } from './shards';

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
  /**
   * The layer of each of model.params (an index), to keep each layer's Σg² of the final gradient in
   * `layerSq` — measured in the pass clipping makes anyway, not in one more pass over the gradient.
   */
  layerOf?: Int32Array;
  /** Data parallelism: k shards per batch, shards 1…k−1 computed by `peers` (train/parallel.ts). */
  shards?: { k: number; peers: ShardPeers };
}

/**
 * The loss of a model on one batch as an optimizer's Objective: forward, loss, backward,
 * regularizers and clipping, in that order. `dataLoss` keeps the last loss without penalties.
 * The batch is a matrix (setBatch) or rows of the training set (setRows), which evaluate() gathers
 * straight into the model's input. With `shards` the batch's gradient is the shard-order reduction
 * of its shards' gradients (train/parallel.ts); penalties and clipping then act on the sum.
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
  /** Scratch for the LM Jacobian, grown once and reused. */
  private readonly entropy: EntropyTerm;
  private unit = new Float64Array(0);
  /** The parameters the L1/L2 penalties act on (weights, not biases). */
  private readonly weights: Model['params'];
  readonly residuals?: Objective['residuals'];
  /** Per layer (ObjectiveOptions.layerOf): Σg² of the last evaluation's final gradient (after penalties and clipping). */
  readonly layerSq: Float64Array;
  /** Rows of a training set to gather (setRows), else null: the batch is `x`, `y`. */
  private source: { x: Mat; y: Mat } | null = null;
  private rows: Int32Array | null = null;
  private from = 0;
  private to = 0;
  /** The gathered targets: a view of yBuf, re-made only when the batch's row count changes. */
  private yBuf = new Float64Array(0);
  private yBatch: Mat = { rows: -1, cols: 0, data: this.yBuf };
  /** The data loss of the last batchGradient(). */
  private lastLoss = NaN;
  /** Random layers of shard 0 draw from this, reseeded every step (the others in their ShardWorkers). */
  private readonly shardMode: RunMode;

  constructor(
    readonly model: Model,
    public x: Mat,
    public y: Mat,
    readonly opts: ObjectiveOptions,
  ) {
    this.dpred = new Float64Array(x.rows * model.outputWidth);
    this.weights = model.params.filter((p) => p.decay);
    this.layerSq = new Float64Array(opts.layerOf ? Math.max(0, ...opts.layerOf) + 1 : 0);
    this.shardMode = { ...opts.mode, rng: new Rng(0) };
    this.entropy = new EntropyTerm(opts.loss);
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
    this.source = null;
    this.growDpred(x.rows);
  }

  /**
   * The batch is rows[from…to) of the training set `source` (x in the model's dtype): evaluate()
   * copies them straight into the model's input buffer, with no batch matrix between.
   */
  setRows(source: { x: Mat; y: Mat }, rows: Int32Array, from: number, to: number): void {
    this.source = source;
    this.rows = rows;
    this.from = from;
    this.to = to;
    this.growDpred(to - from);
  }

  private growDpred(rows: number): void {
    if (this.dpred.length < rows * this.model.outputWidth) this.dpred = new Float64Array(rows * this.model.outputWidth);
  }

  evaluate(): number {
    const { model, opts } = this;
    model.zeroGrad();
    let total: number;
    /** Σg² when the reduction measured it already. */
    let squares: number | undefined;
    if (opts.shards && this.source) [total, squares] = this.shardedGradient(opts.shards.k, opts.shards.peers);
    else {
      total = this.batchGradient(opts.mode, this.from, this.to);
      this.record(this.lastLoss);
    }
    const reg = opts.regularization;
    if (reg && (reg.l1 || reg.l2)) {
      total += this.addPenalties(reg);
      squares = undefined;
    }
    this.clip(squares);
    return total;
  }

  /**
   * The data loss (recorded as dataLoss) plus the entropy penalty, their gradient in model.grad:
   * evaluate() without L1/L2, clipping or shards — what one shard of a data-parallel batch computes.
   */
  evaluateData(): number {
    this.model.zeroGrad();
    const total = this.batchGradient(this.opts.mode, this.from, this.to);
    this.record(this.lastLoss);
    return total;
  }

  /**
   * Forward, loss, entropy and backward on the batch — for gathered rows, on rows[a…b) of it — with
   * the gradient accumulated into model.grad. Returns loss + entropy; the loss alone is in lastLoss.
   */
  private batchGradient(mode: RunMode, a: number, b: number): number {
    const { model, opts } = this;
    let x = this.x;
    let y = this.y;
    if (this.source) {
      const n = b - a;
      x = model.input(n);
      gatherRows(this.source.x, this.rows!, a, b, x.data);
      y = this.gatherTargets(a, b);
    }
    const pred = model.forward(x, mode);
    // The loss writes the first rows·cols entries and backward reads as many: no view needed.
    const dpred = this.dpred;
    const loss = opts.loss.compute(pred, y, dpred);
    this.lastLoss = loss;
    let total = loss;
    const reg = opts.regularization;
    if (reg?.entropy) total += this.entropy.add(pred, dpred, reg.entropy);
    model.backward(dpred, mode);
    return total;
  }

  private gatherTargets(a: number, b: number): Mat {
    const src = this.source!.y;
    const n = b - a;
    let y = this.yBatch;
    if (y.rows !== n || y.cols !== src.cols) {
      if (this.yBuf.length < n * src.cols) this.yBuf = new Float64Array(n * src.cols);
      y = this.yBatch = { rows: n, cols: src.cols, data: this.yBuf.subarray(0, n * src.cols) };
    }
    gatherRows(src, this.rows!, a, b, y.data);
    return y;
  }

  /**
   * The batch's gradient from k shards: shards 1…k−1 started on the peers, shard 0 here, then
   * g = Σ_s (n_s/n)·g_s in shard order, summed in double and rounded once into model.grad; the loss
   * likewise. One step seed from this objective's stream; shard s's random layers use shardSeed(seed, s).
   */
  private shardedGradient(kMax: number, peers: ShardPeers): [number, number | undefined] {
    const { model } = this;
    const from = this.from;
    const n = this.to - from;
    const k = shardCount(n, kMax);
    const seed = this.opts.mode.rng.nextUint32();
    if (k > 1) peers.start(model.theta, this.rows!, from, this.to, k, seed);
    this.shardMode.rng.reset(shardSeed(seed, 0));
    const n0 = shardStart(n, k, 1);
    let total = this.batchGradient(this.shardMode, from, from + n0);
    let loss = this.lastLoss;
    let squares: number | undefined;
    if (k > 1) {
      const others = peers.finish();
      const layerOf = this.opts.layerOf ?? null;
      // Two shards (the common case) blend in one SIMD pass that also measures Σg² per layer.
      if (k === 2) squares = model.blendGrad(others[0].grad, shardWeight(n, k, 0), shardWeight(n, k, 1), layerOf, layerOf ? this.layerSq : null);
      else reduceShards(model.grad, others, n, k);
      ({ dataLoss: loss, total } = reduceLosses({ dataLoss: loss, total }, others, n, k));
    }
    this.record(loss);
    return [total, squares];
  }

  private addPenalties(reg: Regularization): number {
    const { theta, grad } = this.model;
    const weights = this.weights;
    return (reg.l1 ? l1(theta, grad, weights, reg.l1) : 0) + (reg.l2 ? l2(theta, grad, weights, reg.l2) : 0);
  }

  /** Measures the gradient's norm (Σg² given when already known, with layerSq) and clips it. */
  private clip(squares?: number): void {
    const { clipGradNorm, clipGradValue, layerOf } = this.opts;
    const g = this.model.grad;
    const s = squares ?? (layerOf ? this.model.gradSquares(layerOf, this.layerSq) : sumSquares(g));
    this.gradNorm = Math.sqrt(s);
    // A finite Σg² means every gᵢ is finite, and clipping keeps it so; an infinite one may be overflow: scan then.
    this.gradFinite = Number.isFinite(s);
    let clipped = false;
    if (clipGradValue != null) {
      for (let i = 0; i < g.length; i++) g[i] = Math.min(clipGradValue, Math.max(-clipGradValue, g[i]));
      clipped = true;
    }
    if (clipGradNorm != null && this.gradNorm > clipGradNorm) {
      // As torch.nn.utils.clip_grad_norm_: coefficient max_norm / (norm + 1e-6).
      const c = clipGradNorm / (this.gradNorm + 1e-6);
      for (let i = 0; i < g.length; i++) g[i] *= c;
      clipped = true;
    }
    // The per-layer sums describe the gradient the optimizer gets: measured again once clipping changed it.
    if (clipped && layerOf) this.model.gradSquares(layerOf, this.layerSq);
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
    this.layerSq.fill(0);
    const loss = ss / count;
    this.record(loss);
    return loss;
  }
}
