import { describe, expect, it } from 'vitest';
import {
  applyStandardizer,
  assertFinite,
  DatasetError,
  fitStandardizer,
  fromOneHot,
  pimaSynthetic,
  splitIndices,
  toOneHot,
} from '../../../src-engine/data';
import { Rng } from '../../../src-engine/tensor';


describe('splitIndices (the one split, used by TrainingSession)', () => {
  it('partitions every row exactly once: train first, then round(N·validation), then round(N·test)', () => {
    const s = splitIndices(103, 0.2, 0.1, new Rng(5));
    expect(s.test).toHaveLength(10);
    expect(s.validation).toHaveLength(21);
    expect(s.train).toHaveLength(72);
    const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
  });

  it('is reproducible by generator state and differs between seeds', () => {
    const a = splitIndices(50, 0, 0.3, new Rng(1));
    expect(splitIndices(50, 0, 0.3, new Rng(1))).toEqual(a);
    expect(Array.from(splitIndices(50, 0, 0.3, new Rng(2)).test)).not.toEqual(Array.from(a.test));
  });

  it('keeps the row order when nothing is held out (no draw from the generator)', () => {
    const rng = new Rng(3);
    expect(Array.from(splitIndices(5, 0, 0, rng).train)).toEqual([0, 1, 2, 3, 4]);
    expect(rng.random()).toBe(new Rng(3).random());
  });
});

describe('standardization (FAULTS 15)', () => {
  it('matches hand-computed mean and population std', () => {
    // column 0: 1, 2, 3, 6 → mean 3, var (4+1+0+9)/4 = 3.5
    const s = fitStandardizer([[1], [2], [3], [6]]);
    expect(s.mean[0]).toBe(3);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(3.5), 14);
    expect(applyStandardizer([[6]], s)[0][0]).toBeCloseTo(3 / Math.sqrt(3.5), 14);
  });

  it('maps a constant column to zeros without dividing by zero', () => {
    const s = fitStandardizer([[7, 1], [7, 2], [7, 3]]);
    expect(s.scale[0]).toBe(1);
    const z = applyStandardizer([[7, 1]], s);
    expect(z[0][0]).toBe(0);
    expect(Number.isFinite(z[0][1])).toBe(true);
  });
});

describe('class encodings', () => {
  it('round-trips class indices through one-hot', () => {
    const idx = [2, 0, 1, 2];
    expect(toOneHot(idx, 3)).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(fromOneHot(toOneHot(idx, 3))).toEqual(idx);
    expect(fromOneHot([[0.7], [0.2]])).toEqual([1, 0]);
    expect(() => toOneHot([3], 3)).toThrow(/0…2/);
  });
});

describe('assertFinite (FAULTS 14)', () => {
  it('names the first NaN or Inf cell', () => {
    expect(() => assertFinite({ x: [[1, NaN]], y: [[0]] })).toThrow(expect.objectContaining({ field: 'x[0][1]' }));
    expect(() => assertFinite({ x: [[1]], y: [[Infinity]] })).toThrow(/target row 1, column 1 holds Infinity/);
    expect(() => assertFinite({ x: [[1]], y: [[0]] })).not.toThrow();
  });
});

describe('pima (synthetic)', () => {
  it('has 768 rows × 8 inputs with exactly 268 positives, the same for the same seed', () => {
    const p = pimaSynthetic();
    expect(p.x).toHaveLength(768);
    expect(p.x.every((r) => r.length === 8 && r.every(Number.isFinite))).toBe(true);
    expect(p.y.filter((r) => r[0] === 1)).toHaveLength(268);
    expect(pimaSynthetic()).toEqual(p);
    // Glucose is the strongest class signal in the real table; the synthetic one keeps it.
    const glucose = (label: number) => {
      const v = p.x.filter((_, i) => p.y[i][0] === label).map((r) => r[1]);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(glucose(1) - glucose(0)).toBeGreaterThan(20);
  });
});
