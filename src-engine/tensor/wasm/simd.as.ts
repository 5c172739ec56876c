/**
 * The engine's float32 kernels in WebAssembly SIMD128: the GEMM of the Linear layers, Adam, tanh, and
 * the gradient's squared norms and shard reduction (sumsq, blend).
 * AssemblyScript, compiled by scripts/build-wasm.mjs into simd.wasm.ts (base64); kept out of tsc.
 *
 *   C[M×N] = A·B (+ bias)   or   C[M×N] += A·B
 *
 * Every pointer is a byte offset into the imported memory; strides and sizes count floats. A element
 * (i, p) is at a + 4·(i·ars + p·acs) and B element (p, j) at b + 4·(p·brs + j·bcs), so the three
 * products of a Linear layer (x·Wᵀ, dy·W, dyᵀ·x) are one routine with different strides, without
 * transposing anything in place.
 *
 * Goto's scheme, cut down to what fits: B is packed, KC rows at a time, into panels of NR = 8
 * columns (zero-padded), so the micro-kernel reads it contiguously from L1; A is read in place, MC
 * rows per block (so a large batch stays in L2: 25 GFLOP/s on 8192 rows without it, 32 with) and four
 * rows at a time, one broadcast value per row and step. The 4×8 tile of C lives in eight v128
 * registers (8 accumulators, 2 of B, 1 of A, 1 for the product, within the 15 xmm registers V8's wasm
 * code allocates on x64; a 6×8 tile ran at 24 GFLOP/s against 31 here). f32x4 multiply then add: SIMD128 has no fused
 * multiply-add (relaxed-simd's madd is not in Node 20), so sums are rounded as float32 at every step.
 *
 * Scratch (the caller reserves 4·(KC·N8 + N8 + 32) bytes, N8 = N rounded up to 8): packed B, the
 * bias padded to N8, and one 4×8 tile for ragged edges.
 */

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
/** Rows of A per block (a multiple of MR): 64 KB of A in L2 per K block, re-read by every panel of B. */
const MC: i32 = 64;

/** Panels of B: dst[panel][p][8] = B(p, 8·panel + j), zero past column n. b points at row 0 of this K block. */
function packB(dst: usize, b: usize, kc: i32, n: i32, brs: i32, bcs: i32): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const nr = min(NR, n - j0);
    const d = dst + (<usize>(j0 * kc) << 2);
    if (nr == NR && bcs == 1) {
      // Rows of B are contiguous (dy·W, dyᵀ·x): copy 8 floats per row.
      for (let p = 0; p < kc; p++) {
        const s = b + (<usize>(p * brs + j0) << 2);
        const q = d + (<usize>(p * NR) << 2);
        v128.store(q, v128.load(s));
        v128.store(q, v128.load(s, 16), 16);
      }
    } else if (nr == NR && brs == 1) {
      // Columns of B are contiguous (x·Wᵀ reads W's rows): transpose 4×4 blocks in registers.
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        for (let h = 0; h < 2; h++) {
          const s = b + (<usize>((j0 + 4 * h) * bcs + p) << 2);
          const st = <usize>bcs << 2;
          const r0 = v128.load(s);
          const r1 = v128.load(s + st);
          const r2 = v128.load(s + 2 * st);
          const r3 = v128.load(s + 3 * st);
          const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
          const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
          const q = d + (<usize>(p * NR + 4 * h) << 2);
          v128.store(q, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
          v128.store(q, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 32);
          v128.store(q, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 64);
          v128.store(q, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 96);
        }
      }
      for (; p < kc; p++) {
        const q = d + (<usize>(p * NR) << 2);
        for (let j = 0; j < NR; j++) store<f32>(q + (<usize>j << 2), load<f32>(b + (<usize>(p + (j0 + j) * bcs) << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const q = d + (<usize>(p * NR) << 2);
        for (let j = 0; j < NR; j++) {
          store<f32>(q + (<usize>j << 2), j < nr ? load<f32>(b + (<usize>(p * brs + (j0 + j) * bcs) << 2)) : 0);
        }
      }
    }
  }
}

/**
 * One mr×nr tile (mr ≤ 4, nr ≤ 8) of C over kc steps: C = acc when `add` is 0, else C += acc; acc starts
 * at the padded bias row `bias` (0: at zero). Rows past mr re-read row 0 (never stored), so nothing
 * outside A is touched.
 */
function tile(a: usize, ars4: usize, acs4: usize, mr: i32, bp: usize, kc: i32, c: usize, ldc4: usize, nr: i32, add: i32, bias: usize, tmp: usize): void {
  let c00 = f32x4.splat(0);
  let c01 = c00;
  if (bias != 0) {
    c00 = v128.load(bias);
    c01 = v128.load(bias, 16);
  }
  let c10 = c00;
  let c11 = c01;
  let c20 = c00;
  let c21 = c01;
  let c30 = c00;
  let c31 = c01;
  let a0 = a;
  let a1 = mr > 1 ? a + ars4 : a;
  let a2 = mr > 2 ? a + 2 * ars4 : a;
  let a3 = mr > 3 ? a + 3 * ars4 : a;
  let b = bp;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a0 += acs4;
    a1 += acs4;
    a2 += acs4;
    a3 += acs4;
    b += 32;
  }
  if (mr == MR && nr == NR) {
    if (add) {
      v128.store(c, f32x4.add(v128.load(c), c00));
      v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
      c += ldc4;
      v128.store(c, f32x4.add(v128.load(c), c10));
      v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
      c += ldc4;
      v128.store(c, f32x4.add(v128.load(c), c20));
      v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
      c += ldc4;
      v128.store(c, f32x4.add(v128.load(c), c30));
      v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
    } else {
      v128.store(c, c00);
      v128.store(c, c01, 16);
      c += ldc4;
      v128.store(c, c10);
      v128.store(c, c11, 16);
      c += ldc4;
      v128.store(c, c20);
      v128.store(c, c21, 16);
      c += ldc4;
      v128.store(c, c30);
      v128.store(c, c31, 16);
    }
    return;
  }
  // A ragged edge: through the scratch tile, then only the mr×nr entries that exist.
  v128.store(tmp, c00);
  v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32);
  v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64);
  v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96);
  v128.store(tmp, c31, 112);
  for (let r = 0; r < mr; r++) {
    const row = c + <usize>r * ldc4;
    const t = tmp + (<usize>(r * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const q = row + (<usize>j << 2);
      const v = load<f32>(t + (<usize>j << 2));
      store<f32>(q, add ? load<f32>(q) + v : v);
    }
  }
}

/**
 * C[m×n] = A·B + bias (accumulate = 0; bias = 0 for none) or C[m×n] += A·B (accumulate = 1).
 * ldc: row stride of C. k must be ≥ 1 (the caller handles k = 0).
 */
export function gemm(
  c: usize, ldc: i32,
  a: usize, ars: i32, acs: i32,
  b: usize, brs: i32, bcs: i32,
  m: i32, n: i32, k: i32,
  bias: usize, accumulate: i32, scratch: usize,
): void {
  const n8 = (n + NR - 1) & ~(NR - 1);
  const packed = scratch;
  const biasPad = scratch + (<usize>(KC * n8) << 2);
  const tmp = biasPad + (<usize>n8 << 2);
  if (bias != 0) {
    for (let j = 0; j < n8; j++) store<f32>(biasPad + (<usize>j << 2), j < n ? load<f32>(bias + (<usize>j << 2)) : 0);
  }
  const ars4 = <usize>ars << 2;
  const acs4 = <usize>acs << 2;
  const ldc4 = <usize>ldc << 2;
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB(packed, b + (<usize>(p0 * brs) << 2), kc, n, brs, bcs);
    const first = p0 == 0;
    const add = first ? accumulate : 1;
    const aBlock = a + (<usize>p0) * acs4;
    // MC rows of A at a time, so the block every panel of B re-reads stays in L2 (MC·KC floats).
    for (let i1 = 0; i1 < m; i1 += MC) {
      const iEnd = min(m, i1 + MC);
      for (let j0 = 0; j0 < n; j0 += NR) {
        const nr = min(NR, n - j0);
        const bp = packed + (<usize>(j0 * kc) << 2);
        const bz = first && bias != 0 && accumulate == 0 ? biasPad + (<usize>j0 << 2) : 0;
        for (let i0 = i1; i0 < iEnd; i0 += MR) {
          tile(aBlock + <usize>i0 * ars4, ars4, acs4, min(MR, m - i0), bp, kc, c + <usize>i0 * ldc4 + (<usize>j0 << 2), ldc4, nr, add, bz, tmp);
        }
      }
    }
  }
}

/** db[o] += Σ_r dy[r][o] over dy [n][m]: the bias gradient, four columns at a time. */
export function colsum(db: usize, dy: usize, n: i32, m: i32): void {
  const m4 = <usize>m << 2;
  let o = 0;
  for (; o + 4 <= m; o += 4) {
    let s = f32x4.splat(0);
    let p = dy + (<usize>o << 2);
    for (let r = 0; r < n; r++) {
      s = f32x4.add(s, v128.load(p));
      p += m4;
    }
    const q = db + (<usize>o << 2);
    v128.store(q, f32x4.add(v128.load(q), s));
  }
  for (; o < m; o++) {
    let s: f32 = 0;
    let p = dy + (<usize>o << 2);
    for (let r = 0; r < n; r++) {
      s += load<f32>(p);
      p += m4;
    }
    const q = db + (<usize>o << 2);
    store<f32>(q, load<f32>(q) + s);
  }
}

/**
 * One Adam (adamw: decay < 1, wd = 0) step on n float32 weights with float32 state, as torch's float32
 * single-tensor path: d = g + wd·θ;  m ← β₁m + (1−β₁)d;  v ← β₂v + (1−β₂)d²;
 * θ ← θ·decay − a·m/(√v/√bc₂ + ε) with a = lr/bc₁. Returns Σ|Δθ| (summed in float64).
 */
export function adam(theta: usize, grad: usize, m: usize, v: usize, n: i32, b1: f32, b2: f32, eps: f32, wd: f32, decay: f32, a: f32, sqrtBc2: f32): f64 {
  const vb1 = f32x4.splat(b1);
  const vc1 = f32x4.splat(1 - b1);
  const vb2 = f32x4.splat(b2);
  const vc2 = f32x4.splat(1 - b2);
  const veps = f32x4.splat(eps);
  const vwd = f32x4.splat(wd);
  const vdecay = f32x4.splat(decay);
  const va = f32x4.splat(a);
  const vs = f32x4.splat(sqrtBc2);
  let sum = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const before = v128.load(theta + o);
    let d = v128.load(grad + o);
    if (wd != 0) d = f32x4.add(d, f32x4.mul(vwd, before));
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, d));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(vc2, d), d));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), vs), veps);
    const x = f32x4.sub(f32x4.mul(before, vdecay), f32x4.mul(va, f32x4.div(mi, denom)));
    v128.store(theta + o, x);
    const moved = f32x4.abs(f32x4.sub(x, before));
    sum = f64x2.add(sum, f64x2.promote_low_f32x4(moved));
    sum = f64x2.add(sum, f64x2.promote_low_f32x4(v128.shuffle<f32>(moved, moved, 2, 3, 0, 1)));
  }
  let total = f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const before = load<f32>(theta + o);
    let d = load<f32>(grad + o);
    if (wd != 0) d = d + wd * before;
    const mi = b1 * load<f32>(m + o) + (1 - b1) * d;
    const vi = b2 * load<f32>(v + o) + (1 - b2) * d * d;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const x = before * decay - a * (mi / (Mathf.sqrt(vi) / sqrtBc2 + eps));
    store<f32>(theta + o, x);
    total += <f64>Mathf.abs(x - before);
  }
  return total;
}

/** Σ x² over n float32 values, squared and summed in float64 (four partial sums). */
export function sumsq(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(lo, lo));
    s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  let t = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    t += v * v;
  }
  return t;
}

/**
 * y = a·y + b·x over n float32 values, each computed in float64 and rounded once (as TypeScript's
 * y[i] = a * y[i] + b * x[i] on a Float32Array); returns Σ y² of the result, as sumsq.
 */
export function blend(y: usize, x: usize, n: i32, a: f64, b: f64): f64 {
  const va = f64x2.splat(a);
  const vb = f64x2.splat(b);
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const vy = v128.load(y + o);
    const vx = v128.load(x + o);
    const lo = f64x2.add(f64x2.mul(va, f64x2.promote_low_f32x4(vy)), f64x2.mul(vb, f64x2.promote_low_f32x4(vx)));
    const hi = f64x2.add(
      f64x2.mul(va, f64x2.promote_low_f32x4(v128.shuffle<f32>(vy, vy, 2, 3, 0, 1))),
      f64x2.mul(vb, f64x2.promote_low_f32x4(v128.shuffle<f32>(vx, vx, 2, 3, 0, 1))),
    );
    const r = v128.shuffle<f32>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
    v128.store(y + o, r);
    const rlo = f64x2.promote_low_f32x4(r);
    const rhi = f64x2.promote_low_f32x4(v128.shuffle<f32>(r, r, 2, 3, 0, 1));
    s0 = f64x2.add(s0, f64x2.mul(rlo, rlo));
    s1 = f64x2.add(s1, f64x2.mul(rhi, rhi));
  }
  let t = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1) + (f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1));
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const r = <f32>(a * <f64>load<f32>(y + o) + b * <f64>load<f32>(x + o));
    store<f32>(y + o, r);
    t += <f64>r * <f64>r;
  }
  return t;
}

/** tanh(x) ≈ p(x)/q(x) on |x| ≤ 7.9053 (odd degree-13 over even degree-6, Eigen's float fit), clamped beyond. */
@inline function tanhQuotient(x2: v128, c: v128): v128 {
  let p = f32x4.add(f32x4.mul(x2, f32x4.splat(-2.76076847742355e-16)), f32x4.splat(2.00018790482477e-13));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(-8.60467152213735e-11));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(5.12229709037114e-8));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(1.48572235717979e-5));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(6.37261928875436e-4));
  p = f32x4.add(f32x4.mul(x2, p), f32x4.splat(4.89352455891786e-3));
  p = f32x4.mul(c, p);
  let q = f32x4.add(f32x4.mul(x2, f32x4.splat(1.19825839466702e-6)), f32x4.splat(1.18534705686654e-4));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(2.268434632439e-3));
  q = f32x4.add(f32x4.mul(x2, q), f32x4.splat(4.89352518554385e-3));
  return f32x4.div(p, q);
}

/**
 * y = tanh(x) over n float32 values, within 3 ulp of the correctly rounded float32 (tests check it
 * against Math.tanh); |x| < 4e-4 passes x through (tanh x = x there to float32 precision), NaN stays
 * NaN, ±∞ gives ±1 to within that bound. The tail of n mod 4 goes through one padded vector.
 */
export function tanh(x: usize, y: usize, n: i32, tmp: usize): void {
  const hi = f32x4.splat(7.90531110763549805);
  const lo = f32x4.splat(-7.90531110763549805);
  const tiny = f32x4.splat(4e-4);
  let i = 0;
  for (; i < n; i += 4) {
    const o = <usize>i << 2;
    const rest = n - i;
    let v: v128;
    if (rest >= 4) v = v128.load(x + o);
    else {
      v128.store(tmp, f32x4.splat(0));
      for (let j = 0; j < rest; j++) store<f32>(tmp + (<usize>j << 2), load<f32>(x + o + (<usize>j << 2)));
      v = v128.load(tmp);
    }
    const c = f32x4.max(f32x4.min(v, hi), lo);
    const r = v128.bitselect(v, tanhQuotient(f32x4.mul(c, c), c), f32x4.lt(f32x4.abs(v), tiny));
    if (rest >= 4) v128.store(y + o, r);
    else {
      v128.store(tmp, r);
      for (let j = 0; j < rest; j++) store<f32>(y + o + (<usize>j << 2), load<f32>(tmp + (<usize>j << 2)));
    }
  }
}
