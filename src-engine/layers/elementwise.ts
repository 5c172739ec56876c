import { tanhInArena, type Buf } from '../tensor';
import type { ActivationDef, Attrs } from './types';
import type { LayerDef } from './op';

/** The two passes of an element-wise layer over n values: y = f(x), and dx += dy · f′(x, y). */
interface Loops {
  forward(x: Buf, y: Buf, n: number, a: Attrs): void;
  backward(x: Buf, y: Buf, dy: Buf, dx: Buf, n: number, a: Attrs): void;
}

/**
 * Loops of their own for the activations used most (the lectures' and the Playground's). A loop
 * shared by every activation calls f through a call site that V8 sees as megamorphic once two
 * activations have run: f is then never inlined and each result is boxed, ~16 bytes of garbage per
 * value per pass. Each loop below calls one activation's own f and df (the maths stays in the
 * registry), which V8 inlines. The bodies repeat on purpose: one shared body would share one call site.
 */
const OWN_LOOPS: Record<string, (def: ActivationDef) => Loops> = {
  ReLU: ({ f, df }) => ({
    forward(x, y, n, a) {
      for (let i = 0; i < n; i++) y[i] = f(x[i], a);
    },
    backward(x, y, dy, dx, n, a) {
      for (let i = 0; i < n; i++) dx[i] += dy[i] * df(x[i], y[i], a);
    },
  }),
  LeakyReLU: ({ f, df }) => ({
    forward(x, y, n, a) {
      for (let i = 0; i < n; i++) y[i] = f(x[i], a);
    },
    backward(x, y, dy, dx, n, a) {
      for (let i = 0; i < n; i++) dx[i] += dy[i] * df(x[i], y[i], a);
    },
  }),
  Tanh: ({ f, df }) => ({
    forward(x, y, n, a) {
      // A float32 model's arena has a SIMD tanh, within 3 ulp of float32 and far cheaper than Math.tanh.
      if (tanhInArena(x, y, n)) return;
      for (let i = 0; i < n; i++) y[i] = f(x[i], a);
    },
    backward(x, y, dy, dx, n, a) {
      for (let i = 0; i < n; i++) dx[i] += dy[i] * df(x[i], y[i], a);
    },
  }),
  Sigmoid: ({ f, df }) => ({
    forward(x, y, n, a) {
      for (let i = 0; i < n; i++) y[i] = f(x[i], a);
    },
    backward(x, y, dy, dx, n, a) {
      for (let i = 0; i < n; i++) dx[i] += dy[i] * df(x[i], y[i], a);
    },
  }),
};

/** The loop every other activation shares. */
const shared = ({ f, df }: ActivationDef): Loops => ({
  forward(x, y, n, a) {
    for (let i = 0; i < n; i++) y[i] = f(x[i], a);
  },
  backward(x, y, dy, dx, n, a) {
    for (let i = 0; i < n; i++) dx[i] += dy[i] * df(x[i], y[i], a);
  },
});

/** Wraps an element-wise activation y = f(x) as a node type: dL/dx = dL/dy · f′(x). */
export function elementwiseLayer(def: ActivationDef): LayerDef {
  const loops = (Object.prototype.hasOwnProperty.call(OWN_LOOPS, def.type) ? OWN_LOOPS[def.type] : shared)(def);
  return {
    type: def.type,
    family: 'activation',
    arity: 'one',
    attrs: def.attrs,
    doc: def.doc,
    width: (_a, inW) => inW[0],
    create({ attrs }) {
      return {
        forward(ins, out) {
          const x = ins[0];
          loops.forward(x.data, out.data, x.rows * x.cols, attrs);
        },
        backward(ins, out, dOut, dIns) {
          const x = ins[0];
          const dx = dIns[0];
          if (dx) loops.backward(x.data, out.data, dOut.data, dx.data, x.rows * x.cols, attrs);
        },
      };
    },
  };
}
