import { Arena } from './arena';
import type { Buf } from './buffer';
import { matmulAcc, matmulBt, outerAcc } from './kernels';

/*
 * The three products of a Linear layer. When every buffer is a float32 view of one model's arena
 * (compile() plans θ, gradients and activations there), they run in the WebAssembly SIMD kernel with
 * float32 sums; otherwise (float64 models, or no WebAssembly SIMD) in TypeScript with double-precision
 * sums rounded once. Both agree to float32 rounding (tests/unit/tensor/gemm.test.ts).
 */

const f32 = (b: Buf | null) => b as Float32Array;

/**
 * out[n][m] = x[n][k]·Wᵀ + b   — the Linear forward, bias fused into the product.
 * W [m][k] (PyTorch layout), b [m] or null.
 */
export function linearForward(out: Buf, x: Buf, w: Buf, b: Buf | null, n: number, k: number, m: number): void {
  if (out instanceof Float32Array) {
    const arena = Arena.of(out, x, w, b);
    if (arena?.gemm(out, m, f32(x), k, 1, f32(w), 1, k, n, m, k, f32(b), false)) return;
  }
  matmulBt(out, x, w, b, n, k, m);
}

/**
 * dx[n][k] (+)= dy[n][m]·W   — the gradient with respect to the Linear layer's input.
 * W [m][k]; `accumulate` adds to dx (a node feeding several others), else overwrites it.
 */
export function linearInputGrad(dx: Buf, dy: Buf, w: Buf, n: number, k: number, m: number, accumulate: boolean): void {
  if (dx instanceof Float32Array) {
    const arena = Arena.of(dx, dy, w, null);
    if (arena?.gemm(dx, k, f32(dy), m, 1, f32(w), k, 1, n, k, m, null, accumulate)) return;
  }
  matmulAcc(dx, dy, w, n, k, m, accumulate);
}

/**
 * dW[m][k] += dyᵀ·x and db[m] += Σ_rows dy   — the weight and bias gradients, accumulated.
 * dy [n][m], x [n][k].
 */
export function linearWeightGrad(dw: Buf, db: Buf | null, dy: Buf, x: Buf, n: number, k: number, m: number): void {
  if (dw instanceof Float32Array) {
    const arena = Arena.of(dw, dy, x, db);
    if (arena?.gemm(dw, k, f32(dy), 1, m, f32(x), k, 1, m, k, n, null, true)) {
      if (db && n > 0) arena.colsum(f32(db), f32(dy), n, m);
      return;
    }
  }
  outerAcc(dw, db, dy, x, n, k, m);
}
