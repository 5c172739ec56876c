import type { LayerDef } from './op';

/**
 * Inverted dropout: in training each unit is zeroed with probability p and the survivors are scaled
 * by 1/(1−p); in eval it is the identity. In expectation this equals the lecture's form (keep units
 * unscaled in training, multiply by (1−p) at inference): both give E[train output] = eval output,
 * inverted dropout just moves the factor to training time so inference costs nothing.
 */
export const Dropout: LayerDef = {
  type: 'Dropout',
  family: 'core',
  arity: 'one',
  attrs: [{ name: 'p', kind: 'number', default: 0.5, min: 0, max: 1, exclusive: false, help: 'probability of zeroing a unit' }],
  doc: {
    label: 'Dropout',
    formula: 'train: y = x·ξ/(1−p), ξ ~ Bernoulli(1−p);  eval: y = x',
    derivative: '∂y/∂x = ξ/(1−p) in training, 1 in eval',
    note: 'Regularizes by switching random neurons off while training; the (1−p) correction moves to training time (inverted dropout).',
  },
  width: (a, inW) => (a.p === 1 ? 'p = 1 would drop every unit; use p < 1' : inW[0]),
  create({ attrs }) {
    const p = attrs.p as number;
    const scale = 1 / (1 - p);
    let mask = new Float64Array(0);
    let masked = false;
    return {
      forward([x], out, mode) {
        const n = x.rows * x.cols;
        masked = mode.train && mode.stochastic && p > 0;
        if (!masked) {
          out.data.set(x.data.subarray(0, n));
          return;
        }
        if (mask.length < n) mask = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          mask[i] = mode.rng.random() < p ? 0 : scale;
          out.data[i] = x.data[i] * mask[i];
        }
      },
      backward([x], _out, dOut, [dx]) {
        if (!dx) return;
        const n = x.rows * x.cols;
        if (!masked) for (let i = 0; i < n; i++) dx.data[i] += dOut.data[i];
        else for (let i = 0; i < n; i++) dx.data[i] += dOut.data[i] * mask[i];
      },
    };
  },
};

/**
 * Randomized leaky ReLU (Xu et al. 2015): in training each negative input gets a slope a ~ U(lower, upper);
 * in eval the slope is (lower + upper)/2, as PyTorch.
 */
export const RReLU: LayerDef = {
  type: 'RReLU',
  family: 'activation',
  arity: 'one',
  attrs: [
    { name: 'lower', kind: 'number', default: 1 / 8, min: 0, max: 1, help: 'smallest random negative slope' },
    { name: 'upper', kind: 'number', default: 1 / 3, min: 0, max: 1, help: 'largest random negative slope' },
  ],
  doc: {
    label: 'RReLU (randomized leaky ReLU)',
    formula: 'y = x if x ≥ 0, a·x otherwise; a ~ U(lower, upper) in training, (lower+upper)/2 in eval',
    derivative: "y' = 1 if x > 0, a otherwise",
    note: 'The random negative slope acts as a regularizer; in eval it is a Leaky ReLU with the mean slope.',
  },
  width: (a, inW) => ((a.lower as number) > (a.upper as number) ? 'lower must not exceed upper' : inW[0]),
  create({ attrs }) {
    const lo = attrs.lower as number;
    const hi = attrs.upper as number;
    const mean = (lo + hi) / 2;
    let slope = new Float64Array(0);
    return {
      forward([x], out, mode) {
        const n = x.rows * x.cols;
        if (slope.length < n) slope = new Float64Array(n);
        const random = mode.train && mode.stochastic;
        for (let i = 0; i < n; i++) {
          const v = x.data[i];
          if (v > 0 || Number.isNaN(v)) {
            slope[i] = 1;
            out.data[i] = v;
          } else {
            const a = random ? lo + (hi - lo) * mode.rng.random() : mean;
            slope[i] = a;
            out.data[i] = v * a;
          }
        }
      },
      backward([x], _out, dOut, [dx]) {
        if (!dx) return;
        const n = x.rows * x.cols;
        for (let i = 0; i < n; i++) dx.data[i] += dOut.data[i] * slope[i];
      },
    };
  },
};

/**
 * PReLU (He et al. 2015): y = max(0, x) + a·min(0, x) with a learnable slope a, one per channel
 * (num_parameters = width) or shared (num_parameters = 1). PyTorch's init is 0.25.
 */
export const PReLU: LayerDef = {
  type: 'PReLU',
  family: 'activation',
  arity: 'one',
  attrs: [
    { name: 'num_parameters', kind: 'int', default: 1, min: 1, help: '1 (shared) or the input width (per channel)' },
    { name: 'init', kind: 'number', default: 0.25, min: 0, max: 1, help: 'the slope for x < 0 it starts from (then learned)' },
  ],
  doc: {
    label: 'PReLU (parametric ReLU)',
    formula: 'y = x if x > 0, a·x otherwise (a learned)',
    derivative: "∂y/∂x = 1 if x > 0, a otherwise;  ∂y/∂a = x if x ≤ 0, else 0",
    note: 'A Leaky ReLU that learns its negative slope; a per-channel slope adds one parameter per neuron.',
  },
  width(a, inW) {
    const k = a.num_parameters as number;
    return k === 1 || k === inW[0] ? inW[0] : `num_parameters must be 1 or the input width ${inW[0]}, got ${k}`;
  },
  params: (a, inW) => [
    { name: 'weight', shape: [a.num_parameters as number], init: { constant: a.init as number }, decay: false, fanIn: inW[0], fanOut: inW[0] },
  ],
  create({ params, width }) {
    const w = params.weight;
    const shared = w.value.length === 1;
    const acc = new Float64Array(w.value.length);
    return {
      forward([x], out) {
        for (let r = 0; r < x.rows; r++) {
          for (let c = 0; c < width; c++) {
            const i = r * width + c;
            const v = x.data[i];
            out.data[i] = v > 0 ? v : (shared ? w.value[0] : w.value[c]) * v;
          }
        }
      },
      backward([x], _out, dOut, [dx]) {
        acc.fill(0);
        for (let r = 0; r < x.rows; r++) {
          for (let c = 0; c < width; c++) {
            const i = r * width + c;
            const v = x.data[i];
            const g = dOut.data[i];
            const a = shared ? w.value[0] : w.value[c];
            if (dx) dx.data[i] += v > 0 ? g : a * g;
            if (!(v > 0)) acc[shared ? 0 : c] += v * g;
          }
        }
        for (let j = 0; j < acc.length; j++) w.grad[j] += acc[j];
      },
    };
  },
};
