import { OptimizerError, type Objective, type Optimizer } from './types';
import { lrSpec, num, type Hypers, type OptimizerDef } from './hyper';
import { DENSE_PARAM_LIMIT, refuseLarge } from './bfgs';

/**
 * In-place Cholesky factorization of the symmetric n×n matrix M (row-major) into its lower
 * triangle L, M = L·Lᵀ. Returns false when M is not (numerically) positive definite.
 */
export function cholesky(M: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let diag = M[j * n + j];
    for (let k = 0; k < j; k++) diag -= M[j * n + k] ** 2;
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    M[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let v = M[i * n + j];
      for (let k = 0; k < j; k++) v -= M[i * n + k] * M[j * n + k];
      M[i * n + j] = v / ljj;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b in place (b becomes x), L from cholesky(). */
export function choleskySolve(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let v = b[i];
    for (let k = 0; k < i; k++) v -= L[i * n + k] * b[k];
    b[i] = v / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let v = b[i];
    for (let k = i + 1; k < n; k++) v -= L[k * n + i] * b[k];
    b[i] = v / L[i * n + i];
  }
}

/**
 * Levenberg–Marquardt for sum-of-squares losses E = scale·Σrᵢ² (the lecture's LMA). With the
 * Jacobian J = ∂r/∂θ [count][n]:
 *   (JᵀJ + μ·D)·δ = Jᵀr,   θ ← θ − lr·δ,   D = I ("identity") or diag(JᵀJ) ("diagonal", Marquardt)
 * A trial that lowers the loss is accepted and μ ← max(μ·mu_dec, 1e-20); otherwise θ is restored and
 * μ ← μ·mu_inc, retried until μ exceeds mu_max (then μ stays at mu_max and the step leaves θ
 * unchanged). A trial whose loss is not finite is always rejected, so weights never become NaN.
 */
class LevenbergMarquardt implements Optimizer {
  readonly name = 'levenberg_marquardt';
  readonly fullBatchOnly = true;
  lr: number;
  private mu: number;
  private readonly mu0: number;
  private readonly muInc: number;
  private readonly muDec: number;
  private readonly muMax: number;
  private readonly diagonal: boolean;
  private readonly maxIter: number;
  private readonly n: number;
  private readonly A: Float64Array;
  private readonly M: Float64Array;
  private readonly b: Float64Array;
  private readonly delta: Float64Array;
  private readonly backup: Float64Array;
  private r = new Float64Array(0);
  private J = new Float64Array(0);
  private rTrial = new Float64Array(0);
  private JTrial = new Float64Array(0);
  private last = { mu: 0, rejected: 0, evaluations: 0 };

  constructor(h: Hypers, size: number) {
    this.lr = num(h, 'lr');
    this.mu0 = this.mu = num(h, 'mu');
    this.muInc = num(h, 'mu_inc');
    this.muDec = num(h, 'mu_dec');
    this.muMax = num(h, 'mu_max');
    this.diagonal = h.damping === 'diagonal';
    this.maxIter = num(h, 'max_iter');
    this.n = size;
    this.A = new Float64Array(size * size);
    this.M = new Float64Array(size * size);
    this.b = new Float64Array(size);
    this.delta = new Float64Array(size);
    this.backup = new Float64Array(size);
    this.last.mu = this.mu;
  }

  private buffers(count: number): void {
    if (this.r.length === count) return;
    this.r = new Float64Array(count);
    this.rTrial = new Float64Array(count);
    this.J = new Float64Array(count * this.n);
    this.JTrial = new Float64Array(count * this.n);
  }

  step(obj: Objective): number {
    const res = obj.residuals;
    if (!res) {
      throw new OptimizerError(
        'levenberg_marquardt needs a sum-of-squares loss (mse): the objective has no residuals; choose mse or another optimizer',
        this.name,
      );
    }
    const { n, A, M, b, delta, backup } = this;
    const theta = obj.theta;
    this.buffers(res.count);
    const orig = res.evaluate(this.r, this.J);
    let loss = orig;
    let evals = 1;
    let rejected = 0;
    if (!Number.isFinite(loss)) return orig;
    for (let it = 0; it < this.maxIter; it++) {
      this.normalEquations(res.count);
      let bmax = 0;
      for (let i = 0; i < n; i++) bmax = Math.max(bmax, Math.abs(b[i]));
      if (bmax === 0) break; // an exact stationary point: no direction to improve along
      for (let i = 0; i < n; i++) backup[i] = theta[i];
      let accepted = false;
      while (!accepted) {
        M.set(A);
        for (let i = 0; i < n; i++) M[i * n + i] += this.mu * (this.diagonal ? Math.max(A[i * n + i], 1e-12) : 1);
        if (cholesky(M, n)) {
          delta.set(b);
          choleskySolve(M, n, delta);
          for (let i = 0; i < n; i++) theta[i] = backup[i] - this.lr * delta[i];
          const f = res.evaluate(this.rTrial, this.JTrial);
          evals++;
          if (Number.isFinite(f) && f < loss) {
            [this.r, this.rTrial] = [this.rTrial, this.r];
            [this.J, this.JTrial] = [this.JTrial, this.J];
            loss = f;
            this.mu = Math.max(this.mu * this.muDec, 1e-20);
            accepted = true;
            break;
          }
          theta.set(backup);
        }
        rejected++;
        if (this.mu >= this.muMax) break;
        this.mu = Math.min(this.mu * this.muInc, this.muMax);
      }
      if (!accepted) break;
    }
    this.last = { mu: this.mu, rejected, evaluations: evals };
    return orig;
  }

  /** A = JᵀJ, b = Jᵀr from the current residuals. */
  private normalEquations(count: number): void {
    const { n, A, b, r, J } = this;
    A.fill(0);
    b.fill(0);
    for (let k = 0; k < count; k++) {
      const row = k * n;
      const rk = r[k];
      for (let i = 0; i < n; i++) {
        const jki = J[row + i];
        if (jki === 0) continue;
        b[i] += jki * rk;
        for (let j = 0; j <= i; j++) A[i * n + j] += jki * J[row + j];
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[j * n + i] = A[i * n + j];
  }

  stats(): Record<string, number> {
    return { ...this.last };
  }

  reset(): void {
    this.mu = this.mu0;
    this.last = { mu: this.mu, rejected: 0, evaluations: 0 };
  }
}

export const LM_FAMILY: OptimizerDef[] = [
  {
    info: {
      name: 'levenberg_marquardt',
      label: 'Levenberg–Marquardt',
      fullBatchOnly: true,
      hyper: [
        lrSpec(1, 'fraction of the LM step taken (1 = full step)'),
        { name: 'mu', kind: 'number', default: 1e-3, min: 0, minOpen: true, doc: 'initial damping μ' },
        { name: 'mu_inc', kind: 'number', default: 10, min: 1, minOpen: true, doc: 'μ ← μ·mu_inc after a rejected step' },
        { name: 'mu_dec', kind: 'number', default: 0.1, min: 0, max: 1, minOpen: true, maxOpen: true, doc: 'μ ← μ·mu_dec after an accepted step' },
        { name: 'mu_max', kind: 'number', default: 1e10, min: 0, minOpen: true, doc: 'largest μ; the step gives up beyond it' },
        {
          name: 'damping',
          kind: 'enum',
          default: 'identity',
          options: ['identity', 'diagonal'],
          doc: 'μ·I (Levenberg) or μ·diag(JᵀJ) (Marquardt, as in the lecture)',
        },
        { name: 'max_iter', kind: 'int', default: 1, min: 1, doc: 'accepted iterations per step' },
      ],
      description:
        'Levenberg–Marquardt approximates the Hessian of a sum of squared errors by JᵀJ, J the Jacobian of ' +
        'the errors e over the whole training set: ΔW = (JᵀJ + μI)⁻¹·Jᵀe. Small μ gives the Gauss–Newton ' +
        'step, large μ a short gradient-descent step; μ shrinks after each success and grows after each ' +
        `failure. Needs the mse loss; dense: at most ${DENSE_PARAM_LIMIT} weights.`,
      stats: ['mu', 'rejected', 'evaluations'],
    },
    check: (h, fail) => {
      if ((h.mu as number) > (h.mu_max as number)) fail('mu', `mu must not exceed mu_max, got mu = ${h.mu}, mu_max = ${h.mu_max}`);
    },
    create: (h, size) => {
      refuseLarge('levenberg_marquardt', size, 'lbfgs');
      return new LevenbergMarquardt(h, size);
    },
  },
];
