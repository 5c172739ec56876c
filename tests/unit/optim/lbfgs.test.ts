import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../src-engine/optim';
import { quadratic, rosenbrock, spd } from './fixtures';

describe('L-BFGS', () => {
  it('with strong Wolfe line search reaches the Rosenbrock minimum (1, 1) to 1e-6', () => {
    const obj = rosenbrock(-1.2, 1);
    const opt = createOptimizer({ name: 'lbfgs', line_search_fn: 'strong_wolfe', tolerance_grad: 1e-12, tolerance_change: 1e-15 }, 2);
    for (let k = 0; k < 10; k++) opt.step(obj);
    expect(Math.abs(obj.theta[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(obj.theta[1] - 1)).toBeLessThan(1e-6);
  });

  it('without a line search decreases a convex quadratic and counts its evaluations', () => {
    const A = spd(5);
    const obj = quadratic(A, [1, -1, 2, 0, 1], [0, 0, 0, 0, 0]);
    const opt = createOptimizer({ name: 'lbfgs', max_iter: 5 }, 5);
    const before = obj.evaluate();
    obj.evals = 0;
    opt.step(obj);
    expect(obj.evaluate()).toBeLessThan(before);
    expect(opt.stats().evaluations).toBe(obj.evals - 1);
    expect(opt.stats().evaluations).toBeLessThanOrEqual(6); // max_eval = ⌊5·5/4⌋ = 6
  });
});
