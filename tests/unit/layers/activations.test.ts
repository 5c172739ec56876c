import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../../src-engine/layers/activations';
import { LAYER_CATALOG } from '../../../src-engine/layers';
import { erfc } from '../../../src-engine/layers/special';
import type { Attrs } from '../../../src-engine/layers/types';
import { Rng } from '../../../src-engine/tensor';
import { loadReference } from '../../helpers/reference';

interface ActCase {
  type: string;
  attrs: Attrs;
  input: number[][];
  upstream: number[][];
  output: number[][];
  grad_input: number[][];
}

// Row-wise, parametric or random layers (RReLU draws its slope in training) are checked as layers in special-parity.test.ts.
const ROW_WISE_OR_PARAMETRIC = ['Softmax', 'LogSoftmax', 'PReLU', 'RReLU'];
const { cases } = loadReference<{ cases: ActCase[] }>('activations.json');
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 + 1e-6 * Math.abs(b);

describe('activations.json: every element-wise activation matches PyTorch forward and backward', () => {
  const picked = cases.filter((c) => !ROW_WISE_OR_PARAMETRIC.includes(c.type));
  it('has a definition for every element-wise case', () => {
    expect(picked.length).toBeGreaterThan(20);
    for (const c of picked) expect(ACTIVATIONS[c.type], c.type).toBeDefined();
  });
  for (const c of picked) {
    it(`${c.type} ${JSON.stringify(c.attrs)}: output and dL/dx = upstream·f'(x), kinks included`, () => {
      const def = ACTIVATIONS[c.type];
      c.input.forEach((row, r) =>
        row.forEach((x, j) => {
          const y = def.f(x, c.attrs);
          const g = c.upstream[r][j] * def.df(x, y, c.attrs);
          expect(close(y, c.output[r][j]), `f(${x}) = ${y}, torch ${c.output[r][j]}`).toBe(true);
          expect(close(g, c.grad_input[r][j]), `grad at ${x} = ${g}, torch ${c.grad_input[r][j]}`).toBe(true);
        }),
      );
    });
  }
});

/** Attribute sets to differentiate with; kinks listed so the check stays clear of them. */
const FD_CASES: { type: string; attrs: Attrs; kinks: number[] }[] = [
  ...Object.keys(ACTIVATIONS).map((type) => ({ type, attrs: {} as Attrs, kinks: [0, 6, -3, 3, 0.5, -0.5, -1, 1] })),
  { type: 'LeakyReLU', attrs: { negative_slope: 0.2 }, kinks: [0] },
  { type: 'ELU', attrs: { alpha: 0.5 }, kinks: [0] },
  { type: 'CELU', attrs: { alpha: 2 }, kinks: [0] },
  { type: 'GELU', attrs: { approximate: 'tanh' }, kinks: [] },
  { type: 'Softplus', attrs: { beta: 2, threshold: 5 }, kinks: [2.5] },
  { type: 'Hardtanh', attrs: { min_val: -2, max_val: 0.5 }, kinks: [-2, 0.5] },
  { type: 'Softshrink', attrs: { lambd: 1.5 }, kinks: [-1.5, 1.5] },
  { type: 'Hardshrink', attrs: { lambd: 1.5 }, kinks: [-1.5, 1.5] },
  { type: 'BipolarSigmoid', attrs: { a: 3 }, kinks: [] },
];

describe("f' agrees with float64 central differences away from the kinks", () => {
  for (const { type, attrs, kinks } of FD_CASES) {
    it(`${type} ${JSON.stringify(attrs)}`, () => {
      const def = ACTIVATIONS[type];
      const rng = new Rng(7);
      const h = 1e-6;
      let checked = 0;
      while (checked < 200) {
        const x = rng.uniform(-8, 8);
        if (kinks.some((k) => Math.abs(x - k) < 1e-3)) continue;
        const fd = (def.f(x + h, attrs) - def.f(x - h, attrs)) / (2 * h);
        const an = def.df(x, def.f(x, attrs), attrs);
        expect(Math.abs(an - fd), `${type} at ${x}: f' = ${an}, central difference ${fd}`).toBeLessThan(1e-6 + 1e-6 * Math.abs(fd));
        checked++;
      }
    });
  }
});

describe('the lecture functions without a PyTorch twin have their textbook values', () => {
  const A = ACTIVATIONS;
  it('Step is Heaviside with 0.5 at zero and no gradient', () => {
    expect([-2, -1e-300, 0, 1e-300, 5].map((x) => A.Step.f(x, {}))).toEqual([0, 0, 0.5, 1, 1]);
    expect(A.Step.df(0, 0.5, {})).toBe(0);
  });
  it('Sign is signum with no gradient', () => {
    expect([-2, 0, 3].map((x) => A.Sign.f(x, {}))).toEqual([-1, 0, 1]);
    expect(A.Sign.df(3, 1, {})).toBe(0);
  });
  it('PiecewiseLinear is clamp(x + 1/2, 0, 1), flat (zero gradient) at and beyond ±1/2', () => {
    expect([-1, -0.5, 0, 0.25, 0.5, 2].map((x) => A.PiecewiseLinear.f(x, {}))).toEqual([0, 0, 0.5, 0.75, 1, 1]);
    expect([-0.5, 0, 0.5].map((x) => A.PiecewiseLinear.df(x, 0, {}))).toEqual([0, 1, 0]);
  });
  it('BipolarSigmoid is 2σ(a·x) − 1', () => {
    for (const [x, a] of [[0.7, 1], [-2, 1], [1.3, 2.5]]) {
      expect(A.BipolarSigmoid.f(x, { a })).toBeCloseTo(2 / (1 + Math.exp(-a * x)) - 1, 14);
    }
  });
});

describe('special functions', () => {
  it('erfc matches tabulated values (Abramowitz & Stegun 7.1) and the tails', () => {
    // erf(0.5), erf(1), erf(2), erfc(5), erfc(10) to 16 digits (C libm, as tabulated in A&S 7.1).
    expect(Math.abs(1 - erfc(0.5) - 0.5204998778130465)).toBeLessThan(2e-16);
    expect(Math.abs(1 - erfc(1) - 0.8427007929497149)).toBeLessThan(2e-16);
    expect(Math.abs(1 - erfc(2) - 0.9953222650189527)).toBeLessThan(3e-16);
    expect(Math.abs(erfc(5) / 1.5374597944280351e-12 - 1)).toBeLessThan(1e-14);
    expect(Math.abs(erfc(10) / 2.088487583762545e-45 - 1)).toBeLessThan(1e-14);
    expect(erfc(-1) + erfc(1)).toBeCloseTo(2, 15);
  });
  it("erfc' = −2/√π·e^(−x²) by central differences, across the series / continued-fraction switch", () => {
    for (let x = -4; x <= 6; x += 0.173) {
      const h = 1e-6;
      const fd = (erfc(x + h) - erfc(x - h)) / (2 * h);
      const an = (-2 / Math.sqrt(Math.PI)) * Math.exp(-x * x);
      expect(Math.abs(fd - an), `x = ${x}`).toBeLessThan(1e-9);
    }
  });
});

describe('NaN and ±Inf inputs behave as in PyTorch', () => {
  it('NaN in gives NaN out for every activation', () => {
    for (const def of Object.values(ACTIVATIONS)) expect(def.f(NaN, {}), def.type).toBeNaN();
  });
  it('±Inf give the limits, or NaN where PyTorch computes ∞·0', () => {
    const inf = Infinity;
    // [type, f(+∞), f(−∞)] — limits of each formula; NaN where torch evaluates x·g(x) as ∞·0.
    const table: [string, number, number][] = [
      ['Identity', inf, -inf], ['ReLU', inf, 0], ['ReLU6', 6, 0], ['LeakyReLU', inf, -inf], ['ELU', inf, -1],
      ['CELU', inf, -1], ['SELU', inf, -1.6732632423543772 * 1.0507009873554805], ['GELU', inf, NaN],
      ['Sigmoid', 1, 0], ['LogSigmoid', 0, -inf], ['Tanh', 1, -1], ['SiLU', inf, NaN], ['Mish', inf, NaN],
      ['Softplus', inf, 0], ['Softsign', NaN, NaN], ['Hardswish', inf, NaN], ['Hardsigmoid', 1, 0],
      ['Hardtanh', 1, -1], ['Tanhshrink', inf, -inf], ['Softshrink', inf, -inf], ['Hardshrink', inf, -inf],
      ['Step', 1, 0], ['Sign', 1, -1], ['PiecewiseLinear', 1, 0], ['BipolarSigmoid', 1, -1],
    ];
    expect(table.map((t) => t[0]).sort()).toEqual(Object.keys(ACTIVATIONS).sort());
    for (const [type, hi, lo] of table) {
      const f = ACTIVATIONS[type].f;
      for (const [x, want] of [[inf, hi], [-inf, lo]]) {
        const y = f(x, {});
        if (Number.isNaN(want)) expect(y, `${type}(${x})`).toBeNaN();
        else expect(y, `${type}(${x})`).toBeCloseTo(want, 12);
      }
    }
  });
  it('Sigmoid, LogSigmoid and Softplus stay exact in the ±30 and ±800 tails', () => {
    expect(ACTIVATIONS.Sigmoid.f(-800, {})).toBe(0);
    expect(ACTIVATIONS.Sigmoid.f(-30, {}) / Math.exp(-30)).toBeCloseTo(1, 12);
    expect(ACTIVATIONS.LogSigmoid.f(-800, {})).toBe(-800);
    expect(ACTIVATIONS.LogSigmoid.f(30, {}) / -Math.exp(-30)).toBeCloseTo(1, 12);
    expect(ACTIVATIONS.Softplus.f(-800, {})).toBe(0);
    expect(ACTIVATIONS.Softplus.f(800, { threshold: 1e9 })).toBe(800);
    expect(ACTIVATIONS.Mish.f(800, {})).toBe(800);
  });
});

describe('docs', () => {
  it('every activation has a label, formula, derivative and note, and its registry key is its type', () => {
    for (const [key, def] of Object.entries(ACTIVATIONS)) {
      expect(def.type).toBe(key);
      for (const field of ['label', 'formula', 'derivative', 'note'] as const) expect(def.doc[field].trim().length, `${key}.${field}`).toBeGreaterThan(0);
      for (const a of def.attrs) expect(a.default, `${key}.${a.name}`).toBeDefined();
    }
  });
});

describe("kinks outside the reference cases take PyTorch's backward (checked once with torch 1.13 autograd)", () => {
  const at = (type: string, x: number, attrs: Attrs = {}): number => ACTIVATIONS[type].df(x, ACTIVATIONS[type].f(x, attrs), attrs);
  it('Hardswish: x/3 + 1/2 on the closed band [−3, 3], so −1/2 at −3 and 3/2 at 3', () => {
    expect(at('Hardswish', -3)).toBe(-0.5);
    expect(at('Hardswish', 3)).toBe(1.5);
    expect(at('Hardswish', -3.0001)).toBe(0);
  });
  it('Hardsigmoid, ReLU6, Hardtanh, PiecewiseLinear: zero gradient exactly at the corners', () => {
    expect([at('Hardsigmoid', -3), at('Hardsigmoid', 3), at('ReLU6', 6), at('ReLU6', 0)]).toEqual([0, 0, 0, 0]);
    expect([at('Hardtanh', -2, { min_val: -2, max_val: 0.5 }), at('Hardtanh', 0.5, { min_val: -2, max_val: 0.5 })]).toEqual([0, 0]);
  });
  it('Softshrink and Hardshrink: zero gradient at ±λ', () => {
    for (const t of ['Softshrink', 'Hardshrink']) expect([at(t, -0.5), at(t, 0.5), at(t, 0.50001)]).toEqual([0, 0, 1]);
  });
  it('Softplus switches to the identity only strictly above the threshold', () => {
    expect(at('Softplus', 10, { beta: 2, threshold: 20 })).toBeCloseTo(1 / (1 + Math.exp(-20)), 15);
    expect(at('Softplus', 10.001, { beta: 2, threshold: 20 })).toBe(1);
  });
});

describe('attributes', () => {
  it('every default lies within its own bounds, and enum defaults are among the options', () => {
    for (const def of Object.values(ACTIVATIONS)) {
      for (const a of def.attrs) {
        if (a.kind === 'enum') expect(a.options, `${def.type}.${a.name}`).toContain(a.default);
        if (typeof a.default !== 'number') continue;
        if (a.min !== undefined) expect(a.exclusive ? a.default > a.min : a.default >= a.min, `${def.type}.${a.name}`).toBe(true);
        if (a.max !== undefined) expect(a.exclusive ? a.default < a.max : a.default <= a.max, `${def.type}.${a.name}`).toBe(true);
      }
    }
  });
  it('a node without attributes behaves as one with the PyTorch defaults', () => {
    for (const def of Object.values(ACTIVATIONS)) {
      const defaults = Object.fromEntries(def.attrs.map((a) => [a.name, a.default]));
      for (const x of [-2.7, -0.3, 0.4, 1.9]) {
        expect(def.f(x, {}), def.type).toBe(def.f(x, defaults));
        expect(def.df(x, def.f(x, {}), {}), def.type).toBe(def.df(x, def.f(x, defaults), defaults));
      }
    }
  });
});

describe("attribute names and defaults are PyTorch's", () => {
  it('as documented for torch.nn', () => {
    const defaults = (t: string) => Object.fromEntries(ACTIVATIONS[t].attrs.map((a) => [a.name, a.default]));
    expect(defaults('LeakyReLU')).toEqual({ negative_slope: 0.01 });
    expect(defaults('ELU')).toEqual({ alpha: 1 });
    expect(defaults('CELU')).toEqual({ alpha: 1 });
    expect(defaults('GELU')).toEqual({ approximate: 'none' });
    expect(defaults('Softplus')).toEqual({ beta: 1, threshold: 20 });
    expect(defaults('Hardtanh')).toEqual({ min_val: -1, max_val: 1 });
    expect(defaults('Softshrink')).toEqual({ lambd: 0.5 });
    expect(defaults('Hardshrink')).toEqual({ lambd: 0.5 });
    const rrelu = LAYER_CATALOG.find((l) => l.type === 'RReLU')!;
    expect(Object.fromEntries(rrelu.attrs.map((a) => [a.name, a.default]))).toEqual({ lower: 1 / 8, upper: 1 / 3 });
    for (const t of ['ReLU', 'ReLU6', 'SELU', 'Sigmoid', 'Tanh', 'SiLU', 'Mish', 'Hardswish', 'Hardsigmoid']) expect(defaults(t)).toEqual({});
  });
});

describe('activationCurve (the inspector\'s plot of f and f′)', () => {
  it('is the training definition itself: ReLU, LeakyReLU at its slope, PReLU at its initial slope', async () => {
    const { activationCurve } = await import('../../../src-engine/layers');
    const relu = activationCurve('ReLU', {}, -2, 2, 5)!;
    expect(relu).toEqual({ x: [-2, -1, 0, 1, 2], f: [0, 0, 0, 1, 2], df: [0, 0, 0, 1, 1] });
    const leaky = activationCurve('LeakyReLU', { negative_slope: 0.1 }, -2, 2, 3)!;
    expect(leaky.f).toEqual([-0.2, 0, 2]);
    expect(leaky.df).toEqual([0.1, 0.1, 1]);
    expect(activationCurve('PReLU', { init: 0.3 }, -1, 1, 3)!.f).toEqual([-0.3, 0, 1]);
    expect(activationCurve('Linear', {})).toBeNull();
  });
});
