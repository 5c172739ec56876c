/**
 * Neurograph's float32 GEMM on one thread: C = A·B at n×n×n (default 512) in the WebAssembly SIMD
 * kernel, the three products of a Linear layer at that size, and the TypeScript fallback; with the
 * error of the kernel against a float64 product of the same float32 inputs.
 * `node --import tsx bench/gemm.ts [n] [reps]` prints one JSON line (bench/run.ts runs it).
 */
import { Arena, linearForward, linearInputGrad, linearWeightGrad, Rng } from '../src-engine';

const n = Number(process.argv[2] ?? 512);
const reps = Number(process.argv[3] ?? 20);
const arena = Arena.create(6 * 4 * n * n + (1 << 20));
if (!arena) throw new Error('WebAssembly SIMD is not available here');
arena.planScratch(n);
const rng = new Rng(512);
const matrix = () => {
  const v = arena.view(arena.alloc(n * n), n * n);
  for (let i = 0; i < v.length; i++) v[i] = rng.uniform(-1, 1);
  return v;
};
const a = matrix();
const b = matrix();
const c = matrix();
const d = matrix();

/** GFLOP/s of `run` (2n³ flops), the best of `reps` after a warm-up: the machine is shared, so the minimum time. */
function gflops(run: () => void, times = reps): number {
  for (let i = 0; i < 3; i++) run();
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    run();
    best = Math.min(best, performance.now() - t);
  }
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

const result = {
  n,
  gemm: gflops(() => arena.gemm(c, n, a, n, 1, b, n, 1, n, n, n, null, false)),
  forward: gflops(() => linearForward(c, a, b, null, n, n, n)),
  input_grad: gflops(() => linearInputGrad(c, a, b, n, n, n, false)),
  weight_grad: gflops(() => linearWeightGrad(d, null, a, b, n, n, n)),
  ts_forward: 0,
  rel_error: 0,
};

// The kernel's C = A·B against float64 sums of the same float32 inputs: ‖C − C₆₄‖_F / ‖C₆₄‖_F.
arena.gemm(c, n, a, n, 1, b, n, 1, n, n, n, null, false);
let err = 0;
let norm = 0;
const col = new Float64Array(n);
for (let j = 0; j < n; j++) {
  for (let p = 0; p < n; p++) col[p] = b[p * n + j];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < n; p++) s += a[i * n + p] * col[p];
    err += (c[i * n + j] - s) ** 2;
    norm += s * s;
  }
}
result.rel_error = Math.sqrt(err / norm);

// The TypeScript path (what runs without WebAssembly SIMD): float32 arrays outside any arena.
const [x, w, out] = [a, b, c].map((v) => Float32Array.from(v));
result.ts_forward = gflops(() => linearForward(out, x, w, null, n, n, n), 2);
process.stdout.write(`${JSON.stringify(result)}\n`);
