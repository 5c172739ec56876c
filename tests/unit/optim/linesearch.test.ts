import { describe, expect, it } from 'vitest';
import { StrongWolfe, cubicInterpolate, type Objective } from '../../../src-engine/optim';

/** A 1-D objective θ ↦ f(θ) with derivative df. */
const oneD = (f: (x: number) => number, df: (x: number) => number, x0 = 0): Objective => {
  const theta = new Float64Array([x0]);
  const grad = new Float64Array(1);
  return {
    size: 1,
    theta,
    grad,
    evaluate() {
      grad[0] = df(theta[0]);
      return f(theta[0]);
    },
  };
};

describe('cubic interpolation', () => {
  it('finds the exact minimizer of a quadratic from two points and slopes', () => {
    const f = (x: number) => 3 * (x - 1.7) ** 2 + 2;
    const df = (x: number) => 6 * (x - 1.7);
    expect(cubicInterpolate(0, f(0), df(0), 5, f(5), df(5))).toBeCloseTo(1.7, 12);
    expect(cubicInterpolate(5, f(5), df(5), 0, f(0), df(0))).toBeCloseTo(1.7, 12);
  });

  it('finds the local minimizer of a cubic and clamps to the bounds', () => {
    // f = x³ − 3x: minimum at x = 1.
    const f = (x: number) => x ** 3 - 3 * x;
    const df = (x: number) => 3 * x * x - 3;
    expect(cubicInterpolate(0, f(0), df(0), 2, f(2), df(2))).toBeCloseTo(1, 12);
    expect(cubicInterpolate(0, f(0), df(0), 2, f(2), df(2), 1.5, 3)).toBe(1.5);
  });
});

describe('strong Wolfe line search', () => {
  const c1 = 1e-4;
  const c2 = 0.9;
  const opts = { c1, c2, toleranceChange: 1e-9, maxLs: 25 };

  it.each([
    ['a first step far too long', 100],
    ['a first step far too short', 1e-4],
    ['a reasonable first step', 1],
  ])('returns a step meeting both strong Wolfe conditions from %s, with θ left unchanged', (_, t0) => {
    const f = (x: number) => Math.log(1 + (x - 3) ** 2) + 0.1 * x;
    const df = (x: number) => (2 * (x - 3)) / (1 + (x - 3) ** 2) + 0.1;
    const obj = oneD(f, df);
    const f0 = obj.evaluate();
    const g = new Float64Array([obj.grad[0]]);
    const d = new Float64Array([-g[0]]);
    const gtd = g[0] * d[0];
    const ls = new StrongWolfe(1);
    const r = ls.search(obj, d, t0, f0, g, gtd, opts);
    expect(obj.theta[0]).toBe(0);
    const x = r.t * d[0];
    expect(r.loss).toBeCloseTo(f(x), 14);
    expect(ls.grad[0]).toBeCloseTo(df(x), 14);
    expect(r.loss).toBeLessThanOrEqual(f0 + c1 * r.t * gtd);
    expect(Math.abs(df(x) * d[0])).toBeLessThanOrEqual(-c2 * gtd);
  });

  it('backs off from trial steps where the loss is NaN instead of accepting them', () => {
    const f = (x: number) => (x > 1 ? NaN : (x - 2) ** 2);
    const df = (x: number) => (x > 1 ? NaN : 2 * (x - 2));
    const obj = oneD(f, df);
    const f0 = obj.evaluate();
    const g = new Float64Array([obj.grad[0]]);
    const d = new Float64Array([1]);
    const r = new StrongWolfe(1).search(obj, d, 5, f0, g, g[0], opts);
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(r.t).toBeGreaterThan(0);
    expect(r.t).toBeLessThanOrEqual(1);
    expect(r.loss).toBeLessThan(f0);
  });
});
