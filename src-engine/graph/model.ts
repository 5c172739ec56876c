import { alloc, Arena, sumSquares, type Buf, type DType, type Mat } from '../tensor';
import type { LayerDef, Op, ParamBuffers, ParamSpec, RunMode, StateSpec } from '../layers';
import type { ParamsJson, StateJson } from './types';

/** Parameters at least this large have Σg² summed in the SIMD kernel. */
const SIMD_SUM_MIN = 512;

/** Where one parameter lives inside the flat vector θ. */
export interface ParamView {
  node: string;
  name: string;
  shape: number[];
  offset: number;
  size: number;
  decay: boolean;
  spec: ParamSpec;
}

interface StateView {
  node: string;
  spec: StateSpec;
  data: Buf;
}

export interface CompiledNode {
  id: string;
  type: string;
  def: LayerDef;
  width: number;
  inputs: number[];
  op: Op;
  /** This node's output and dL/d(output): the same two objects for the model's whole life. */
  out: Mat;
  dOut: Mat;
}

/** What one node's op reads and writes, planned once: its inputs' outputs and their gradients (null for the Input). */
interface Wiring {
  node: CompiledNode;
  ins: Mat[];
  dIns: Mat[];
  outBuf: Buf;
  dOutBuf: Buf;
  /** Byte offsets of outBuf and dOutBuf in the arena (models with one). */
  outAt: number;
  dOutAt: number;
}

/**
 * Where a float32 model's buffers live when the WebAssembly kernels run: θ, the gradients and (once a
 * batch size is known) every node's activations, all in one arena, so the kernels read and write them
 * in place. `params` are the per-node views that compile() handed to the ops, re-made with the rest.
 */
export interface ModelMemory {
  arena: Arena;
  thetaAt: number;
  gradAt: number;
  params: { buffers: ParamBuffers; offset: number; size: number }[];
}

/**
 * A compiled graph. All parameters live in one flat vector `theta` (and gradients in `grad`), so
 * optimizers, clipping and second-order methods work on plain vectors; each node reads views of it.
 * Activation buffers are sized for the largest batch seen and reused every step; the Mat objects and
 * each node's input lists are planned at compile time, so a step allocates nothing.
 *
 * A float32 model with a `memory` keeps all of these in its WebAssembly arena. A batch larger than any
 * before re-plans the activations there and may grow the memory, which re-makes every view: read
 * `theta`, `grad` and node buffers afresh after a forward pass rather than keeping them.
 */
export class Model {
  capacity = 0;
  private rows = -1;
  private readonly wiring: Wiring[];
  private thetaBuf: Buf;
  private gradBuf: Buf;
  private readonly size: number;

  constructor(
    readonly dtype: DType,
    readonly nodes: CompiledNode[],
    readonly inputIndex: number,
    readonly outputIndex: number,
    theta: Buf,
    grad: Buf,
    readonly params: ParamView[],
    readonly states: StateView[],
    private readonly memory: ModelMemory | null = null,
  ) {
    this.thetaBuf = theta;
    this.gradBuf = grad;
    this.size = theta.length;
    this.wiring = nodes.map((node) => ({
      node,
      ins: node.inputs.map((i) => nodes[i].out),
      // The Input keeps no gradient: its slot is null (the op skips it).
      dIns: node.inputs.map((i) => (i === inputIndex ? null : nodes[i].dOut)) as Mat[],
      outBuf: node.out.data,
      dOutBuf: node.dOut.data,
      outAt: 0,
      dOutAt: 0,
    }));
    if (memory) {
      memory.arena.onGrow = () => this.bind();
      // An optimizer's state inserted among the fixed regions moved the activations up: follow them.
      memory.arena.onShift = (bytes) => {
        for (const w of this.wiring) {
          w.outAt += bytes;
          w.dOutAt += bytes;
        }
        this.bind();
      };
    }
  }

  /** The flat parameter vector θ (optimizers update it in place). */
  get theta(): Buf {
    return this.thetaBuf;
  }

  /** ∂loss/∂θ, same layout as theta. */
  get grad(): Buf {
    return this.gradBuf;
  }

  /** True when the Linear products run in the WebAssembly SIMD kernels (float32 models where available). */
  get wasm(): boolean {
    return this.memory !== null;
  }

  /** Re-makes every view of the arena (after it grew): θ, gradients, the ops' parameter views, activations. */
  private bind(): void {
    const m = this.memory!;
    const { arena } = m;
    // The old views are detached by now (length 0): sizes come from the plan.
    const size = this.size;
    this.thetaBuf = arena.view(m.thetaAt, size);
    this.gradBuf = arena.view(m.gradAt, size);
    for (const p of m.params) {
      p.buffers.value = arena.view(m.thetaAt + 4 * p.offset, p.size);
      p.buffers.grad = arena.view(m.gradAt + 4 * p.offset, p.size);
    }
    for (const w of this.wiring) {
      const len = this.capacity * w.node.width;
      w.outBuf = arena.view(w.outAt, len);
      w.dOutBuf = arena.view(w.dOutAt, len);
    }
    const rows = this.rows;
    this.rows = -1;
    if (rows >= 0) this.viewRows(rows);
  }

  /** Plans every node's activations for `rows` rows in the arena, growing it once if need be. */
  private planActivations(rows: number): void {
    const { arena } = this.memory!;
    const start = arena.fixed();
    arena.release(start);
    let bytes = 0;
    for (const w of this.wiring) bytes += 2 * Arena.aligned(rows * w.node.width);
    // Grow first (onGrow re-views the old plan, still valid), then lay the new one out.
    arena.reserve(start + bytes);
    for (const w of this.wiring) {
      w.outAt = arena.alloc(rows * w.node.width);
      w.dOutAt = arena.alloc(rows * w.node.width);
    }
    this.capacity = rows;
    this.bind();
  }

  get inputWidth(): number {
    return this.nodes[this.inputIndex].width;
  }

  get outputWidth(): number {
    return this.nodes[this.outputIndex].width;
  }

  get outputId(): string {
    return this.nodes[this.outputIndex].id;
  }

  /**
   * Makes every node's buffers hold `rows` rows: reallocated only when the batch outgrows them, re-viewed
   * only when the row count changes (the last, smaller batch of an epoch; an evaluation pass), else untouched.
   */
  private ensureRows(rows: number): void {
    if (rows === this.rows) return;
    if (rows > this.capacity) {
      if (this.memory) this.planActivations(rows);
      else {
        this.capacity = rows;
        for (const w of this.wiring) {
          w.outBuf = alloc(this.dtype, rows * w.node.width);
          w.dOutBuf = alloc(this.dtype, rows * w.node.width);
        }
      }
    }
    this.viewRows(rows);
  }

  private viewRows(rows: number): void {
    for (const w of this.wiring) {
      const n = w.node;
      const len = rows * n.width;
      n.out.rows = rows;
      n.dOut.rows = rows;
      n.out.data = len === w.outBuf.length ? w.outBuf : w.outBuf.subarray(0, len);
      n.dOut.data = len === w.dOutBuf.length ? w.dOutBuf : w.dOutBuf.subarray(0, len);
    }
    this.rows = rows;
  }

  /**
   * The Input node's activations made ready for `rows` rows, to be filled in place: a batch gathered
   * straight into the model (no batch matrix between), then `forward(model.input(n), mode)`, which
   * finds its input already there. Fill it right before that forward: a larger batch re-plans it.
   */
  input(rows: number): Mat {
    this.ensureRows(rows);
    return this.nodes[this.inputIndex].out;
  }

  /** Forward pass over x [n][inputWidth] (or the model's own `input(n)`); returns the output node's activations [n][outputWidth]. */
  forward(x: Mat, mode: RunMode): Mat {
    if (x.cols !== this.inputWidth) {
      throw new Error(`input has ${x.cols} columns but the Input node expects ${this.inputWidth}`);
    }
    const inputNode = this.nodes[this.inputIndex];
    if (x !== inputNode.out) {
      this.ensureRows(x.rows);
      const input = inputNode.out.data;
      const n = x.rows * x.cols;
      if (x.data.length === n) input.set(x.data);
      else for (let i = 0; i < n; i++) input[i] = x.data[i];
    }
    for (const w of this.wiring) if (w.ins.length > 0) w.node.op.forward(w.ins, w.node.out, mode);
    return this.nodes[this.outputIndex].out;
  }

  /**
   * Σ (∂L/∂θ)² of each parameter k added into sums[layerOf[k]] (sums zeroed first; null: totals only);
   * returns the total. Squares and sums in double; the SIMD kernel for a float32 model in an arena.
   */
  gradSquares(layerOf: Int32Array | null, sums: Float64Array | null): number {
    sums?.fill(0);
    const g = this.grad;
    let total = 0;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      // The kernel for a large parameter; a call into WebAssembly costs more than a small one's sum.
      const s = this.memory && p.size >= SIMD_SUM_MIN ? this.memory.arena.sumsq(this.memory.gradAt + 4 * p.offset, p.size) : sumSquares(g, p.offset, p.offset + p.size);
      if (sums && layerOf) sums[layerOf[k]] += s;
      total += s;
    }
    return total;
  }

  /**
   * grad = a·grad + b·other, each element in double and rounded once into grad (`other` is a
   * gradient of the same layout: another shard's); then gradSquares of the result, in the same pass.
   */
  blendGrad(other: Buf, a: number, b: number, layerOf: Int32Array | null, sums: Float64Array | null): number {
    const m = this.memory;
    if (!m) {
      const g = this.grad;
      for (let i = 0; i < g.length; i++) g[i] = a * g[i] + b * other[i];
      return this.gradSquares(layerOf, sums);
    }
    // The other gradient comes into the arena's top first: taking that room may grow the memory (and re-view grad).
    const t = m.arena.temp(this.size);
    t.set(other);
    sums?.fill(0);
    let total = 0;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      const s = m.arena.blend(m.gradAt + 4 * p.offset, t.byteOffset + 4 * p.offset, p.size, a, b);
      if (sums && layerOf) sums[layerOf[k]] += s;
      total += s;
    }
    return total;
  }

  /** Sets every parameter gradient to zero. */
  zeroGrad(): void {
    this.grad.fill(0);
  }

  /**
   * Backward pass from dL/d(output) (same layout as the last forward's output); ACCUMULATES
   * parameter gradients into `grad`. Every node's dOut holds dL/d(its output) afterwards.
   */
  backward(dOutput: Buf, mode: RunMode): void {
    for (const n of this.nodes) n.dOut.data.fill(0);
    const d = this.nodes[this.outputIndex].dOut.data;
    for (let i = 0; i < d.length; i++) d[i] = dOutput[i];
    for (let k = this.wiring.length - 1; k >= 0; k--) {
      const w = this.wiring[k];
      if (w.ins.length > 0) w.node.op.backward(w.ins, w.node.out, w.node.dOut, w.dIns, mode);
    }
  }

  node(id: string): CompiledNode | undefined {
    return this.nodes.find((n) => n.id === id);
  }

  /** The parameters as model JSON (`[out][in]` for matrices). */
  paramsJson(source: Buf = this.theta): ParamsJson {
    const out: ParamsJson = {};
    for (const p of this.params) {
      const flat = Array.from(source.subarray(p.offset, p.offset + p.size));
      const value = p.shape.length === 2 ? chunk(flat, p.shape[1]) : flat;
      (out[p.node] ??= {})[p.name] = value;
    }
    return out;
  }

  /** Same layout as paramsJson, for gradients. */
  gradsJson(): ParamsJson {
    return this.paramsJson(this.grad);
  }

  stateJson(): StateJson {
    const out: StateJson = {};
    for (const s of this.states) {
      (out[s.node] ??= {})[s.spec.name] = s.spec.scalar ? s.data[0] : Array.from(s.data);
    }
    return out;
  }

  /** Copies state buffers (BatchNorm running statistics) out, to restore after a trial pass. */
  snapshotState(): Float64Array[] {
    return this.states.map((s) => Float64Array.from(s.data));
  }

  restoreState(snap: Float64Array[]): void {
    this.states.forEach((s, i) => s.data.set(snap[i]));
  }
}

function chunk(flat: number[], cols: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < flat.length; i += cols) rows.push(flat.slice(i, i + cols));
  return rows;
}
