import { describe, expect, it } from 'vitest';
import { compile } from '../../../src-engine/graph';
import type { NodeSpec } from '../../../src-engine/graph/types';
import { LAYERS } from '../../../src-engine/layers';
import { LOSSES } from '../../../src-engine/losses';
import { fromRows, Rng } from '../../../src-engine/tensor';

/**
 * Float64 central finite differences against the analytic gradient, for every node type and every
 * loss — including those PyTorch lacks (Step, Sign, Maxout, BipolarSigmoid, PiecewiseLinear).
 * Each node sits between two Linear layers, so a wrong dL/dx shows in the first layer's gradient.
 */
const TYPES = Object.keys(LAYERS).filter((t) => t !== 'Input');

function graphFor(type: string): NodeSpec[] {
  const pre: NodeSpec[] = [
    { id: 'x', type: 'Input', size: 3 },
    { id: 'fc1', type: 'Linear', in: ['x'], units: 4 },
  ];
  if (type === 'Add' || type === 'Concat') {
    return [...pre, { id: 'fc1b', type: 'Linear', in: ['x'], units: 4 }, { id: 'node', type, in: ['fc1', 'fc1b'] }, { id: 'out', type: 'Linear', in: ['node'], units: 2 }];
  }
  const attrs: Record<string, unknown> = type === 'PReLU' ? { num_parameters: 4 } : type === 'Maxout' ? { units: 3, pieces: 3 } : type === 'Linear' ? { units: 3 } : {};
  return [...pre, { id: 'node', type, in: ['fc1'], ...attrs }, { id: 'out', type: 'Linear', in: ['node'], units: 2 }];
}

describe('finite-difference gradient check (float64) for every node type', () => {
  it('the registry has every node type the course and issue #3 name', () => {
    const required = ['Linear', 'Identity', 'Dropout', 'BatchNorm1d', 'Maxout', 'Add', 'Concat', 'Softmax', 'LogSoftmax', 'Step', 'Sign',
      'PiecewiseLinear', 'Sigmoid', 'Tanh', 'ReLU', 'ReLU6', 'LeakyReLU', 'PReLU', 'RReLU', 'ELU', 'CELU', 'SELU', 'GELU', 'SiLU', 'Mish',
      'Softplus', 'Softsign', 'Hardswish', 'Hardsigmoid', 'Hardtanh', 'Tanhshrink', 'Softshrink', 'Hardshrink', 'LogSigmoid', 'BipolarSigmoid'];
    expect(required.filter((t) => !TYPES.includes(t))).toEqual([]);
  });
  for (const type of TYPES) {
    for (const train of [false, true]) {
      it(`${type} in ${train ? 'training' : 'eval'} mode`, () => {
        const model = compile({ nodes: graphFor(type), outputs: ['out'] }, { dtype: 'float64', seed: 11, init: 'xavier_normal' });
        if (type === 'PReLU') model.theta.subarray(model.params.find((p) => p.node === 'node')!.offset).subarray(0, 4).set([0.25, -0.3, 0.5, 0.1]);
        const dataRng = new Rng(5);
        const rows = Array.from({ length: 6 }, () => Array.from({ length: 3 }, () => dataRng.normal(0, 1.5)));
        const X = fromRows('float64', rows);
        const Y = fromRows('float64', rows.map((r) => [Math.sin(r[0]), r[1] * r[2]]));
        const loss = LOSSES.mse;
        const snap = model.snapshotState();
        // Same noise (dropout masks, RReLU slopes) at every evaluation: a fresh generator each time.
        const evaluate = (withGrad: boolean) => {
          model.restoreState(snap);
          const mode = { train, stochastic: true, rng: new Rng(99) };
          const pred = model.forward(X, mode);
          const d = new Float64Array(pred.rows * pred.cols);
          const L = loss.compute(pred, Y, withGrad ? d : null);
          if (withGrad) {
            model.zeroGrad();
            model.backward(d, mode);
          }
          return L;
        };
        evaluate(true);
        const analytic = Float64Array.from(model.grad);
        const h = 1e-6;
        let worst = 0;
        for (let i = 0; i < model.theta.length; i++) {
          const keep = model.theta[i];
          model.theta[i] = keep + h;
          const up = evaluate(false);
          model.theta[i] = keep - h;
          const down = evaluate(false);
          model.theta[i] = keep;
          const fd = (up - down) / (2 * h);
          worst = Math.max(worst, Math.abs(fd - analytic[i]) / (1e-6 + Math.abs(fd)));
        }
        expect(worst).toBeLessThan(1e-4);
        // The check is not vacuous: the first layer's gradient is non-zero unless the node blocks it.
        const first = model.params.find((p) => p.node === 'fc1')!;
        const norm = Math.hypot(...analytic.subarray(first.offset, first.offset + first.size));
        if (type === 'Step' || type === 'Sign') expect(norm).toBe(0);
        else expect(norm).toBeGreaterThan(1e-8);
      });
    }
  }
});

describe('finite-difference gradient check (float64) for every loss', () => {
  for (const name of Object.keys(LOSSES)) {
    it(name, () => {
      const loss = LOSSES[name];
      const rng = new Rng(3);
      const n = 5;
      const m = 3;
      let predRows = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal(0, 1.2)));
      let targetRows: number[][];
      if (name === 'cross_entropy' || name === 'nll') targetRows = Array.from({ length: n }, (_, r) => [r % m]);
      else if (name === 'bce') {
        predRows = predRows.map((r) => r.map((v) => 1 / (1 + Math.exp(-v))));
        targetRows = Array.from({ length: n }, (_, r) => Array.from({ length: m }, (_, c) => (r + c) % 2));
      } else if (name === 'bce_logits') targetRows = Array.from({ length: n }, (_, r) => Array.from({ length: m }, (_, c) => (r + c) % 2));
      else if (name === 'kl') {
        targetRows = Array.from({ length: n }, () => {
          const e = Array.from({ length: m }, () => Math.exp(rng.normal()));
          const s = e.reduce((a, b) => a + b, 0);
          return e.map((v) => v / s);
        });
      } else targetRows = Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal()));
      const pred = fromRows('float64', predRows);
      const target = fromRows('float64', targetRows);
      const d = new Float64Array(n * m);
      loss.compute(pred, target, d);
      const h = 1e-6;
      for (let i = 0; i < n * m; i++) {
        const keep = pred.data[i];
        pred.data[i] = keep + h;
        const up = loss.compute(pred, target, null);
        pred.data[i] = keep - h;
        const down = loss.compute(pred, target, null);
        pred.data[i] = keep;
        expect(Math.abs((up - down) / (2 * h) - d[i])).toBeLessThan(1e-6 + 1e-5 * Math.abs(d[i]));
      }
    });
  }

  it('cross_entropy and bce_logits stay finite for logits of 1e4', () => {
    const pred = fromRows('float64', [[1e4, -1e4, 0]]);
    const d = new Float64Array(3);
    expect(LOSSES.cross_entropy.compute(pred, fromRows('float64', [[1]]), d)).toBeCloseTo(2e4, 6);
    expect([...d].every(Number.isFinite)).toBe(true);
    const b = new Float64Array(3);
    expect(LOSSES.bce_logits.compute(pred, fromRows('float64', [[0, 1, 1]]), b)).toBeCloseTo((1e4 + 1e4 + Math.log(2)) / 3, 6);
    expect([...b].every(Number.isFinite)).toBe(true);
  });

  it('refuses a class index outside the output, naming the row', () => {
    const pred = fromRows('float64', [[0, 1], [1, 0]]);
    expect(() => LOSSES.cross_entropy.compute(pred, fromRows('float64', [[0], [2]]), null)).toThrow(/row 2 has class 2/);
  });
});
