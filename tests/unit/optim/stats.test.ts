import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../src-engine/optim';
import { quadratic } from './fixtures';

/** f = ½‖θ‖² with θ₀ = (3, −1, 0.5): g = θ. */
const bowl = () =>
  quadratic(
    [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    [0, 0, 0],
    [3, -1, 0.5],
  );

describe('optimizer stats for plotting', () => {
  it('adam effective_step is lr on the first step (m̂ = g, v̂ = g², so |Δθ| = η·|g|/(|g| + ε))', () => {
    const opt = createOptimizer({ name: 'adam', lr: 0.01 }, 3);
    opt.step(bowl());
    expect(opt.stats().effective_step).toBeCloseTo(0.01, 8);
  });

  it('rprop mean_step is the mean per-weight step size: lr, then lr·η₊ while signs hold', () => {
    const opt = createOptimizer({ name: 'rprop', lr: 0.05 }, 3);
    const obj = bowl();
    opt.step(obj);
    expect(opt.stats().mean_step).toBeCloseTo(0.05, 15);
    opt.step(obj);
    expect(opt.stats().mean_step).toBeCloseTo(0.06, 15);
  });

  it('sgd step_norm is η‖g‖', () => {
    const opt = createOptimizer({ name: 'sgd', lr: 0.1 }, 3);
    opt.step(bowl());
    expect(opt.stats().step_norm).toBeCloseTo(0.1 * Math.sqrt(9 + 1 + 0.25), 14);
  });

  it('levenberg_marquardt mu falls by mu_dec after an accepted step', () => {
    const opt = createOptimizer({ name: 'levenberg_marquardt', mu: 0.5, mu_dec: 0.2 }, 1);
    const theta = new Float64Array([2]);
    opt.step({
      size: 1,
      theta,
      grad: new Float64Array(1),
      evaluate: () => theta[0] ** 2,
      residuals: {
        count: 1,
        scale: 1,
        evaluate: (r, J) => {
          r[0] = theta[0];
          J[0] = 1;
          return theta[0] ** 2;
        },
      },
    });
    expect(opt.stats().mu).toBeCloseTo(0.1, 15);
    // δ = (1 + 0.5)⁻¹·2: θ = 2 − 4/3
    expect(theta[0]).toBeCloseTo(2 / 3, 15);
  });

  it('lbfgs counts its function evaluations per step', () => {
    const obj = bowl();
    const opt = createOptimizer({ name: 'lbfgs', line_search_fn: 'strong_wolfe' }, 3);
    obj.evals = 0;
    opt.step(obj);
    expect(opt.stats().evaluations).toBe(obj.evals);
  });
});
