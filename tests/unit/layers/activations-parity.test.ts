import { describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../../src-engine/layers';
import { loadReference, mismatch } from '../../helpers/reference';

interface ActCase {
  type: string;
  attrs: Record<string, number | string>;
  input: number[][];
  upstream: number[][];
  output: number[][];
  grad_input: number[][];
}

const { cases } = loadReference<{ cases: ActCase[] }>('activations.json');
// Layers with parameters, noise or row-wise maths (RReLU is one: random in training) are in special-parity.test.ts.
const elementwise = cases.filter((c) => !['Softmax', 'LogSoftmax', 'PReLU', 'RReLU'].includes(c.type));

describe('activations.json: every element-wise activation matches PyTorch (values at kinks and ±30 tails included)', () => {
  it('has a definition for every element-wise case', () => {
    expect(elementwise.filter((c) => !(c.type in ACTIVATIONS)).map((c) => c.type)).toEqual([]);
  });
  for (const c of elementwise) {
    it(`${c.type} ${JSON.stringify(c.attrs)}`, () => {
      const def = ACTIVATIONS[c.type];
      const y = c.input.map((row) => row.map((x) => def.f(x, c.attrs)));
      const dx = c.input.map((row, r) => row.map((x, j) => c.upstream[r][j] * def.df(x, y[r][j], c.attrs)));
      expect(mismatch(y, c.output, 1e-12, 1e-10, 'output')).toBeNull();
      expect(mismatch(dx, c.grad_input, 1e-12, 1e-10, 'grad_input')).toBeNull();
    });
  }
  it('propagates NaN and ±Inf as PyTorch does', () => {
    for (const def of Object.values(ACTIVATIONS)) {
      if (def.type === 'Step' || def.type === 'Sign') continue;
      expect(Number.isNaN(def.f(NaN, {})), def.type).toBe(true);
    }
    expect(ACTIVATIONS.ReLU.f(Infinity, {})).toBe(Infinity);
    expect(ACTIVATIONS.Sigmoid.f(-Infinity, {})).toBe(0);
    expect(ACTIVATIONS.Sigmoid.f(Infinity, {})).toBe(1);
    expect(ACTIVATIONS.Tanh.f(Infinity, {})).toBe(1);
    expect(ACTIVATIONS.Softplus.f(Infinity, {})).toBe(Infinity);
    expect(ACTIVATIONS.LogSigmoid.f(-Infinity, {})).toBe(-Infinity);
  });
  it('Step is ½ at 0 and Sign is 0 at 0, both with zero gradient', () => {
    expect([ACTIVATIONS.Step.f(-2, {}), ACTIVATIONS.Step.f(0, {}), ACTIVATIONS.Step.f(3, {})]).toEqual([0, 0.5, 1]);
    expect([ACTIVATIONS.Sign.f(-2, {}), ACTIVATIONS.Sign.f(0, {}), ACTIVATIONS.Sign.f(3, {})]).toEqual([-1, 0, 1]);
    expect(ACTIVATIONS.Step.df(0.3, 1, {})).toBe(0);
  });
  it('every activation carries a formula, derivative and note for the UI', () => {
    for (const def of Object.values(ACTIVATIONS)) {
      expect(def.doc.formula.length * def.doc.derivative.length * def.doc.note.length, def.type).toBeGreaterThan(0);
    }
  });
});
