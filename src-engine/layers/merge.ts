import type { LayerDef } from './op';

/** The graph's entry: a row of `size` features. */
export const Input: LayerDef = {
  type: 'Input',
  family: 'io',
  arity: 'none',
  attrs: [{ name: 'size', kind: 'int', default: 2, min: 1, help: 'number of input features' }],
  doc: {
    label: 'Input',
    formula: 'a⁰ = x',
    derivative: '—',
    note: 'One row of features per sample; its size must match the data set.',
  },
  width: (a) => a.size as number,
  create() {
    return { forward() {}, backward() {} };
  },
};

/** Element-wise sum of equally wide inputs (residual connections). */
export const Add: LayerDef = {
  type: 'Add',
  family: 'merge',
  arity: 'many',
  attrs: [],
  doc: {
    label: 'Add',
    formula: 'y = x₁ + x₂ + …',
    derivative: '∂L/∂xᵢ = ∂L/∂y',
    note: 'Merges branches of the same width; a skip connection lets gradients bypass deep stacks.',
  },
  width(_a, inW) {
    if (inW.length < 2) return 'Add needs at least two inputs';
    const w = inW[0];
    return inW.every((v) => v === w) ? w : `Add needs inputs of equal width, got ${inW.join(', ')}`;
  },
  create({ width }) {
    return {
      forward(ins, out) {
        const n = ins[0].rows * width;
        out.data.set(ins[0].data.subarray(0, n));
        for (let k = 1; k < ins.length; k++) {
          const d = ins[k].data;
          for (let i = 0; i < n; i++) out.data[i] += d[i];
        }
      },
      backward(ins, _out, dOut, dIns) {
        const n = ins[0].rows * width;
        for (const dx of dIns) if (dx) for (let i = 0; i < n; i++) dx.data[i] += dOut.data[i];
      },
    };
  },
};

/** Concatenation of features: y = [x₁ | x₂ | …]. */
export const Concat: LayerDef = {
  type: 'Concat',
  family: 'merge',
  arity: 'many',
  attrs: [],
  doc: {
    label: 'Concat',
    formula: 'y = [x₁, x₂, …]',
    derivative: '∂L/∂xᵢ = the slice of ∂L/∂y that xᵢ filled',
    note: 'Joins branches side by side; the width is the sum of the inputs\' widths.',
  },
  width: (_a, inW) => (inW.length < 2 ? 'Concat needs at least two inputs' : inW.reduce((s, v) => s + v, 0)),
  create({ width, inWidths }) {
    return {
      forward(ins, out) {
        const n = ins[0].rows;
        let off = 0;
        ins.forEach((x, k) => {
          const w = inWidths[k];
          for (let r = 0; r < n; r++) for (let c = 0; c < w; c++) out.data[r * width + off + c] = x.data[r * w + c];
          off += w;
        });
      },
      backward(ins, _out, dOut, dIns) {
        const n = ins[0].rows;
        let off = 0;
        dIns.forEach((dx, k) => {
          const w = inWidths[k];
          if (dx) for (let r = 0; r < n; r++) for (let c = 0; c < w; c++) dx.data[r * w + c] += dOut.data[r * width + off + c];
          off += w;
        });
      },
    };
  },
};
