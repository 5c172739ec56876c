import { describe, expect, it } from 'vitest';
import { OptimizerError, cholesky, choleskySolve, createOptimizer, type Objective } from '../../../src-engine/optim';
import { leastSquares, mlpObjective, readReference, type MlpParams } from './fixtures';
import { maxDiff, solveLinear } from './solve';

describe('Levenberg–Marquardt', () => {
  it('fits a straight line by least squares exactly (closed-form slope and intercept)', () => {
    const xs = [0, 1, 2, 3, 4, 5];
    const ys = [1.1, 2.9, 5.2, 6.8, 9.1, 10.9];
    const m = xs.length;
    const mx = xs.reduce((a, b) => a + b) / m;
    const my = ys.reduce((a, b) => a + b) / m;
    const slope = xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    const intercept = my - slope * mx;
    const obj = leastSquares(xs.map((x) => [x, 1]), ys, [0, 0]);
    const opt = createOptimizer({ name: 'levenberg_marquardt' }, 2);
    for (let k = 0; k < 10; k++) opt.step(obj);
    expect(obj.theta[0]).toBeCloseTo(slope, 10);
    expect(obj.theta[1]).toBeCloseTo(intercept, 10);
  });

  it('solves a consistent linear system to machine precision, with μ falling after each success', () => {
    const X = [
      [2, -1, 0.5],
      [1, 3, -2],
      [0.5, 0.5, 4],
      [-1, 2, 1],
    ];
    const truth = [0.7, -1.3, 2.1];
    const y = X.map((row) => row.reduce((a, v, j) => a + v * truth[j], 0));
    const obj = leastSquares(X, y, [0, 0, 0]);
    const opt = createOptimizer({ name: 'levenberg_marquardt', mu: 1 }, 3);
    opt.step(obj);
    const mu1 = opt.stats().mu;
    expect(mu1).toBeCloseTo(0.1, 12);
    for (let k = 0; k < 12; k++) opt.step(obj);
    expect(maxDiff(obj.theta, truth)).toBeLessThan(1e-10);
  });

  it('with Marquardt (diagonal) damping also converges', () => {
    const obj = leastSquares([[1, 0], [1, 1], [1, 2]], [1, 3, 5], [10, -10]);
    const opt = createOptimizer({ name: 'levenberg_marquardt', damping: 'diagonal' }, 2);
    for (let k = 0; k < 15; k++) opt.step(obj);
    expect(maxDiff(obj.theta, [1, 2])).toBeLessThan(1e-9);
  });

  it('refuses an objective without residuals (a loss that is not a sum of squares)', () => {
    const obj = leastSquares([[1]], [1], [0], false);
    const opt = createOptimizer({ name: 'levenberg_marquardt' }, 1);
    expect(() => opt.step(obj)).toThrow(OptimizerError);
    expect(() => opt.step(obj)).toThrow(/levenberg_marquardt needs a sum-of-squares loss \(mse\)/);
  });

  it('rejects trial steps whose loss is not finite, raising μ, and never writes NaN into θ', () => {
    // r(θ) = θ − 3, but the loss is NaN for θ > 2: the Gauss–Newton step to 3 must be refused.
    const theta = new Float64Array([0]);
    const r1 = (r: Float64Array, J: Float64Array) => {
      r[0] = theta[0] - 3;
      J[0] = 1;
      return theta[0] > 2 ? NaN : r[0] ** 2;
    };
    const obj: Objective = {
      size: 1,
      theta,
      grad: new Float64Array(1),
      evaluate: () => NaN,
      residuals: { count: 1, scale: 1, evaluate: r1 },
    };
    const opt = createOptimizer({ name: 'levenberg_marquardt', mu: 1e-6 }, 1);
    for (let k = 0; k < 20; k++) {
      opt.step(obj);
      expect(Number.isFinite(theta[0])).toBe(true);
      expect(theta[0]).toBeLessThanOrEqual(2);
    }
    expect(theta[0]).toBeGreaterThan(1.9);
  });

  it('caps μ at mu_max and leaves θ unchanged when no step helps (at the minimum)', () => {
    const obj = leastSquares([[1, 0], [0, 1], [1, 1]], [1, 2, 3.5], [0, 0]);
    const opt = createOptimizer({ name: 'levenberg_marquardt', mu_max: 1e4 }, 2);
    for (let k = 0; k < 30; k++) opt.step(obj);
    const at = Array.from(obj.theta);
    for (let k = 0; k < 5; k++) opt.step(obj);
    expect(opt.stats().mu).toBeLessThanOrEqual(1e4);
    expect(maxDiff(obj.theta, at)).toBeLessThan(1e-12);
  });

  it('trains the reference tanh MLP (its residual Jacobian) far below where gradient descent gets', () => {
    const c = readReference<{ cases: { model: { params: MlpParams }; input: number[][]; target: number[][] }[] }>('optimizers.json').cases[0];
    const lm = mlpObjective(c.model.params, c.input, c.target);
    const gd = mlpObjective(c.model.params, c.input, c.target);
    const optLm = createOptimizer({ name: 'levenberg_marquardt' }, lm.size);
    const optGd = createOptimizer({ name: 'sgd', lr: 0.1 }, gd.size);
    for (let k = 0; k < 30; k++) {
      optLm.step(lm);
      optGd.step(gd);
    }
    expect(lm.evaluate()).toBeLessThan(0.1 * gd.evaluate());
  });
});

describe('Cholesky solve', () => {
  it('agrees with Gaussian elimination on an SPD system and rejects an indefinite matrix', () => {
    const A = [
      [4, 1, 0.5],
      [1, 3, -0.2],
      [0.5, -0.2, 2],
    ];
    const b = [1, -2, 0.5];
    const L = new Float64Array(A.flat());
    expect(cholesky(L, 3)).toBe(true);
    const x = new Float64Array(b);
    choleskySolve(L, 3, x);
    expect(maxDiff(x, solveLinear(A, b))).toBeLessThan(1e-14);
    expect(cholesky(new Float64Array([1, 2, 2, 1]), 2)).toBe(false);
  });
});
