import { logSumExp } from '../tensor';
import type { LayerDef } from './op';

/** Softmax over each row: yᵢ = e^{xᵢ−max} / Σⱼ e^{xⱼ−max} (the shift keeps large logits finite). */
export const Softmax: LayerDef = {
  type: 'Softmax',
  family: 'output',
  arity: 'one',
  attrs: [],
  doc: {
    label: 'Softmax',
    formula: 'yᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)',
    derivative: '∂L/∂xᵢ = yᵢ·(∂L/∂yᵢ − Σⱼ yⱼ·∂L/∂yⱼ)',
    note: 'Turns the output layer into class probabilities; pair with nll on its log, or use cross_entropy on logits instead.',
  },
  width: (_a, inW) => inW[0],
  create({ width }) {
    return {
      forward([x], out) {
        for (let r = 0; r < x.rows; r++) {
          const o = r * width;
          const lse = logSumExp(x.data, o, width);
          for (let i = 0; i < width; i++) out.data[o + i] = Math.exp(x.data[o + i] - lse);
        }
      },
      backward([x], out, dOut, [dx]) {
        if (!dx) return;
        for (let r = 0; r < x.rows; r++) {
          const o = r * width;
          let s = 0;
          for (let i = 0; i < width; i++) s += dOut.data[o + i] * out.data[o + i];
          for (let i = 0; i < width; i++) dx.data[o + i] += out.data[o + i] * (dOut.data[o + i] - s);
        }
      },
    };
  },
};

/** LogSoftmax over each row: yᵢ = xᵢ − max − log Σⱼ e^{xⱼ−max}. */
export const LogSoftmax: LayerDef = {
  type: 'LogSoftmax',
  family: 'output',
  arity: 'one',
  attrs: [],
  doc: {
    label: 'LogSoftmax',
    formula: 'yᵢ = xᵢ − log Σⱼ exp(xⱼ)',
    derivative: '∂L/∂xᵢ = ∂L/∂yᵢ − softmax(x)ᵢ·Σⱼ ∂L/∂yⱼ',
    note: 'Log-probabilities for nll and kl; computing log(softmax) in one step avoids log(0) for large logits.',
  },
  width: (_a, inW) => inW[0],
  create({ width }) {
    return {
      forward([x], out) {
        for (let r = 0; r < x.rows; r++) {
          const o = r * width;
          const lse = logSumExp(x.data, o, width);
          for (let i = 0; i < width; i++) out.data[o + i] = x.data[o + i] - lse;
        }
      },
      backward([x], out, dOut, [dx]) {
        if (!dx) return;
        for (let r = 0; r < x.rows; r++) {
          const o = r * width;
          let s = 0;
          for (let i = 0; i < width; i++) s += dOut.data[o + i];
          for (let i = 0; i < width; i++) dx.data[o + i] += dOut.data[o + i] - Math.exp(out.data[o + i]) * s;
        }
      },
    };
  },
};
