import { Arena, linearForward, linearInputGrad, linearWeightGrad, type Buf } from '../tensor';
import type { LayerDef, ParamSpec } from './op';

/** Linear: z = x·Wᵀ + b. x [n][in], W [units][in], b [units] (PyTorch layout). */
export const Linear: LayerDef = {
  type: 'Linear',
  family: 'core',
  arity: 'one',
  attrs: [
    { name: 'units', kind: 'int', default: 4, min: 1, help: 'number of neurons (out_features)' },
    { name: 'bias', kind: 'bool', default: true },
  ],
  doc: {
    label: 'Linear (fully connected)',
    formula: 'z = W·x + b',
    derivative: '∂L/∂W = δᵀ·x,  ∂L/∂b = Σδ,  ∂L/∂x = δ·W',
    note: 'Stacked Linear layers without a nonlinearity between them collapse into one Linear layer.',
  },
  width: (a) => a.units as number,
  params(a, inW, w) {
    const p: ParamSpec[] = [{ name: 'weight', shape: [w, inW[0]], init: 'weight' as const, decay: true, fanIn: inW[0], fanOut: w }];
    if (a.bias !== false) p.push({ name: 'bias', shape: [w], init: 'bias' as const, decay: false, fanIn: inW[0], fanOut: w });
    return p;
  },
  create({ params, inWidths, width }) {
    const W = params.weight;
    const b = params.bias ?? null;
    const k = inWidths[0];
    return {
      // ins[0], not [x]: destructuring runs the array iterator, which allocates until V8 optimizes it away.
      forward(ins, out) {
        const x = ins[0];
        linearForward(out.data, x.data, W.value, b ? b.value : null, x.rows, k, width);
      },
      backward(ins, _out, dOut, dIns) {
        const x = ins[0];
        const dx = dIns[0];
        linearWeightGrad(W.grad, b ? b.grad : null, dOut.data, x.data, x.rows, k, width);
        if (dx) linearInputGrad(dx.data, dOut.data, W.value, x.rows, k, width, true);
      },
    };
  },
};

/**
 * Maxout (Goodfellow et al. 2013): out[u] = max_k (W·x + b)[u·pieces + k].
 * W [units·pieces][in]; the gradient flows only to the winning piece (first one on ties).
 */
export const Maxout: LayerDef = {
  type: 'Maxout',
  family: 'core',
  arity: 'one',
  attrs: [
    { name: 'units', kind: 'int', default: 4, min: 1 },
    { name: 'pieces', kind: 'int', default: 2, min: 1, max: 64 },
  ],
  doc: {
    label: 'Maxout',
    formula: 'a_u = max_k (w_{u,k}ᵀx + b_{u,k})',
    derivative: '∂a_u/∂z_{u,k} = 1 for the winning piece k, 0 otherwise',
    note: 'Learns its own piecewise-linear activation; ReLU and Leaky ReLU are special cases. Costs pieces× the weights.',
  },
  width: (a) => a.units as number,
  params(a, inW) {
    const rows = (a.units as number) * (a.pieces as number);
    return [
      { name: 'weight', shape: [rows, inW[0]], init: 'weight', decay: true, fanIn: inW[0], fanOut: rows },
      { name: 'bias', shape: [rows], init: 'bias', decay: false, fanIn: inW[0], fanOut: rows },
    ];
  },
  create({ params, inWidths, width, attrs }) {
    const W = params.weight;
    const b = params.bias;
    const k = inWidths[0];
    const pieces = attrs.pieces as number;
    const rows = width * pieces;
    let arg = new Int32Array(0);
    let own = new Float64Array(0);
    /**
     * The pre-activations z = x·Wᵀ + b [n][units·pieces] in forward, their gradient in backward: in the
     * model's arena when it has one (transient, so the kernels run in place; taken before any .data is
     * read, since it may grow the memory and re-make the views), else in an array of our own.
     */
    const scratch = (n: number): Buf => {
      const arena = Arena.holding(W.value);
      if (arena) return arena.temp(n * rows);
      if (own.length < n * rows) own = new Float64Array(n * rows);
      return own;
    };
    return {
      forward(ins, out) {
        const x = ins[0];
        const n = x.rows;
        const z = scratch(n);
        if (arg.length < n * width) arg = new Int32Array(n * width);
        linearForward(z, x.data, W.value, b.value, n, k, rows);
        for (let r = 0; r < n; r++) {
          for (let u = 0; u < width; u++) {
            const base = r * rows + u * pieces;
            let best = 0;
            let v = z[base];
            for (let p = 1; p < pieces; p++) {
              if (z[base + p] > v || (Number.isNaN(z[base + p]) && !Number.isNaN(v))) {
                v = z[base + p];
                best = p;
              }
            }
            arg[r * width + u] = best;
            out.data[r * width + u] = v;
          }
        }
      },
      backward(ins, _out, dOut, dIns) {
        const x = ins[0];
        const dx = dIns[0];
        const n = x.rows;
        const dz = scratch(n);
        dz.fill(0, 0, n * rows);
        for (let r = 0; r < n; r++) {
          for (let u = 0; u < width; u++) dz[r * rows + u * pieces + arg[r * width + u]] = dOut.data[r * width + u];
        }
        linearWeightGrad(W.grad, b.grad, dz, x.data, n, k, rows);
        if (dx) linearInputGrad(dx.data, dz, W.value, n, k, rows, true);
      },
    };
  },
};
