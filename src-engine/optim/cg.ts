import type { Objective, Optimizer } from './types';
import { allFinite, lrSpec, num, type Hypers, type OptimizerDef } from './hyper';
import { StrongWolfe, WOLFE_DEFAULTS, type WolfeOptions } from './linesearch';
import { dot } from '../tensor';

/**
 * Nonlinear conjugate gradients (the lecture's method, Nocedal & Wright §5.2). Directions
 * p₀ = −g₀, pₖ = −gₖ + βₖ·pₖ₋₁ with
 *   fletcher_reeves: β = gₖᵀgₖ / gₖ₋₁ᵀgₖ₋₁
 *   polak_ribiere:   β = max(0, gₖᵀ(gₖ − gₖ₋₁) / gₖ₋₁ᵀgₖ₋₁)   (PR+, which restarts itself when β < 0)
 * and η from the strong-Wolfe line search along p (c₂ = 0.1 by default, as CG needs c₂ < ½).
 * The direction restarts (β = 0, p = −g) every `restart` iterations (default: the number of
 * parameters) and whenever p is not a descent direction. Each step() runs `max_iter` iterations.
 * First trial step after a restart: min(1, 1/‖g‖₁)·lr; afterwards ηₖ₋₁·gₖ₋₁ᵀpₖ₋₁/gₖᵀpₖ.
 * A non-finite loss or gradient leaves θ untouched; so does a line search that finds no finite loss.
 */
class ConjugateGradient implements Optimizer {
  readonly name = 'cg';
  readonly fullBatchOnly = true;
  lr: number;
  private readonly polak: boolean;
  private readonly restartEvery: number;
  private readonly maxIter: number;
  private readonly tolGrad: number;
  private readonly wolfe: WolfeOptions;
  private readonly ls: StrongWolfe;
  private readonly g: Float64Array;
  private readonly gPrev: Float64Array;
  private readonly p: Float64Array;
  private fresh = true;
  private sinceRestart = 0;
  private tPrev = 0;
  private gtdPrev = 0;
  private last = { beta: 0, step_size: 0, evaluations: 0, restarts: 0 };

  constructor(h: Hypers, size: number) {
    this.lr = num(h, 'lr');
    this.polak = h.beta === 'polak_ribiere';
    this.restartEvery = h.restart === null ? Math.max(size, 1) : num(h, 'restart');
    this.maxIter = num(h, 'max_iter');
    this.tolGrad = num(h, 'tolerance_grad');
    this.wolfe = { ...WOLFE_DEFAULTS, c1: num(h, 'c1'), c2: num(h, 'c2') };
    this.ls = new StrongWolfe(size);
    this.g = new Float64Array(size);
    this.gPrev = new Float64Array(size);
    this.p = new Float64Array(size);
  }

  step(obj: Objective): number {
    const { g, gPrev, p } = this;
    const orig = obj.evaluate();
    let loss = orig;
    g.set(obj.grad);
    let evals = 1;
    if (!Number.isFinite(loss) || !allFinite(g)) return orig;
    for (let it = 0; it < this.maxIter; it++) {
      let gmax = 0;
      for (let i = 0; i < g.length; i++) gmax = Math.max(gmax, Math.abs(g[i]));
      if (gmax <= this.tolGrad) break;
      let beta = 0;
      if (!this.fresh && this.sinceRestart < this.restartEvery) {
        const gg = dot(g, g);
        const prev = dot(gPrev, gPrev);
        beta = this.polak ? Math.max(0, (gg - dot(g, gPrev)) / prev) : gg / prev;
        if (!Number.isFinite(beta)) beta = 0;
      }
      for (let i = 0; i < p.length; i++) p[i] = -g[i] + beta * p[i];
      let gtd = dot(g, p);
      if (beta !== 0 && !(gtd < 0)) {
        beta = 0;
        for (let i = 0; i < p.length; i++) p[i] = -g[i];
        gtd = dot(g, p);
      }
      if (beta === 0) {
        if (!this.fresh) this.last.restarts++;
        this.sinceRestart = 0;
      }
      let t0: number;
      if (beta === 0) {
        let l1 = 0;
        for (let i = 0; i < g.length; i++) l1 += Math.abs(g[i]);
        t0 = Math.min(1, 1 / l1) * this.lr;
      } else {
        t0 = (this.tPrev * this.gtdPrev) / gtd;
      }
      const r = this.ls.search(obj, p, t0, loss, g, gtd, this.wolfe);
      evals += r.evaluations;
      if (!Number.isFinite(r.loss) || !Number.isFinite(r.t) || r.t === 0) {
        // No usable step along p: forget the direction so the next step starts from −g.
        this.fresh = true;
        this.last = { ...this.last, beta, step_size: 0, evaluations: evals };
        return orig;
      }
      const theta = obj.theta;
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i] + r.t * p[i];
      gPrev.set(g);
      g.set(this.ls.grad);
      loss = r.loss;
      this.tPrev = r.t;
      this.gtdPrev = gtd;
      this.fresh = false;
      this.sinceRestart++;
      this.last = { ...this.last, beta, step_size: r.t, evaluations: evals };
    }
    return orig;
  }

  stats(): Record<string, number> {
    return { ...this.last };
  }

  reset(): void {
    this.fresh = true;
    this.sinceRestart = 0;
    this.tPrev = 0;
    this.gtdPrev = 0;
    this.p.fill(0);
    this.last = { beta: 0, step_size: 0, evaluations: 0, restarts: 0 };
  }
}

export const CG_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'cg',
      label: 'Conjugate gradients',
      fullBatchOnly: true,
      hyper: [
        lrSpec(1, 'scale of the first trial step of the line search'),
        {
          name: 'beta',
          kind: 'enum',
          default: 'polak_ribiere',
          options: ['fletcher_reeves', 'polak_ribiere'],
          doc: 'conjugation formula (Polak–Ribière is used as PR+: max(0, β))',
        },
        { name: 'restart', kind: 'int', default: null, nullable: true, min: 1, doc: 'restart every n iterations (default: number of weights)' },
        { name: 'max_iter', kind: 'int', default: 1, min: 1, doc: 'iterations (line searches) per step' },
        { name: 'tolerance_grad', kind: 'number', default: 1e-10, min: 0, doc: 'no step when max|g| ≤ this' },
        { name: 'c1', kind: 'number', default: 1e-4, min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'sufficient decrease constant' },
        { name: 'c2', kind: 'number', default: 0.1, min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'curvature constant (smaller: more exact line search)' },
      ],
      description:
        'Conjugate gradients: each new direction p = −∇E + β·p is conjugate to the previous ones, with ' +
        'β = gₖᵀgₖ/gₖ₋₁ᵀgₖ₋₁ (Fletcher–Reeves) or gₖᵀ(gₖ − gₖ₋₁)/gₖ₋₁ᵀgₖ₋₁ (Polak–Ribière); the step η ' +
        'along p comes from a line search, and p is reset to −∇E every n iterations. On a quadratic with ' +
        'exact line searches it reaches the minimum in at most n iterations.',
      stats: ['beta', 'step_size', 'evaluations', 'restarts'],
    },
    check: (h, fail) => {
      if ((h.c1 as number) >= (h.c2 as number)) fail('c2', `c2 must exceed c1, got c1 = ${h.c1}, c2 = ${h.c2}`);
    },
    create: (h, size) => new ConjugateGradient(h, size),
  },
];
