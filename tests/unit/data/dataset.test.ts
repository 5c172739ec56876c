import { describe, expect, it } from 'vitest';
import {
  applyStandardizer,
  assertFinite,
  DatasetError,
  fitStandardizer,
  fromOneHot,
  pimaSynthetic,
  splitDataset,
  toOneHot,
  type Dataset,
} from '../../../src-engine/data';

const ds = (n: number): Dataset => ({
  name: 'd',
  task: 'regression',
  inputNames: ['i'],
  outputNames: ['o'],
  x: Array.from({ length: n }, (_, i) => [i]),
  y: Array.from({ length: n }, (_, i) => [i * 10]),
});

describe('splitDataset', () => {
  it('partitions every row exactly once, keeps x and y paired, and sizes by round(N·fraction)', () => {
    const s = splitDataset(ds(103), { validation: 0.2, test: 0.1, seed: 5 });
    expect(s.test.x).toHaveLength(10);
    expect(s.validation.x).toHaveLength(21);
    expect(s.train.x).toHaveLength(72);
    const all = [...s.train.x, ...s.validation.x, ...s.test.x].map((r) => r[0]).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const part of [s.train, s.validation, s.test]) part.x.forEach((r, i) => expect(part.y[i][0]).toBe(r[0] * 10));
  });

  it('is reproducible by seed and differs between seeds', () => {
    const a = splitDataset(ds(50), { test: 0.3, seed: 1 });
    expect(splitDataset(ds(50), { test: 0.3, seed: 1 })).toEqual(a);
    expect(splitDataset(ds(50), { test: 0.3, seed: 2 }).test.x).not.toEqual(a.test.x);
  });

  it('refuses fractions that leave no training rows', () => {
    expect(() => splitDataset(ds(10), { validation: 0.5, test: 0.5, seed: 1 })).toThrow(DatasetError);
    expect(() => splitDataset(ds(10), { test: -0.1, seed: 1 })).toThrow(/test/);
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
    expect(() => assertFinite({ x: [[1]], y: [[Infinity]] })).toThrow(/y\[0\]\[0\]/);
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
