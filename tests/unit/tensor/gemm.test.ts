/**
 * The Linear layer's three products in the WebAssembly SIMD kernel (float32, buffers in an arena) and in
 * TypeScript (float64, and float32 arrays outside any arena), against a float64 reference computed
 * here from the definitions, on sizes that hit every edge of the 4×8 tiles and the 256-row K blocks.
 */
import { describe, expect, it } from 'vitest';
import { Arena, linearForward, linearInputGrad, linearWeightGrad, Rng, wasmKernels } from '../../../src-engine/tensor';

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [1, 2, 8],
  [10, 8, 12],
  [10, 12, 8],
  [10, 8, 1],
  [3, 5, 7],
  [4, 8, 8],
  [5, 9, 17],
  [7, 3, 33],
  [13, 300, 9],
  [64, 513, 10],
  [9, 257, 255],
];

interface Case {
  x: Float64Array;
  w: Float64Array;
  b: Float64Array;
  dy: Float64Array;
  dx0: Float64Array;
  dw0: Float64Array;
  db0: Float64Array;
}

function makeCase(n: number, k: number, m: number, seed: number): Case {
  const rng = new Rng(seed);
  // Values rounded to float32 first, so both paths start from the same numbers.
  const r = (len: number) => Float64Array.from({ length: len }, () => Math.fround(rng.uniform(-1, 1)));
  return { x: r(n * k), w: r(m * k), b: r(m), dy: r(n * m), dx0: r(n * k), dw0: r(m * k), db0: r(m) };
}

/** The definitions, in float64. */
function reference(c: Case, n: number, k: number, m: number) {
  const out = new Float64Array(n * m);
  const dx = Float64Array.from(c.dx0);
  const dw = Float64Array.from(c.dw0);
  const db = Float64Array.from(c.db0);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < m; o++) {
      let s = c.b[o];
      for (let i = 0; i < k; i++) s += c.x[r * k + i] * c.w[o * k + i];
      out[r * m + o] = s;
      const g = c.dy[r * m + o];
      db[o] += g;
      for (let i = 0; i < k; i++) {
        dx[r * k + i] += g * c.w[o * k + i];
        dw[o * k + i] += g * c.x[r * k + i];
      }
    }
  }
  return { out, dx, dw, db };
}

/** Largest |a − b| relative to the size of the terms summed: K·ε-style float32 rounding stays far below 1e-5. */
function worst(a: ArrayLike<number>, b: ArrayLike<number>, scale: number): number {
  let e = 0;
  for (let i = 0; i < b.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]) / scale);
  return e;
}

type Place = 'arena' | 'float32' | 'float64';

function run(place: Place, c: Case, n: number, k: number, m: number) {
  let arena: Arena | null = null;
  const put = (v: Float64Array) => {
    if (place === 'float64') return Float64Array.from(v);
    if (place === 'float32') return Float32Array.from(v);
    const at = arena!.alloc(v.length);
    const view = arena!.view(at, v.length);
    view.set(v);
    return view;
  };
  if (place === 'arena') {
    arena = Arena.create(1 << 20)!;
    arena.planScratch(Math.max(k, m));
  }
  const x = put(c.x);
  const w = put(c.w);
  const b = put(c.b);
  const dy = put(c.dy);
  const dx = put(c.dx0);
  const dw = put(c.dw0);
  const db = put(c.db0);
  const out = put(new Float64Array(n * m).fill(NaN));
  linearForward(out, x, w, b, n, k, m);
  linearInputGrad(dx, dy, w, n, k, m, true);
  linearWeightGrad(dw, db, dy, x, n, k, m);
  return { out, dx, dw, db };
}

describe('Linear products (x·Wᵀ + b, dy·W, dyᵀ·x) against a float64 reference', () => {
  it('WebAssembly SIMD is available in Node (the CLI and the trainer run the kernels)', () => {
    expect(wasmKernels()).toBe(true);
  });

  for (const place of ['arena', 'float32', 'float64'] as const) {
    for (const [n, k, m] of SIZES) {
      it(`${place}: n=${n} k=${k} m=${m}`, () => {
        const c = makeCase(n, k, m, n * 1000 + k * 10 + m);
        const ref = reference(c, n, k, m);
        const got = run(place, c, n, k, m);
        // The terms are products of values in [−1, 1]: a sum over K of them is bounded by K.
        const tol = place === 'float64' ? 1e-14 : 1e-6;
        expect(worst(got.out, ref.out, k + 1)).toBeLessThan(tol);
        expect(worst(got.dx, ref.dx, m + 1)).toBeLessThan(tol);
        expect(worst(got.dw, ref.dw, n + 1)).toBeLessThan(tol);
        expect(worst(got.db, ref.db, n + 1)).toBeLessThan(tol);
      });
    }
  }
});
