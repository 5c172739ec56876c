import { SIMD_WASM_BASE64 } from './wasm/simd.wasm';

/** What the compiled kernels export (simd.as.ts); every pointer is a byte offset into the arena. */
interface Kernels {
  gemm(c: number, ldc: number, a: number, ars: number, acs: number, b: number, brs: number, bcs: number, m: number, n: number, k: number, bias: number, accumulate: number, scratch: number): void;
  colsum(db: number, dy: number, n: number, m: number): void;
  adam(theta: number, grad: number, m: number, v: number, n: number, b1: number, b2: number, eps: number, wd: number, decay: number, a: number, sqrtBc2: number): number;
  tanh(x: number, y: number, n: number, tmp: number): void;
  sumsq(x: number, n: number): number;
  blend(y: number, x: number, n: number, a: number, b: number): number;
}

/** Rows of B packed per block by simd.as.ts (its KC); the scratch a product needs follows from it. */
const KC = 256;
const PAGE = 65536;
/** Allocations start on a cache line; offset 0 stays unused so that 0 can mean "no bias". */
const ALIGN = 64;

let compiled: WebAssembly.Module | null | undefined;
let enabled = true;

/**
 * The kernel module, compiled once per thread; null where WebAssembly SIMD is missing or compiling
 * is not allowed (a Content-Security-Policy without 'wasm-unsafe-eval'). The module is ~3 KB, under
 * the 4 KB that browsers allow to compile synchronously on a page's main thread.
 */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return null;
    const text = atob(SIMD_WASM_BASE64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    if (!WebAssembly.validate(bytes)) return null;
    compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** True when float32 models compiled from now on get a WebAssembly arena and the SIMD kernels. */
export function wasmKernels(): boolean {
  return enabled && kernelModule() !== null;
}

/**
 * Turns the WebAssembly kernels off (or back on) for models compiled afterwards: the float32 products
 * then run in TypeScript, in double precision. For benchmarks and for tests of the fallback path.
 */
export function setWasmKernels(on: boolean): void {
  enabled = on;
}

/** The arena each wasm memory buffer belongs to (re-registered when the memory grows). */
const OWNERS = new WeakMap<ArrayBufferLike, Arena>();
const last: { buffer: ArrayBufferLike | null; arena: Arena | null } = { buffer: null, arena: null };

/** Bytes of scratch a product with n output columns needs (packed B, padded bias, one edge tile). */
export function scratchBytes(n: number): number {
  const n8 = (n + 7) & ~7;
  return 4 * (KC * n8 + n8 + 32);
}

/**
 * One float32 model's memory: a WebAssembly.Memory holding its parameters θ, their gradients and its
 * activations, with the SIMD kernels instantiated over it, so a Linear layer's products run on the
 * model's own buffers with no copy in or out. A bump allocator hands out 64-byte aligned regions:
 * first the fixed ones (θ, gradients, the kernels' scratch; later an optimizer's state, by `insert`),
 * then the activations, which `release` frees when a larger batch needs them re-planned.
 *
 * Growing a WebAssembly.Memory detaches every view of it, so growth is rare (planned sizes) and the
 * owner re-makes its views in `onGrow`; nothing outside the owner may keep a view across a call that
 * allocates.
 */
export class Arena {
  readonly memory: WebAssembly.Memory;
  private readonly k: Kernels;
  private top = ALIGN;
  /** End of the regions that live as long as the arena (θ, gradients, scratch, optimizer state); activations follow. */
  private fixedTop = ALIGN;
  private scratchAt = 0;
  private scratchSize = 0;
  private tempView: Float32Array | null = null;
  /** Called after the memory grew: every view of it must be re-made. */
  onGrow: (() => void) | null = null;
  /** Called after `insert` moved everything past the fixed regions up by `bytes` (the owner's activations). */
  onShift: ((bytes: number) => void) | null = null;

  private constructor(module: WebAssembly.Module, bytes: number) {
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    this.k = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as Kernels;
    OWNERS.set(this.memory.buffer, this);
  }

  /** An arena of `bytes` to start with, or null where the kernels cannot run (see wasmKernels). */
  static create(bytes: number): Arena | null {
    const module = wasmKernels() ? kernelModule() : null;
    return module ? new Arena(module, bytes) : null;
  }

  /** The arena whose memory every given buffer lies in, else null. */
  static of(a: ArrayBufferView, b: ArrayBufferView, c: ArrayBufferView, d: ArrayBufferView | null): Arena | null {
    const buffer = a.buffer;
    if (b.buffer !== buffer || c.buffer !== buffer || (d && d.buffer !== buffer)) return null;
    // Every product of a step asks about the same buffer: remember the last answer (forgotten on growth).
    if (buffer !== last.buffer) {
      last.buffer = buffer;
      last.arena = OWNERS.get(buffer) ?? null;
    }
    return last.arena;
  }

  /** Makes the memory at least `bytes` long (one grow, then onGrow). */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return;
    OWNERS.delete(this.memory.buffer);
    last.buffer = null;
    this.memory.grow(Math.ceil((bytes - have) / PAGE));
    OWNERS.set(this.memory.buffer, this);
    this.onGrow?.();
  }

  /** Bytes a region of `floats` values takes (rounded up to the alignment). */
  static aligned(floats: number): number {
    return (floats * 4 + ALIGN - 1) & ~(ALIGN - 1);
  }

  /** A region of `floats` float32 values; returns its byte offset. May grow the memory. */
  alloc(floats: number): number {
    const at = this.top;
    this.top = at + Arena.aligned(floats);
    this.reserve(this.top);
    return at;
  }

  /** Marks everything allocated so far as fixed: `fixed()` is where the releasable regions (activations) start. */
  fix(): void {
    this.fixedTop = this.top;
  }

  fixed(): number {
    return this.fixedTop;
  }

  /** Frees every region allocated after `mark` (a byte offset at or past `fixed()`). */
  release(mark: number): void {
    this.top = Math.max(mark, this.fixedTop);
  }

  /**
   * A zeroed region of `floats` values among the fixed ones, for state that arrives after the
   * activations were planned (an optimizer's moments): the activations move up to make room, keeping
   * their contents, and onShift tells their owner by how much. Returns the byte offset.
   */
  insert(floats: number): number {
    const bytes = Arena.aligned(floats);
    const at = this.fixedTop;
    const moved = this.top - at;
    this.reserve(this.top + bytes);
    const all = new Uint8Array(this.memory.buffer);
    all.copyWithin(at + bytes, at, at + moved);
    all.fill(0, at, at + bytes);
    this.fixedTop += bytes;
    this.top += bytes;
    this.tempView = null;
    if (moved > 0) this.onShift?.(bytes);
    return at;
  }

  /** The arena a view lies in, else null. */
  static holding(v: ArrayBufferView): Arena | null {
    return OWNERS.get(v.buffer) ?? null;
  }

  /**
   * A transient region of at least `floats` values at the top of the arena, valid until the next alloc or temp.
   * May grow the memory (then onGrow runs first): take it before reading any other view.
   */
  temp(floats: number): Float32Array {
    this.reserve(this.top + floats * 4);
    const t = this.tempView;
    if (t && t.buffer === this.memory.buffer && t.byteOffset === this.top && t.length >= floats) return t;
    return (this.tempView = this.view(this.top, floats));
  }

  /** A Float32Array view of `floats` values at byte offset `at`. */
  view(at: number, floats: number): Float32Array {
    return new Float32Array(this.memory.buffer, at, floats);
  }

  /** Plans the kernels' scratch: enough for products with up to `columns` output columns. */
  planScratch(columns: number): void {
    const bytes = scratchBytes(columns);
    if (bytes <= this.scratchSize) return;
    this.scratchAt = this.alloc(bytes / 4);
    this.scratchSize = bytes;
  }

  /**
   * C = A·B (+ bias) or C += A·B over views of this arena (see simd.as.ts for the strides). Returns false,
   * doing nothing, when the planned scratch is too small for n columns: the caller then computes it in
   * TypeScript (the kernels never grow the memory, so no view dies during a product).
   */
  gemm(c: Float32Array, ldc: number, a: Float32Array, ars: number, acs: number, b: Float32Array, brs: number, bcs: number, m: number, n: number, k: number, bias: Float32Array | null, accumulate: boolean): boolean {
    if (scratchBytes(n) > this.scratchSize) return false;
    if (m === 0 || n === 0) return true;
    if (k === 0) {
      if (!accumulate) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[i * ldc + j] = bias ? bias[j] : 0;
      return true;
    }
    this.k.gemm(c.byteOffset, ldc, a.byteOffset, ars, acs, b.byteOffset, brs, bcs, m, n, k, bias ? bias.byteOffset : 0, accumulate ? 1 : 0, this.scratchAt);
    return true;
  }

  /** db[o] += Σ_r dy[r][o] over dy [n][m]. */
  colsum(db: Float32Array, dy: Float32Array, n: number, m: number): void {
    this.k.colsum(db.byteOffset, dy.byteOffset, n, m);
  }

  /** Σ x² over n float32 values at byte offset `at`, in float64. */
  sumsq(at: number, n: number): number {
    return this.k.sumsq(at, n);
  }

  /** y = a·y + b·x over n float32 values at byte offsets yAt, xAt (float64 arithmetic, one rounding); returns Σ y². */
  blend(yAt: number, xAt: number, n: number, a: number, b: number): number {
    return this.k.blend(yAt, xAt, n, a, b);
  }

  /** y = tanh(x) over n values (within 3 ulp of float32; see simd.as.ts). */
  tanh(x: Float32Array, y: Float32Array, n: number): void {
    this.k.tanh(x.byteOffset, y.byteOffset, n, this.scratchAt);
  }

  /**
   * One Adam step over θ (adamw: decay = 1 − lr·λ and wd = 0) with its float32 moments m and v at byte
   * offsets `mAt`, `vAt` of this arena (see simd.as.ts). Returns Σ|Δθ|.
   */
  adam(theta: Float32Array, grad: Float32Array, mAt: number, vAt: number, b1: number, b2: number, eps: number, wd: number, decay: number, a: number, sqrtBc2: number): number {
    return this.k.adam(theta.byteOffset, grad.byteOffset, mAt, vAt, theta.length, b1, b2, eps, wd, decay, a, sqrtBc2);
  }
}
