import { alloc, type Buf, type DType, type Mat } from '../tensor';
import type { LayerDef, Op, ParamSpec, RunMode, StateSpec } from '../layers';
import type { ParamsJson, StateJson } from './types';

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
}

/**
 * A compiled graph. All parameters live in one flat vector `theta` (and gradients in `grad`), so
 * optimizers, clipping and second-order methods work on plain vectors; each node reads views of it.
 * Activation buffers are sized for the largest batch seen and reused every step; the Mat objects and
 * each node's input lists are planned at compile time, so a step allocates nothing.
 */
export class Model {
  capacity = 0;
  private rows = -1;
  private readonly wiring: Wiring[];

  constructor(
    readonly dtype: DType,
    readonly nodes: CompiledNode[],
    readonly inputIndex: number,
    readonly outputIndex: number,
    readonly theta: Buf,
    readonly grad: Buf,
    readonly params: ParamView[],
    readonly states: StateView[],
  ) {
    this.wiring = nodes.map((node) => ({
      node,
      ins: node.inputs.map((i) => nodes[i].out),
      // The Input keeps no gradient: its slot is null (the op skips it).
      dIns: node.inputs.map((i) => (i === inputIndex ? null : nodes[i].dOut)) as Mat[],
      outBuf: node.out.data,
      dOutBuf: node.dOut.data,
    }));
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
      this.capacity = rows;
      for (const w of this.wiring) {
        w.outBuf = alloc(this.dtype, rows * w.node.width);
        w.dOutBuf = alloc(this.dtype, rows * w.node.width);
      }
    }
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

  /** Forward pass over x [n][inputWidth]; returns the output node's activations [n][outputWidth]. */
  forward(x: Mat, mode: RunMode): Mat {
    if (x.cols !== this.inputWidth) {
      throw new Error(`input has ${x.cols} columns but the Input node expects ${this.inputWidth}`);
    }
    this.ensureRows(x.rows);
    const input = this.nodes[this.inputIndex].out.data;
    const n = x.rows * x.cols;
    if (x.data.length === n) input.set(x.data);
    else for (let i = 0; i < n; i++) input[i] = x.data[i];
    for (const w of this.wiring) if (w.ins.length > 0) w.node.op.forward(w.ins, w.node.out, mode);
    return this.nodes[this.outputIndex].out;
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
