import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../src-engine/optim';
import { quadratic, spd } from './fixtures';
import { maxDiff, solveLinear } from './solve';

const n = 8;
const A = spd(n);
const b = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
const xStar = solveLinear(A, b);

describe('conjugate gradients', () => {
  it.each(['fletcher_reeves', 'polak_ribiere'])(
    'with a near-exact line search (%s) minimizes an 8-dimensional convex quadratic in at most 8 iterations',
    (beta) => {
      const obj = quadratic(A, b, new Array(n).fill(0));
      const opt = createOptimizer({ name: 'cg', beta, c1: 1e-12, c2: 1e-10 }, n);
      for (let k = 0; k < n; k++) opt.step(obj);
      expect(maxDiff(obj.theta, xStar)).toBeLessThan(1e-8);
    },
  );

  it('is far from the minimum after n − 2 iterations, so the n-step bound is not trivially met', () => {
    const obj = quadratic(A, b, new Array(n).fill(0));
    const opt = createOptimizer({ name: 'cg', c1: 1e-12, c2: 1e-10 }, n);
    for (let k = 0; k < n - 2; k++) opt.step(obj);
    expect(maxDiff(obj.theta, xStar)).toBeGreaterThan(1e-6);
  });

  it('restarts the direction every `restart` iterations (β = 0 then)', () => {
    const obj = quadratic(A, b, new Array(n).fill(0));
    const opt = createOptimizer({ name: 'cg', restart: 3, beta: 'fletcher_reeves' }, n);
    const betas: number[] = [];
    for (let k = 0; k < 7; k++) {
      opt.step(obj);
      betas.push(opt.stats().beta);
    }
    expect(betas[0]).toBe(0);
    expect(betas[3]).toBe(0);
    expect(betas[6]).toBe(0);
    expect(betas[1]).toBeGreaterThan(0);
    expect(opt.stats().restarts).toBe(2);
  });

  it('runs max_iter line searches per step', () => {
    const obj = quadratic(A, b, new Array(n).fill(0));
    const opt = createOptimizer({ name: 'cg', c1: 1e-12, c2: 1e-10, max_iter: n }, n);
    opt.step(obj);
    expect(maxDiff(obj.theta, xStar)).toBeLessThan(1e-8);
  });
});
