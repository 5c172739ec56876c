/**
 * The gradient's reductions in the WebAssembly kernels (simd.as.ts sumsq, blend) and the model methods
 * built on them (Model.gradSquares, Model.blendGrad): the squared norm against a float64 sum, the blend
 * bit for bit against TypeScript's a·y + b·x rounded once, and both paths of the model agreeing.
 */
import { describe, expect, it } from 'vitest';
import { compile, type ModelJson } from '../../../src-engine/graph';
import { Arena, Rng, setWasmKernels, sumSquares } from '../../../src-engine/tensor';

/** a equals b to float64 rounding of a long sum. */
const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.abs(b));

const values = (n: number, seed: number) => {
  const r = new Rng(seed);
  return Float32Array.from({ length: n }, () => r.normal(0, 1) * 10 ** r.uniform(-6, 3));
};

describe('sumsq and blend kernels', () => {
  const arena = Arena.create(1 << 20)!;

  it('sumsq is Σx² to float64 rounding, for every tail length', () => {
    for (const n of [0, 1, 3, 4, 5, 17, 1000, 4099]) {
      const at = arena.alloc(n);
      const v = arena.view(at, n);
      v.set(values(n, n));
      let exact = 0;
      for (let i = 0; i < n; i++) exact += v[i] * v[i];
      expect(Math.abs(arena.sumsq(at, n) - exact)).toBeLessThanOrEqual(1e-13 * exact);
    }
  });

  it('blend is y = a·y + b·x in double rounded once to float32, bit for bit, and returns Σy² of the result', () => {
    for (const n of [1, 2, 5, 8, 33, 1001]) {
      const yAt = arena.alloc(n);
      const xAt = arena.alloc(n);
      const y = arena.view(yAt, n);
      const x = arena.view(xAt, n);
      y.set(values(n, 2 * n));
      x.set(values(n, 2 * n + 1));
      const [a, b] = [17 / 49, 32 / 49];
      const expected = Float32Array.from(y, (v, i) => a * v + b * x[i]);
      const squares = arena.blend(yAt, xAt, n, a, b);
      expect(Array.from(y)).toEqual(Array.from(expected));
      close(squares, sumSquares(expected));
    }
  });
});

describe('Model.gradSquares and Model.blendGrad', () => {
  const json: ModelJson = {
    format: 'neurograph-model',
    version: 1,
    nodes: [
      // fc1's weight (1200 values) is summed in the kernel, the small ones in TypeScript.
      { id: 'x', type: 'Input', size: 40 },
      { id: 'fc1', type: 'Linear', in: ['x'], units: 30 },
      { id: 'a', type: 'Tanh', in: ['fc1'] },
      { id: 'fc2', type: 'Linear', in: ['a'], units: 3 },
    ],
    outputs: ['fc2'],
  };
  const layerOf = Int32Array.from([0, 0, 1, 1]);

  for (const wasm of [true, false]) {
    it(`per layer Σg² and the blended gradient (${wasm ? 'WebAssembly arena' : 'TypeScript'} float32)`, () => {
      setWasmKernels(wasm);
      try {
        const model = compile(json, { dtype: 'float32', seed: 1 });
        expect(model.wasm).toBe(wasm);
        const g = values(model.grad.length, 7);
        const other = values(model.grad.length, 8);
        model.grad.set(g);
        const sums = new Float64Array(2);
        const total = model.gradSquares(layerOf, sums);
        const byLayer = [0, 0];
        model.params.forEach((p, k) => {
          for (let i = p.offset; i < p.offset + p.size; i++) byLayer[layerOf[k]] += g[i] * g[i];
        });
        byLayer.forEach((v, l) => close(sums[l], v));
        close(total, byLayer[0] + byLayer[1]);

        const blendedSquares = model.blendGrad(other, 0.25, 0.75, layerOf, sums);
        const expected = Float32Array.from(g, (v, i) => 0.25 * v + 0.75 * other[i]);
        expect(Array.from(model.grad)).toEqual(Array.from(expected));
        close(blendedSquares, sumSquares(expected));
        close(sums[0] + sums[1], blendedSquares);
      } finally {
        setWasmKernels(true);
      }
    });
  }
});
