import type { LayerDef } from './op';

/**
 * BatchNorm1d (Ioffe & Szegedy 2015) over the batch, per feature.
 * Training: x̂ = (x − μ_B)/√(σ²_B + eps) with the biased batch variance; y = γ·x̂ + β;
 *   running_mean ← (1−m)·running_mean + m·μ_B, running_var ← (1−m)·running_var + m·σ²_B·n/(n−1) (unbiased).
 * Eval: the running statistics replace the batch ones.
 */
export const BatchNorm1d: LayerDef = {
  type: 'BatchNorm1d',
  family: 'normalization',
  arity: 'one',
  attrs: [
    { name: 'eps', kind: 'number', default: 1e-5, min: 0, exclusive: true },
    { name: 'momentum', kind: 'number', default: 0.1, min: 0, max: 1 },
    { name: 'affine', kind: 'bool', default: true },
  ],
  doc: {
    label: 'BatchNorm1d',
    formula: 'y = γ·(x − μ_B)/√(σ²_B + ε) + β',
    derivative: '∂L/∂x = γ/(n·σ)·(n·∂L/∂y − Σ∂L/∂y − x̂·Σ(∂L/∂y·x̂))',
    note: 'Keeps each layer\'s inputs centred and scaled, allowing larger learning rates; in eval it uses running statistics, so a batch of one is fine there but not in training.',
  },
  width: (_a, inW) => inW[0],
  params: (a, inW) =>
    a.affine === false
      ? []
      : [
          { name: 'weight', shape: [inW[0]], init: 'ones', decay: false, fanIn: inW[0], fanOut: inW[0] },
          { name: 'bias', shape: [inW[0]], init: 'zeros', decay: false, fanIn: inW[0], fanOut: inW[0] },
        ],
  state: (_a, inW) => [
    { name: 'running_mean', length: inW[0], init: 0 },
    { name: 'running_var', length: inW[0], init: 1 },
    { name: 'num_batches_tracked', length: 1, init: 0, scalar: true },
  ],
  create({ id, attrs, params, state, width }) {
    const eps = attrs.eps as number;
    const momentum = attrs.momentum as number;
    const gamma = params.weight ?? null;
    const beta = params.bias ?? null;
    const rm = state.running_mean;
    const rv = state.running_var;
    const nbt = state.num_batches_tracked;
    const invStd = new Float64Array(width);
    let xhat = new Float64Array(0);
    let usedBatch = false;
    return {
      forward([x], out, mode) {
        const n = x.rows;
        usedBatch = mode.train;
        if (xhat.length < n * width) xhat = new Float64Array(n * width);
        if (mode.train && n < 2) {
          throw new Error(`BatchNorm1d '${id}' needs more than one row per batch in training mode (got ${n}), as in PyTorch`);
        }
        for (let c = 0; c < width; c++) {
          let mean: number;
          let variance: number;
          if (mode.train) {
            let s = 0;
            for (let r = 0; r < n; r++) s += x.data[r * width + c];
            mean = s / n;
            let v = 0;
            for (let r = 0; r < n; r++) {
              const d = x.data[r * width + c] - mean;
              v += d * d;
            }
            variance = v / n;
            rm[c] = (1 - momentum) * rm[c] + momentum * mean;
            rv[c] = (1 - momentum) * rv[c] + momentum * ((v / (n - 1)));
          } else {
            mean = rm[c];
            variance = rv[c];
          }
          const is = 1 / Math.sqrt(variance + eps);
          invStd[c] = is;
          const g = gamma ? gamma.value[c] : 1;
          const b = beta ? beta.value[c] : 0;
          for (let r = 0; r < n; r++) {
            const i = r * width + c;
            const h = (x.data[i] - mean) * is;
            xhat[i] = h;
            out.data[i] = g * h + b;
          }
        }
        if (mode.train) nbt[0] += 1;
      },
      backward([x], _out, dOut, [dx]) {
        const n = x.rows;
        for (let c = 0; c < width; c++) {
          let sumDy = 0;
          let sumDyXhat = 0;
          for (let r = 0; r < n; r++) {
            const i = r * width + c;
            sumDy += dOut.data[i];
            sumDyXhat += dOut.data[i] * xhat[i];
          }
          if (gamma) gamma.grad[c] += sumDyXhat;
          if (beta) beta.grad[c] += sumDy;
          if (!dx) continue;
          const g = gamma ? gamma.value[c] : 1;
          const is = invStd[c];
          if (usedBatch) {
            for (let r = 0; r < n; r++) {
              const i = r * width + c;
              dx.data[i] += ((g * is) / n) * (n * dOut.data[i] - sumDy - xhat[i] * sumDyXhat);
            }
          } else {
            for (let r = 0; r < n; r++) dx.data[r * width + c] += g * is * dOut.data[r * width + c];
          }
        }
      },
    };
  },
};
