import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../../../src-engine/optim';
import { quadratic } from './fixtures';

/** E = ½·a·w² with a = 2, so S = ∇E = 2w; hand-computed steps of the lecture's rules. */
const parabola = (w0: number) => quadratic([[2]], [0], [w0]);

describe('quickprop (lecture rules)', () => {
  it('takes a plain gradient step first, then the parabola jump β·Δ plus the gradient term', () => {
    // η = 0.4: Δ₀ = −0.8 → w₁ = 0.2; S₁ = 0.4, β = 0.4/(2 − 0.4) = 0.25 ≤ μ_max, γ > 0 → μ = 0.25;
    // the slope kept its sign, so η stays: Δ₁ = −0.4·0.4 + 0.25·(−0.8) = −0.36 → w₂ = −0.16.
    const obj = parabola(1);
    const opt = createOptimizer({ name: 'quickprop', lr: 0.4 }, 1);
    opt.step(obj);
    expect(obj.theta[0]).toBeCloseTo(0.2, 14);
    opt.step(obj);
    expect(obj.theta[0]).toBeCloseTo(-0.16, 14);
  });

  it('caps the growth factor at μ_max = 1.75', () => {
    // η = 0.1: Δ₀ = −0.2 → w₁ = 0.8; β = 1.6/(2 − 1.6) = 4 > 1.75 → μ = 1.75:
    // Δ₁ = −0.1·1.6 + 1.75·(−0.2) = −0.51 → w₂ = 0.29.
    const obj = parabola(1);
    const opt = createOptimizer({ name: 'quickprop', lr: 0.1 }, 1);
    opt.step(obj);
    opt.step(obj);
    expect(obj.theta[0]).toBeCloseTo(0.29, 14);
    expect(opt.stats().max_growth_fraction).toBe(1);
  });

  it('drops the gradient term after the slope changes sign', () => {
    // η = 0.4, third step from w₂ = −0.16 (S₂ = −0.32, S₁ = 0.4, Δ₁ = −0.36): β = −0.32/0.72,
    // γ = S₂·(−Δ₁)·β > 0 → μ = β; −Δ₁·S₂ < 0 → η = 0: Δ₂ = β·Δ₁ = 0.16 → w₃ = 0 (the parabola's minimum).
    const obj = parabola(1);
    const opt = createOptimizer({ name: 'quickprop', lr: 0.4 }, 1);
    for (let k = 0; k < 3; k++) opt.step(obj);
    expect(obj.theta[0]).toBeCloseTo(0, 14);
  });

  it('reduces a 2-D ill-conditioned quadratic by orders of magnitude', () => {
    const obj = quadratic([[10, 0], [0, 1]], [0, 0], [1, 1]);
    const opt = createOptimizer({ name: 'quickprop', lr: 0.05 }, 2);
    const before = obj.evaluate();
    for (let k = 0; k < 30; k++) opt.step(obj);
    expect(obj.evaluate()).toBeLessThan(1e-6 * before);
  });
});

describe('rprop', () => {
  it('reduces a 2-D ill-conditioned quadratic by orders of magnitude using only gradient signs', () => {
    const obj = quadratic([[100, 0], [0, 0.01]], [0, 0], [1, 1]);
    const opt = createOptimizer({ name: 'rprop', lr: 0.01 }, 2);
    const before = obj.evaluate();
    for (let k = 0; k < 100; k++) opt.step(obj);
    expect(obj.evaluate()).toBeLessThan(1e-4 * before);
  });
});
