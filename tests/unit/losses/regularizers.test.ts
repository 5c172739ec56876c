import { describe, expect, it } from 'vitest';
import { entropyPenalty, l1, l2, RegularizerError } from '../../../src-engine/losses';
import { fromRows, Rng, type Buf } from '../../../src-engine/tensor';

const theta = (): Float64Array => Float64Array.from([0.5, -2, 0, 3, 1.5, -0.25]);
const spans = [{ offset: 0, size: 2 }, { offset: 3, size: 2 }]; // θ[2] and θ[5] are not penalised

/** Central differences of a penalty R(θ) over every coordinate. */
function numericGrad(R: (t: Buf) => number, t: Float64Array): number[] {
  const h = 1e-6;
  return Array.from(t, (x, i) => {
    t[i] = x + h;
    const up = R(t);
    t[i] = x - h;
    const down = R(t);
    t[i] = x;
    return (up - down) / (2 * h);
  });
}

describe('l1', () => {
  it('is λ·Σ|w| over the spans only, and adds λ·sign(w) into the gradient', () => {
    const t = theta();
    const g = new Float64Array(6).fill(1);
    expect(l1(t, g, spans, 0.1)).toBeCloseTo(0.1 * (0.5 + 2 + 3 + 1.5), 15);
    [1.1, 0.9, 1, 1.1, 1.1, 1].forEach((v, i) => expect(g[i], `g[${i}]`).toBeCloseTo(v, 15));
    const fd = numericGrad((x) => l1(x, null, spans, 0.1), t);
    const g0 = new Float64Array(6);
    l1(t, g0, spans, 0.1);
    fd.forEach((v, i) => expect(g0[i]).toBeCloseTo(v, 8));
  });
  it('has zero gradient at w = 0 (sign(0) = 0)', () => {
    const g = new Float64Array(1);
    l1(Float64Array.of(0), g, [{ offset: 0, size: 1 }], 2);
    expect(g[0]).toBe(0);
  });
});

describe('l2 (weight decay form)', () => {
  it('is (λ/2)·Σw² with gradient λ·w, matching central differences', () => {
    const t = theta();
    expect(l2(t, null, spans, 0.2)).toBeCloseTo(0.1 * (0.25 + 4 + 9 + 2.25), 14);
    const g = new Float64Array(6);
    l2(t, g, spans, 0.2);
    [0.1, -0.4, 0, 0.6, 0.3, 0].forEach((v, i) => expect(g[i], `g[${i}]`).toBeCloseTo(v, 15));
    const fd = numericGrad((x) => l2(x, null, spans, 0.2), t);
    fd.forEach((v, i) => expect(g[i]).toBeCloseTo(v, 8));
  });
  it('accumulates into the loss gradient already in the buffer', () => {
    const g = Float64Array.of(5);
    l2(Float64Array.of(2), g, [{ offset: 0, size: 1 }], 0.5);
    expect(g[0]).toBe(6);
  });
});

describe('entropyPenalty', () => {
  it('is λ times the mean row entropy of the predicted probabilities, 0·log 0 = 0', () => {
    const p = fromRows('float64', [[0.5, 0.5], [1, 0]]);
    expect(entropyPenalty(p, 0.3, null)).toBeCloseTo((0.3 * Math.log(2)) / 2, 15);
  });
  it('its gradient −(λ/n)(log p + 1) matches central differences and accumulates', () => {
    const rng = new Rng(9);
    const rows = Array.from({ length: 3 }, () => Array.from({ length: 4 }, () => rng.uniform(0.05, 1)));
    const p = fromRows('float64', rows);
    const g = new Float64Array(12).fill(0.25);
    entropyPenalty(p, 0.7, g);
    const h = 1e-6;
    for (let i = 0; i < 12; i++) {
      const x = p.data[i];
      p.data[i] = x + h;
      const up = entropyPenalty(p, 0.7, null);
      p.data[i] = x - h;
      const down = entropyPenalty(p, 0.7, null);
      p.data[i] = x;
      expect(g[i] - 0.25).toBeCloseTo((up - down) / (2 * h), 7);
    }
  });
  it('keeps a finite gradient at p = 0 (log clamped at −100)', () => {
    const g = new Float64Array(2);
    entropyPenalty(fromRows('float64', [[0, 1]]), 1, g);
    expect(g[0]).toBe(99);
    expect(g[1]).toBe(-1);
  });
});

describe('bad arguments are refused with the argument named', () => {
  it('negative or NaN λ, spans outside θ, and mismatched gradient buffers', () => {
    const t = theta();
    expect(() => l2(t, null, spans, -1)).toThrow(RegularizerError);
    expect(() => l1(t, null, spans, NaN)).toThrow(/λ/);
    expect(() => l1(t, null, [{ offset: 4, size: 3 }], 1)).toThrow(/outside θ of length 6/);
    expect(() => l2(t, new Float64Array(5), spans, 1)).toThrow(/gradient length 5/);
    expect(() => entropyPenalty(fromRows('float64', [[0.5, 0.5]]), 1, new Float64Array(1))).toThrow(/needs 2/);
  });
});
