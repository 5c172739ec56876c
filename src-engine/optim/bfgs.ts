import { OptimizerError, type Objective, type Optimizer } from './types';
import { allFinite, lrSpec, num, type Hypers, type OptimizerDef } from './hyper';
import { StrongWolfe, WOLFE_DEFAULTS, type WolfeOptions } from './linesearch';
import { dot } from '../tensor';

/** Above this many weights the dense n×n matrix (8·n² bytes) is refused; L-BFGS is the alternative. */
export const DENSE_PARAM_LIMIT = 2000;

export function refuseLarge(name: string, size: number, alternative: string): void {
  if (size > DENSE_PARAM_LIMIT) {
    const mb = Math.ceil((8 * size * size) / 2 ** 20);
    throw new OptimizerError(
      `${name}: ${size} parameters is too many for a dense ${size}×${size} matrix (${mb} MB; the limit is ` +
        `${DENSE_PARAM_LIMIT} parameters); use ${alternative}`,
      name,
    );
  }
}

/**
 * BFGS with a dense inverse-Hessian approximation V ≈ H⁻¹ (the lecture's method; Nocedal & Wright
 * eq. 6.17): d = −V·g, η from the strong-Wolfe line search, then with s = η·d, y = gₖ₊₁ − gₖ, ρ = 1/yᵀs:
 *   V ← (I − ρ·s·yᵀ)·V·(I − ρ·y·sᵀ) + ρ·s·sᵀ
 * V starts as I; just before its first update it is scaled to (yᵀs/yᵀy)·I (N&W eq. 6.20), which
 * fixes the units of the step. Curvature check: when yᵀs ≤ 1e-10 the update would lose positive
 * definiteness, so V is reset to I (counted in `resets`); likewise if d is not a descent direction.
 * A non-finite loss or gradient leaves θ untouched; a line search that finds no finite loss resets V.
 */
class Bfgs implements Optimizer {
  readonly name = 'bfgs';
  readonly fullBatchOnly = true;
  lr: number;
  private readonly n: number;
  private readonly V: Float64Array;
  private readonly g: Float64Array;
  private readonly gPrev: Float64Array;
  private readonly s: Float64Array;
  private readonly y: Float64Array;
  private readonly Vy: Float64Array;
  private readonly d: Float64Array;
  private readonly ls: StrongWolfe;
  private readonly maxIter: number;
  private readonly tolGrad: number;
  private readonly wolfe: WolfeOptions;
  /** True when s and gPrev hold the last iteration's step and gradient. */
  private havePair = false;
  /** True while V = I and has not been updated yet (first iteration, or after a reset). */
  private identity = true;
  private last = { resets: 0, step_size: 0, evaluations: 0, curvature: 0 };

  constructor(h: Hypers, size: number) {
    this.lr = num(h, 'lr');
    this.n = size;
    this.maxIter = num(h, 'max_iter');
    this.tolGrad = num(h, 'tolerance_grad');
    this.wolfe = { ...WOLFE_DEFAULTS, c1: num(h, 'c1'), c2: num(h, 'c2') };
    this.V = new Float64Array(size * size);
    this.g = new Float64Array(size);
    this.gPrev = new Float64Array(size);
    this.s = new Float64Array(size);
    this.y = new Float64Array(size);
    this.Vy = new Float64Array(size);
    this.d = new Float64Array(size);
    this.ls = new StrongWolfe(size);
    this.setIdentity(1);
  }

  private setIdentity(scale: number): void {
    this.V.fill(0);
    for (let i = 0; i < this.n; i++) this.V[i * this.n + i] = scale;
  }

  private resetV(): void {
    this.setIdentity(1);
    this.identity = true;
    this.last.resets++;
  }

  /** Applies the curvature pair (s, y = g − gPrev) to V, or resets V when yᵀs ≤ 1e-10. */
  private update(): void {
    const { n, V, s, y, Vy, g, gPrev } = this;
    for (let i = 0; i < n; i++) y[i] = g[i] - gPrev[i];
    const ys = dot(y, s);
    this.last.curvature = ys;
    if (!(ys > 1e-10)) {
      this.resetV();
      return;
    }
    if (this.identity) this.setIdentity(ys / dot(y, y));
    this.identity = false;
    const rho = 1 / ys;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += V[i * n + j] * y[j];
      Vy[i] = acc;
    }
    const yVy = dot(y, Vy);
    const c = rho * rho * yVy + rho;
    for (let i = 0; i < n; i++) {
      const si = s[i];
      const vyi = Vy[i];
      for (let j = 0; j < n; j++) V[i * n + j] += c * si * s[j] - rho * (si * Vy[j] + vyi * s[j]);
    }
  }

  step(obj: Objective): number {
    const { n, V, g, gPrev, s, d } = this;
    const orig = obj.evaluate();
    let loss = orig;
    let evals = 1;
    g.set(obj.grad);
    if (!Number.isFinite(loss) || !allFinite(g)) return orig;
    for (let it = 0; it < this.maxIter; it++) {
      let gmax = 0;
      for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(g[i]));
      if (gmax <= this.tolGrad) break;
      if (this.havePair) this.update();
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let j = 0; j < n; j++) acc -= V[i * n + j] * g[j];
        d[i] = acc;
      }
      let gtd = dot(g, d);
      if (!(gtd < 0)) {
        this.resetV();
        for (let i = 0; i < n; i++) d[i] = -g[i];
        gtd = dot(g, d);
      }
      let t0 = this.lr;
      if (this.identity) {
        let l1 = 0;
        for (let i = 0; i < n; i++) l1 += Math.abs(g[i]);
        t0 = Math.min(1, 1 / l1) * this.lr;
      }
      const r = this.ls.search(obj, d, t0, loss, g, gtd, this.wolfe);
      evals += r.evaluations;
      if (!Number.isFinite(r.loss) || !Number.isFinite(r.t) || r.t === 0) {
        this.resetV();
        this.havePair = false;
        this.last = { ...this.last, step_size: 0, evaluations: evals };
        return orig;
      }
      const theta = obj.theta;
      for (let i = 0; i < n; i++) {
        s[i] = r.t * d[i];
        theta[i] = theta[i] + s[i];
      }
      gPrev.set(g);
      g.set(this.ls.grad);
      loss = r.loss;
      this.havePair = true;
      this.last = { ...this.last, step_size: r.t, evaluations: evals };
    }
    return orig;
  }

  stats(): Record<string, number> {
    return { ...this.last };
  }

  reset(): void {
    this.setIdentity(1);
    this.identity = true;
    this.havePair = false;
    this.last = { resets: 0, step_size: 0, evaluations: 0, curvature: 0 };
  }
}

export const BFGS_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'bfgs',
      label: 'BFGS',
      fullBatchOnly: true,
      hyper: [
        lrSpec(1, 'first trial step of the line search (1 = the quasi-Newton step)'),
        { name: 'max_iter', kind: 'int', default: 1, min: 1, doc: 'iterations per step' },
        { name: 'tolerance_grad', kind: 'number', default: 1e-10, min: 0, doc: 'no step when max|g| ≤ this' },
        { name: 'c1', kind: 'number', default: 1e-4, min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'sufficient decrease constant' },
        { name: 'c2', kind: 'number', default: 0.9, min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'curvature constant' },
      ],
      description:
        'BFGS (Broyden–Fletcher–Goldfarb–Shanno) builds an approximation V of the inverse Hessian from ' +
        'changes of weights s = ΔW and of gradients y = Δ∇E, V ← (I − ρsyᵀ)V(I − ρysᵀ) + ρssᵀ with ρ = 1/yᵀs, ' +
        'and steps along −V·∇E with a line search. V is reset to I when yᵀs ≤ 0. Dense: n² memory, ' +
        `at most ${DENSE_PARAM_LIMIT} weights (use L-BFGS beyond).`,
      stats: ['resets', 'step_size', 'evaluations', 'curvature'],
    },
    check: (h, fail) => {
      if ((h.c1 as number) >= (h.c2 as number)) fail('c2', `c2 must exceed c1, got c1 = ${h.c1}, c2 = ${h.c2}`);
    },
    create: (h, size) => {
      refuseLarge('bfgs', size, 'lbfgs');
      return new Bfgs(h, size);
    },
  },
];
