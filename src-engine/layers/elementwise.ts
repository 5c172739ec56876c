import type { ActivationDef } from './types';
import type { LayerDef } from './op';

/** Wraps an element-wise activation y = f(x) as a node type: dL/dx = dL/dy · f′(x). */
export function elementwiseLayer(def: ActivationDef): LayerDef {
  const { f, df } = def;
  return {
    type: def.type,
    family: 'activation',
    arity: 'one',
    attrs: def.attrs,
    doc: def.doc,
    width: (_a, inW) => inW[0],
    create({ attrs }) {
      return {
        forward([x], out) {
          const xd = x.data;
          const yd = out.data;
          const n = x.rows * x.cols;
          for (let i = 0; i < n; i++) yd[i] = f(xd[i], attrs);
        },
        backward([x], out, dOut, [dx]) {
          if (!dx) return;
          const xd = x.data;
          const yd = out.data;
          const g = dOut.data;
          const d = dx.data;
          const n = x.rows * x.cols;
          for (let i = 0; i < n; i++) d[i] += g[i] * df(xd[i], yd[i], attrs);
        },
      };
    },
  };
}
