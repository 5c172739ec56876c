import { describe, expect, it } from 'vitest';
import { compile, INITIALIZERS } from '../../../src-engine/graph';
import type { GraphSpec } from '../../../src-engine/graph/types';
import { explain } from '../../../src-engine/train';
import { fromRows, Rng, toRows } from '../../../src-engine/tensor';

const wide: GraphSpec = {
  nodes: [
    { id: 'x', type: 'Input', size: 200 },
    { id: 'fc', type: 'Linear', in: ['x'], units: 300 },
  ],
  outputs: ['fc'],
};

function stats(init: string) {
  const m = compile(wide, { seed: 9, init, dtype: 'float64' });
  const w = m.paramsJson().fc.weight.flat() as number[];
  const b = m.paramsJson().fc.bias as number[];
  const mean = w.reduce((a, v) => a + v, 0) / w.length;
  const std = Math.sqrt(w.reduce((a, v) => a + (v - mean) ** 2, 0) / w.length);
  return { w, b, mean, std, max: Math.max(...w.map(Math.abs)) };
}

describe('initializers draw from the seeded generator with the textbook scales', () => {
  const fanIn = 200;
  const fanOut = 300;
  const cases: Record<string, { bound?: number; std: number; bias?: number }> = {
    default: { bound: 1 / Math.sqrt(fanIn), std: 1 / Math.sqrt(3 * fanIn) },
    xavier_uniform: { bound: Math.sqrt(6 / (fanIn + fanOut)), std: Math.sqrt(2 / (fanIn + fanOut)), bias: 0 },
    xavier_normal: { std: Math.sqrt(2 / (fanIn + fanOut)), bias: 0 },
    kaiming_uniform: { bound: Math.sqrt(6 / fanIn), std: Math.sqrt(2 / fanIn), bias: 0 },
    kaiming_normal: { std: Math.sqrt(2 / fanIn), bias: 0 },
    lecun_normal: { std: Math.sqrt(1 / fanIn), bias: 0 },
    playground: { bound: 0.5, std: 0.5 / Math.sqrt(3), bias: 0.1 },
  };
  for (const [name, want] of Object.entries(cases)) {
    it(`${name}: std ${want.std.toPrecision(3)}${want.bound ? `, |w| ≤ ${want.bound.toPrecision(3)}` : ''}`, () => {
      const s = stats(name);
      expect(Math.abs(s.mean)).toBeLessThan(0.05 * want.std + 1e-3);
      expect(s.std / want.std).toBeGreaterThan(0.97);
      expect(s.std / want.std).toBeLessThan(1.03);
      if (want.bound) expect(s.max).toBeLessThanOrEqual(want.bound);
      if (want.bias !== undefined) expect(new Set(s.b)).toEqual(new Set([want.bias]));
    });
  }
  it('zeros and constant', () => {
    expect(new Set(stats('zeros').w)).toEqual(new Set([0]));
    const c = compile(wide, { init: 'constant', initValue: 0.3, dtype: 'float64' });
    expect(new Set(c.paramsJson().fc.weight.flat())).toEqual(new Set([0.3]));
  });
  it('every listed initializer is covered and the same seed repeats, another differs', () => {
    expect([...Object.keys(cases), 'zeros', 'constant'].sort()).toEqual([...INITIALIZERS].sort());
    expect(stats('default').w).toEqual(stats('default').w);
    expect(compile(wide, { seed: 10 }).paramsJson()).not.toEqual(compile(wide, { seed: 9 }).paramsJson());
  });
  it('refuses an unknown initializer by name', () => expect(() => compile(wide, { init: 'glorot' })).toThrow(/unknown initializer 'glorot'/));
});

describe('edge cases', () => {
  const bn = {
    format: 'neurograph-model' as const,
    version: 1 as const,
    nodes: [
      { id: 'x', type: 'Input', size: 2 },
      { id: 'fc', type: 'Linear', in: ['x'], units: 3 },
      { id: 'bn', type: 'BatchNorm1d', in: ['fc'] },
    ],
    outputs: ['bn'],
  };
  it('BatchNorm1d in training mode on one row is an error, as in PyTorch; in eval it is fine', () => {
    expect(() => explain(bn, [[1, 2]], [[0, 0, 0]], 'mse', 'train')).toThrow(/BatchNorm1d 'bn' needs more than one row per batch in training mode \(got 1\)/);
    expect(explain(bn, [[1, 2]], [[0, 0, 0]], 'mse', 'eval').output[0]).toHaveLength(3);
  });

  it('softmax of logits ±1000 stays finite and sums to one', () => {
    const m = compile({ nodes: [{ id: 'x', type: 'Input', size: 3 }, { id: 's', type: 'Softmax', in: ['x'] }, { id: 'l', type: 'LogSoftmax', in: ['x'] }, { id: 'c', type: 'Concat', in: ['s', 'l'] }], outputs: ['c'] });
    const out = toRows(m.forward(fromRows('float32', [[1000, -1000, 999]]), { train: false, stochastic: false, rng: new Rng(0) }))[0];
    expect(out.every(Number.isFinite)).toBe(true);
    expect(out[0] + out[1] + out[2]).toBeCloseTo(1, 6);
    expect(out[3]).toBeCloseTo(-Math.log1p(Math.exp(-1)), 5);
    expect(out[4]).toBeCloseTo(-2000 - Math.log1p(Math.exp(-1)), 2);
  });

  it('NaN and ±Inf inputs propagate through a network as in PyTorch (NaN stays NaN, no crash)', () => {
    const net = { nodes: [{ id: 'x', type: 'Input', size: 2 }, { id: 'fc', type: 'Linear', in: ['x'], units: 2 }, { id: 'r', type: 'ReLU', in: ['fc'] }, { id: 's', type: 'Sigmoid', in: ['r'] }], outputs: ['s'], params: { fc: { weight: [[1, 0], [0, 1]], bias: [0, 0] } } };
    const e = explain({ format: 'neurograph-model', version: 1, ...net }, [[NaN, Infinity], [-Infinity, 1]], [[0, 0], [0, 0]], 'mse', 'eval');
    // torch 1.13 gives [[nan, nan], [0.5, nan]]: 0·Inf and 0·NaN are NaN inside the matrix product.
    expect(e.output[0].map(Number.isNaN)).toEqual([true, true]);
    expect(e.output[1][0]).toBe(0.5);
    expect(Number.isNaN(e.output[1][1])).toBe(true);
    expect(Number.isNaN(e.loss)).toBe(true);
  });
});
