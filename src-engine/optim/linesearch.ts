import { dot } from '../tensor';
import type { Objective } from './types';

/**
 * Minimizer of the cubic interpolating (x₁, f₁, f′₁) and (x₂, f₂, f′₂), clamped to `bounds`
 * (default: the interval between x₁ and x₂); the interval's midpoint when the cubic has no
 * minimum. As torch.optim.lbfgs._cubic_interpolate (Nocedal & Wright, eq. 3.59).
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  lo = Math.min(x1, x2),
  hi = Math.max(x1, x2),
): number {
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos =
      x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

export interface WolfeOptions {
  /** Sufficient decrease: f(t) ≤ f(0) + c₁·t·f′(0). */
  c1: number;
  /** Curvature: |f′(t)| ≤ −c₂·f′(0). Small c₂ makes the search nearly exact. */
  c2: number;
  /** Stop zooming when the bracket times max|d| is below this. */
  toleranceChange: number;
  /** Most evaluations after the first. */
  maxLs: number;
}

export const WOLFE_DEFAULTS: WolfeOptions = { c1: 1e-4, c2: 0.9, toleranceChange: 1e-9, maxLs: 25 };

/** What a line search returns; the gradient at the accepted point is in `StrongWolfe.grad`. */
export interface LineSearchResult {
  loss: number;
  t: number;
  evaluations: number;
}

/**
 * Strong-Wolfe line search along d from x = θ, as torch.optim.lbfgs._strong_wolfe (1.13), branch for
 * branch: bracketing with cubic extrapolation, then zoom with cubic interpolation and the same
 * safeguards. Each trial sets θ = x + t·d, calls objective.evaluate(), and puts θ back to x, so on
 * return θ is unchanged; the caller applies θ ← x + t·d itself. Buffers are allocated once per size.
 */
export class StrongWolfe {
  /** ∇f at the accepted step, valid after search(). */
  grad: Float64Array;
  private gNew: Float64Array;
  private gPrev: Float64Array;
  private bg0: Float64Array;
  private bg1: Float64Array;
  private readonly x: Float64Array;

  constructor(size: number) {
    this.grad = new Float64Array(size);
    this.gNew = new Float64Array(size);
    this.gPrev = new Float64Array(size);
    this.bg0 = new Float64Array(size);
    this.bg1 = new Float64Array(size);
    this.x = new Float64Array(size);
  }

  /** f(x + t·d), writing its gradient into `out`; θ is restored to x afterwards. */
  private evalAt(obj: Objective, t: number, d: Float64Array, out: Float64Array): number {
    const th = obj.theta;
    const x = this.x;
    for (let i = 0; i < th.length; i++) th[i] = x[i] + t * d[i];
    const f = obj.evaluate();
    const g = obj.grad;
    for (let i = 0; i < out.length; i++) out[i] = g[i];
    th.set(x);
    return f;
  }

  /**
   * @param f f(x), the loss at the current θ;  g its gradient [size];  gtd = gᵀd < 0
   * @param t the first trial step
   */
  search(
    obj: Objective,
    d: Float64Array,
    t: number,
    f: number,
    g: Float64Array,
    gtd: number,
    o: WolfeOptions = WOLFE_DEFAULTS,
  ): LineSearchResult {
    for (let i = 0; i < this.x.length; i++) this.x[i] = obj.theta[i];
    let dNorm = 0;
    for (let i = 0; i < d.length; i++) dNorm = Math.max(dNorm, Math.abs(d[i]));
    let fNew = this.evalAt(obj, t, d, this.gNew);
    let evals = 1;
    let gtdNew = dot(this.gNew, d);
    let tPrev = 0;
    let fPrev = f;
    let gtdPrev = gtd;
    this.gPrev.set(g);
    let done = false;
    let lsIter = 0;
    // The bracket [b0, b1] with values, directional derivatives and gradients (bg0, bg1).
    let b0 = 0, b1 = 0, bf0 = 0, bf1 = 0, bd0 = 0, bd1 = 0;
    let bracketed = false;
    while (lsIter < o.maxLs) {
      // Written as !(a <= b) so that a NaN loss counts as "too far" (torch would walk into it).
      const armijoFails = !(fNew <= f + o.c1 * t * gtd) || (lsIter > 1 && !(fNew < fPrev));
      if (!armijoFails && Math.abs(gtdNew) <= -o.c2 * gtd) {
        [b0, bf0, b1, bf1] = [t, fNew, t, fNew];
        this.bg0.set(this.gNew);
        done = true;
        bracketed = true;
        break;
      }
      if (armijoFails || gtdNew >= 0) {
        [b0, bf0, bd0, b1, bf1, bd1] = [tPrev, fPrev, gtdPrev, t, fNew, gtdNew];
        this.bg0.set(this.gPrev);
        this.bg1.set(this.gNew);
        bracketed = true;
        break;
      }
      const minStep = t + 0.01 * (t - tPrev);
      const maxStep = t * 10;
      const tmp = t;
      t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
      tPrev = tmp;
      fPrev = fNew;
      [this.gPrev, this.gNew] = [this.gNew, this.gPrev];
      gtdPrev = gtdNew;
      fNew = this.evalAt(obj, t, d, this.gNew);
      evals++;
      gtdNew = dot(this.gNew, d);
      lsIter++;
    }
    if (!bracketed) {
      // Out of evaluations while still extrapolating: choose between 0 and the last trial.
      [b0, bf0, b1, bf1] = [0, f, t, fNew];
      this.bg0.set(g);
      this.bg1.set(this.gNew);
    }
    let insufProgress = false;
    // Written so that a NaN loss never becomes the low (best) end.
    let low = bf1 < bf0 ? 1 : 0;
    while (!done && lsIter < o.maxLs) {
      if (Math.abs(b1 - b0) * dNorm < o.toleranceChange) break;
      t = cubicInterpolate(b0, bf0, bd0, b1, bf1, bd1);
      const bmax = Math.max(b0, b1);
      const bmin = Math.min(b0, b1);
      const eps = 0.1 * (bmax - bmin);
      if (Math.min(bmax - t, t - bmin) < eps) {
        if (insufProgress || t >= bmax || t <= bmin) {
          t = Math.abs(t - bmax) < Math.abs(t - bmin) ? bmax - eps : bmin + eps;
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }
      fNew = this.evalAt(obj, t, d, this.gNew);
      evals++;
      gtdNew = dot(this.gNew, d);
      lsIter++;
      const lowF = low === 0 ? bf0 : bf1;
      if (!(fNew <= f + o.c1 * t * gtd) || !(fNew < lowF)) {
        if (low === 0) [b1, bf1, bd1] = [t, fNew, gtdNew];
        else [b0, bf0, bd0] = [t, fNew, gtdNew];
        (low === 0 ? this.bg1 : this.bg0).set(this.gNew);
        low = bf1 < bf0 ? 1 : 0;
      } else {
        if (Math.abs(gtdNew) <= -o.c2 * gtd) {
          done = true;
        } else if (gtdNew * (low === 0 ? b1 - b0 : b0 - b1) >= 0) {
          // The old low end becomes the high end.
          if (low === 0) {
            [b1, bf1, bd1] = [b0, bf0, bd0];
            this.bg1.set(this.bg0);
          } else {
            [b0, bf0, bd0] = [b1, bf1, bd1];
            this.bg0.set(this.bg1);
          }
        }
        if (low === 0) [b0, bf0, bd0] = [t, fNew, gtdNew];
        else [b1, bf1, bd1] = [t, fNew, gtdNew];
        (low === 0 ? this.bg0 : this.bg1).set(this.gNew);
      }
    }
    const lowG = low === 0 ? this.bg0 : this.bg1;
    this.grad.set(lowG);
    return { loss: low === 0 ? bf0 : bf1, t: low === 0 ? b0 : b1, evaluations: evals };
  }
}

