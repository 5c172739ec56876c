import type { Objective, Optimizer } from './types';
import { allFinite, lrSpec, num, type Hypers, type OptimizerDef } from './hyper';
import { StrongWolfe } from './linesearch';
import { dot } from '../tensor';

const maxAbs = (x: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
};

/**
 * Limited-memory BFGS, as torch.optim.LBFGS (1.13), iteration for iteration. One step() runs up to
 * `max_iter` iterations (`max_eval` evaluations); the direction is d = −H·g from the two-loop
 * recursion over the last `history_size` pairs (s = t·d, y = Δg) with yᵀs > 1e-10, H₀ = (yᵀs/yᵀy)·I.
 * The step t comes from the strong-Wolfe line search or is `lr` (the very first: min(1, 1/‖g‖₁)·lr).
 * Safety beyond torch: a non-finite loss or gradient at θ returns at once; a trial that makes the
 * loss non-finite is undone, the history is dropped and the step ends, so θ never becomes NaN.
 */
class Lbfgs implements Optimizer {
  readonly name = 'lbfgs';
  readonly fullBatchOnly = true;
  lr: number;
  private readonly maxIter: number;
  private readonly maxEval: number;
  private readonly tolGrad: number;
  private readonly tolChange: number;
  private readonly historySize: number;
  private readonly wolfe: boolean;
  private readonly ls: StrongWolfe;
  private readonly flat: Float64Array;
  private readonly prevFlat: Float64Array;
  private readonly d: Float64Array;
  private readonly backup: Float64Array;
  private readonly al: Float64Array;
  private yNew: Float64Array;
  private sNew: Float64Array;
  private dirs: Float64Array[] = [];
  private stps: Float64Array[] = [];
  private ro: number[] = [];
  private hDiag = 1;
  private t = 0;
  private nIter = 0;
  private last = { evaluations: 0, iterations: 0, step_size: 0 };

  constructor(h: Hypers, size: number) {
    this.lr = num(h, 'lr');
    this.maxIter = num(h, 'max_iter');
    this.maxEval = h.max_eval === null ? Math.floor((this.maxIter * 5) / 4) : num(h, 'max_eval');
    this.tolGrad = num(h, 'tolerance_grad');
    this.tolChange = num(h, 'tolerance_change');
    this.historySize = num(h, 'history_size');
    this.wolfe = h.line_search_fn === 'strong_wolfe';
    this.ls = new StrongWolfe(size);
    this.flat = new Float64Array(size);
    this.prevFlat = new Float64Array(size);
    this.d = new Float64Array(size);
    this.backup = new Float64Array(size);
    this.al = new Float64Array(this.historySize);
    this.yNew = new Float64Array(size);
    this.sNew = new Float64Array(size);
  }

  step(obj: Objective): number {
    const { flat, prevFlat, d, lr, tolGrad, tolChange } = this;
    const theta = obj.theta;
    const orig = obj.evaluate();
    let loss = orig;
    let evals = 1;
    flat.set(obj.grad);
    this.last = { evaluations: 1, iterations: 0, step_size: 0 };
    if (!Number.isFinite(loss) || !allFinite(flat)) return orig;
    if (maxAbs(flat) <= tolGrad) return orig;
    let n = 0;
    while (n < this.maxIter) {
      n++;
      this.nIter++;
      if (this.nIter === 1) {
        for (let i = 0; i < d.length; i++) d[i] = -flat[i];
        this.dirs = [];
        this.stps = [];
        this.ro = [];
        this.hDiag = 1;
      } else {
        this.direction();
      }
      prevFlat.set(flat);
      const prevLoss = loss;
      let l1 = 0;
      for (let i = 0; i < flat.length; i++) l1 += Math.abs(flat[i]);
      this.t = this.nIter === 1 ? Math.min(1, 1 / l1) * lr : lr;
      const gtd = dot(flat, d);
      if (gtd > -tolChange) break;
      let lsEvals = 0;
      let optCond = false;
      for (let i = 0; i < theta.length; i++) this.backup[i] = theta[i];
      if (this.wolfe) {
        const r = this.ls.search(obj, d, this.t, loss, flat, gtd);
        lsEvals = r.evaluations;
        if (!Number.isFinite(r.loss) || !Number.isFinite(r.t)) return this.abandon(evals + lsEvals, n, orig);
        loss = r.loss;
        this.t = r.t;
        flat.set(this.ls.grad);
        for (let i = 0; i < theta.length; i++) theta[i] = theta[i] + this.t * d[i];
        optCond = maxAbs(flat) <= tolGrad;
      } else {
        for (let i = 0; i < theta.length; i++) theta[i] = theta[i] + this.t * d[i];
        if (n !== this.maxIter) {
          loss = obj.evaluate();
          flat.set(obj.grad);
          lsEvals = 1;
          if (!Number.isFinite(loss) || !allFinite(flat)) {
            theta.set(this.backup);
            return this.abandon(evals + lsEvals, n, orig);
          }
          optCond = maxAbs(flat) <= tolGrad;
        }
      }
      evals += lsEvals;
      this.last = { evaluations: evals, iterations: n, step_size: this.t };
      if (n === this.maxIter || evals >= this.maxEval || optCond) break;
      if (maxAbs(d) * Math.abs(this.t) <= tolChange) break;
      if (Math.abs(loss - prevLoss) < tolChange) break;
    }
    return orig;
  }

  /** d = −H·g by the two-loop recursion, after adding the newest (s, y) pair when yᵀs > 1e-10. */
  private direction(): void {
    const { flat, prevFlat, d, al } = this;
    const size = flat.length;
    const y = this.yNew;
    const s = this.sNew;
    for (let i = 0; i < size; i++) {
      y[i] = flat[i] - prevFlat[i];
      s[i] = d[i] * this.t;
    }
    const ys = dot(y, s);
    if (ys > 1e-10) {
      if (this.dirs.length === this.historySize) {
        // The oldest pair's buffers become the next scratch pair.
        this.yNew = this.dirs.shift() as Float64Array;
        this.sNew = this.stps.shift() as Float64Array;
        this.ro.shift();
      } else {
        this.yNew = new Float64Array(size);
        this.sNew = new Float64Array(size);
      }
      this.dirs.push(y);
      this.stps.push(s);
      this.ro.push(1 / ys);
      this.hDiag = ys / dot(y, y);
    }
    const k = this.dirs.length;
    for (let i = 0; i < size; i++) d[i] = -flat[i];
    for (let j = k - 1; j >= 0; j--) {
      al[j] = dot(this.stps[j], d) * this.ro[j];
      const yj = this.dirs[j];
      for (let i = 0; i < size; i++) d[i] -= al[j] * yj[i];
    }
    for (let i = 0; i < size; i++) d[i] *= this.hDiag;
    for (let j = 0; j < k; j++) {
      const be = dot(this.dirs[j], d) * this.ro[j];
      const sj = this.stps[j];
      for (let i = 0; i < size; i++) d[i] += (al[j] - be) * sj[i];
    }
  }

  /** A trial went non-finite: θ is already back at the last good point; restart the history. */
  private abandon(evaluations: number, iterations: number, orig: number): number {
    this.nIter = 0;
    this.last = { evaluations, iterations, step_size: 0 };
    return orig;
  }

  stats(): Record<string, number> {
    return { ...this.last, history: this.dirs.length };
  }

  reset(): void {
    this.nIter = 0;
    this.dirs = [];
    this.stps = [];
    this.ro = [];
    this.hDiag = 1;
    this.t = 0;
    this.last = { evaluations: 0, iterations: 0, step_size: 0 };
  }
}

export const LBFGS_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'lbfgs',
      label: 'L-BFGS',
      fullBatchOnly: true,
      hyper: [
        lrSpec(1, 'step length (first trial step of the line search)'),
        { name: 'max_iter', kind: 'int', default: 20, min: 1, doc: 'iterations per step (per epoch)' },
        { name: 'max_eval', kind: 'int', default: null, nullable: true, min: 1, doc: 'evaluations per step (default max_iter·5/4)' },
        { name: 'tolerance_grad', kind: 'number', default: 1e-7, min: 0, doc: 'stop when max|g| ≤ this' },
        { name: 'tolerance_change', kind: 'number', default: 1e-9, min: 0, doc: 'stop when loss or θ change less' },
        { name: 'history_size', kind: 'int', default: 100, min: 1, doc: 'number of (s, y) pairs kept' },
        {
          name: 'line_search_fn',
          kind: 'enum',
          default: null,
          options: [null, 'strong_wolfe'],
          doc: 'null: fixed step lr; "strong_wolfe": line search',
        },
      ],
      description:
        'L-BFGS approximates Newton’s step d = −H⁻¹∇E from the last m changes of weights s and gradients y ' +
        '(two-loop recursion), without storing the n×n matrix. Each epoch runs up to max_iter iterations, ' +
        'each a line search along d. Full-batch only: noisy gradients break the curvature pairs.',
      stats: ['evaluations', 'iterations', 'step_size', 'history'],
    },
    create: (h, size) => new Lbfgs(h, size),
  },
];
