import { describe, expect, it } from 'vitest';
import { huber, LOSS_CATALOG, LossError, LOSSES } from '../../../src-engine/losses';
import type { LossDef } from '../../../src-engine/layers/types';
import { fromRows, mat, Rng, type Mat } from '../../../src-engine/tensor';
import { loadReference } from '../../helpers/reference';

interface NetworkCase {
  loss: string;
  output: number[][];
  target: number[][];
  loss_value: number;
}

const { cases } = loadReference<{ cases: NetworkCase[] }>('networks.json');
const NAMES = ['mse', 'mae', 'huber', 'bce', 'bce_logits', 'cross_entropy', 'nll', 'kl'];

describe('networks.json: every loss value matches PyTorch on the reference outputs', () => {
  it('the reference cases cover all eight losses', () => {
    expect([...new Set(cases.map((c) => c.loss))].sort()).toEqual([...NAMES].sort());
  });
  cases.forEach((c, i) => {
    it(`case ${i}: ${c.loss} over ${c.output.length}×${c.output[0].length}`, () => {
      const loss = LOSSES[c.loss];
      expect(c.target[0].length).toBe(loss.targetWidth(c.output[0].length));
      const v = loss.compute(fromRows('float64', c.output), fromRows('float64', c.target), null);
      expect(Math.abs(v - c.loss_value), `${v} vs torch ${c.loss_value}`).toBeLessThanOrEqual(1e-12 + 1e-10 * Math.abs(c.loss_value));
    });
  });
});

/** A random valid (pred, target) pair for a loss, with predictions kept clear of kinks. */
function sample(name: string, rng: Rng, n: number, m: number): { pred: Mat; target: Mat } {
  const pred = mat('float64', n, m);
  const target = mat('float64', n, LOSSES[name].targetWidth(m));
  for (let i = 0; i < n * m; i++) pred.data[i] = rng.uniform(-3, 3);
  for (let r = 0; r < n; r++) {
    if (name === 'cross_entropy' || name === 'nll') target.data[r] = rng.int(m);
    let sum = 0;
    for (let j = 0; j < target.cols; j++) {
      const k = r * target.cols + j;
      if (name === 'bce') pred.data[k] = rng.uniform(0.05, 0.95);
      if (name === 'bce' || name === 'bce_logits') target.data[k] = rng.uniform(0, 1) < 0.5 ? 0 : 1;
      else if (name === 'kl') sum += target.data[k] = rng.uniform(0.01, 1);
      else if (name !== 'cross_entropy' && name !== 'nll') {
        // regression: keep |pred − target| away from 0 (mae) and from δ = 1 (huber)
        const d = (rng.uniform(0, 1) < 0.5 ? -1 : 1) * rng.uniform(0.05, 2.5);
        target.data[k] = pred.data[k] - (Math.abs(Math.abs(d) - 1) < 0.02 ? d * 1.1 : d);
      }
    }
    if (name === 'kl') for (let j = 0; j < m; j++) target.data[r * m + j] /= sum;
  }
  return { pred, target };
}

function fdCheck(loss: LossDef, pred: Mat, target: Mat): void {
  const g = new Float64Array(pred.data.length);
  const v = loss.compute(pred, target, g);
  expect(Number.isFinite(v)).toBe(true);
  const h = 1e-6;
  for (let i = 0; i < pred.data.length; i++) {
    const x = pred.data[i];
    pred.data[i] = x + h;
    const up = loss.compute(pred, target, null);
    pred.data[i] = x - h;
    const down = loss.compute(pred, target, null);
    pred.data[i] = x;
    const fd = (up - down) / (2 * h);
    expect(Math.abs(g[i] - fd), `${loss.name} ∂/∂pred[${i}] = ${g[i]}, central difference ${fd}`).toBeLessThan(1e-7 + 1e-6 * Math.abs(fd));
  }
}

describe('∂loss/∂pred agrees with float64 central differences', () => {
  for (const name of NAMES) {
    it(name, () => {
      const rng = new Rng(11);
      for (let t = 0; t < 5; t++) {
        const { pred, target } = sample(name, rng, 4, 3);
        fdCheck(LOSSES[name], pred, target);
      }
    });
  }
  it('huber(δ = 2.5) too', () => {
    const rng = new Rng(3);
    const { pred, target } = sample('mse', rng, 5, 2);
    fdCheck(huber(2.5), pred, target);
  });
  it('the gradient overwrites dpred (stale values do not leak in)', () => {
    const rng = new Rng(5);
    for (const name of NAMES) {
      const { pred, target } = sample(name, rng, 3, 4);
      const clean = new Float64Array(12);
      const dirty = new Float64Array(12).fill(7);
      LOSSES[name].compute(pred, target, clean);
      LOSSES[name].compute(pred, target, dirty);
      expect(Array.from(dirty), name).toEqual(Array.from(clean));
    }
  });
});

describe('PyTorch conventions at the edges', () => {
  const one = (p: number, t: number): [Mat, Mat] => [fromRows('float64', [[p]]), fromRows('float64', [[t]])];
  it('mae has gradient 0 where pred = target (sign(0) = 0)', () => {
    const g = new Float64Array(1);
    LOSSES.mae.compute(...one(0.3, 0.3), g);
    expect(g[0]).toBe(0);
  });
  it('huber is ½d² up to δ and δ(|d| − ½δ) beyond, for the default δ = 1 and for huber(δ)', () => {
    expect(LOSSES.huber.compute(...one(0.5, 0), null)).toBeCloseTo(0.125, 15);
    expect(LOSSES.huber.compute(...one(-3, 0), null)).toBeCloseTo(2.5, 15);
    expect(huber(2).compute(...one(5, 0), null)).toBeCloseTo(2 * (5 - 1), 15);
    expect(huber(2).compute(...one(1.5, 0), null)).toBeCloseTo(0.5 * 2.25, 15);
  });
  it('bce clamps log at −100: a confident wrong answer costs exactly 100, with a finite gradient', () => {
    const g = new Float64Array(1);
    expect(LOSSES.bce.compute(...one(0, 1), g)).toBe(100);
    expect(Number.isFinite(g[0])).toBe(true);
    expect(LOSSES.bce.compute(...one(1, 0), null)).toBe(100);
    expect(LOSSES.bce.compute(...one(1, 1), null)).toBe(0);
  });
  it('kl counts 0·log 0 as 0 (xlogy) and is Σ over classes / rows (batchmean)', () => {
    const pred = fromRows('float64', [[Math.log(0.5), Math.log(0.5)], [Math.log(0.25), Math.log(0.75)]]);
    const target = fromRows('float64', [[1, 0], [0.25, 0.75]]);
    expect(LOSSES.kl.compute(pred, target, null)).toBeCloseTo(Math.log(2) / 2, 14);
  });
  it('cross_entropy and bce_logits stay finite and exact with logits of ±1e4', () => {
    const big = fromRows('float64', [[1e4, 0, -1e4]]);
    const g = new Float64Array(3);
    expect(LOSSES.cross_entropy.compute(big, fromRows('float64', [[0]]), g)).toBe(0);
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    expect(LOSSES.cross_entropy.compute(big, fromRows('float64', [[2]]), g)).toBe(2e4);
    expect(g[0]).toBeCloseTo(1, 12);
    expect(g[2]).toBeCloseTo(-1, 12);
    const z = fromRows('float64', [[1e4, -1e4]]);
    const gz = new Float64Array(2);
    expect(LOSSES.bce_logits.compute(z, fromRows('float64', [[0, 1]]), gz)).toBe(1e4);
    expect(Array.from(gz)).toEqual([0.5, -0.5]);
    expect(LOSSES.bce_logits.compute(z, fromRows('float64', [[1, 0]]), null)).toBe(0);
  });
  it('nll and cross_entropy agree when nll is given log-softmax', () => {
    const z = [[0.3, -1.2, 2.0], [1.0, 1.0, -0.5]];
    const logsm = z.map((r) => {
      const lse = Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
      return r.map((v) => v - lse);
    });
    const t = fromRows('float64', [[2], [0]]);
    expect(LOSSES.nll.compute(fromRows('float64', logsm), t, null)).toBeCloseTo(LOSSES.cross_entropy.compute(fromRows('float64', z), t, null), 14);
  });
});

describe('class indices are validated', () => {
  const pred = fromRows('float64', [[0.1, 0.2, 0.3], [0.0, 0.5, 0.1]]);
  for (const name of ['cross_entropy', 'nll']) {
    it(`${name} rejects an index ≥ classes, negative or fractional, naming the row and the value`, () => {
      expect(() => LOSSES[name].compute(pred, fromRows('float64', [[0], [3]]), null)).toThrow(/row 2.*3/);
      expect(() => LOSSES[name].compute(pred, fromRows('float64', [[-1], [0]]), null)).toThrow(/row 1.*-1/);
      expect(() => LOSSES[name].compute(pred, fromRows('float64', [[1.5], [0]]), null)).toThrow(/row 1.*1\.5/);
      expect(() => LOSSES[name].compute(pred, fromRows('float64', [[2], [1]]), null)).not.toThrow();
    });
  }
});

describe('shapes are validated', () => {
  it('a target with the wrong rows or columns is refused with both shapes named', () => {
    const pred = fromRows('float64', [[0.1, 0.2], [0.3, 0.4]]);
    expect(() => LOSSES.mse.compute(pred, fromRows('float64', [[0, 0]]), null)).toThrow(/target is 1×2.*needs 2×2/);
    expect(() => LOSSES.kl.compute(pred, fromRows('float64', [[1], [1]]), null)).toThrow(LossError);
    expect(() => LOSSES.cross_entropy.compute(pred, fromRows('float64', [[0, 1], [1, 0]]), null)).toThrow(/needs 2×1/);
    expect(() => LOSSES.bce.compute(pred, fromRows('float64', [[0, 1], [1, 0]]), new Float64Array(3))).toThrow(/needs 4/);
  });
  it('huber(δ) refuses δ ≤ 0 or non-finite δ', () => {
    for (const d of [0, -1, NaN, Infinity]) expect(() => huber(d), String(d)).toThrow(/delta/);
  });
});

describe('catalog', () => {
  it('lists every loss with a label, what it expects and a doc; only mse is a sum of squares', () => {
    expect(LOSS_CATALOG.map((l) => l.name).sort()).toEqual([...NAMES].sort());
    for (const l of LOSS_CATALOG) {
      for (const s of [l.label, l.expects, l.doc.formula, l.doc.note]) expect(s.trim().length, l.name).toBeGreaterThan(0);
      expect(LOSSES[l.name].sumOfSquares, l.name).toBe(l.name === 'mse');
    }
  });
  it('is not fooled by prototype keys', () => {
    expect(LOSSES['constructor']).toBeUndefined();
    expect(LOSSES['__proto__']).toBeUndefined();
  });
});
