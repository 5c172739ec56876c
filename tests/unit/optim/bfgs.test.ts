import { describe, expect, it } from 'vitest';
import { createOptimizer, type Objective } from '../../../src-engine/optim';
import { rosenbrock } from './fixtures';

describe('BFGS', () => {
  it('reaches the Rosenbrock minimum (1, 1) to 1e-6 from (−1.2, 1)', () => {
    const obj = rosenbrock(-1.2, 1);
    const opt = createOptimizer({ name: 'bfgs' }, 2);
    for (let k = 0; k < 200; k++) opt.step(obj);
    expect(Math.abs(obj.theta[0] - 1)).toBeLessThan(1e-6);
    expect(Math.abs(obj.theta[1] - 1)).toBeLessThan(1e-6);
  });

  it('resets the inverse Hessian to I when the curvature check yᵀs > 0 fails, and keeps descending', () => {
    // f = ½‖θ‖² − bᵀθ; b changes between steps so that the gradient change y opposes the step s.
    const bvec = [2, 0];
    const theta = new Float64Array(2);
    const grad = new Float64Array(2);
    const obj: Objective = {
      size: 2,
      theta,
      grad,
      evaluate() {
        grad[0] = theta[0] - bvec[0];
        grad[1] = theta[1] - bvec[1];
        return 0.5 * (theta[0] ** 2 + theta[1] ** 2) - bvec[0] * theta[0] - bvec[1] * theta[1];
      },
    };
    const opt = createOptimizer({ name: 'bfgs' }, 2);
    opt.step(obj); // θ: (0,0) → (1,0) with s = (1, 0), g = (−1, 0)
    expect(theta[0]).toBeCloseTo(1, 12);
    expect(opt.stats().resets).toBe(0);
    bvec[0] = 5; // now g(θ) = (−4, 0): y = (−3, 0), yᵀs = −3 < 0
    const before = obj.evaluate();
    opt.step(obj);
    expect(opt.stats().resets).toBe(1);
    expect(opt.stats().curvature).toBeLessThan(0);
    expect(obj.evaluate()).toBeLessThan(before);
  });
});
