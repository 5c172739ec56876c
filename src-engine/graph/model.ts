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
  out: Mat;
  dOut: Mat;
}

/**
 * A compiled graph. All parameters live in one flat vector `theta` (and gradients in `grad`), so
 * optimizers, clipping and second-order methods work on plain vectors; each node reads views of it.
 * Activation buffers are sized for the largest batch seen and reused every step.
 */
export class Model {
  capacity = 0;

  constructor(
    readonly dtype: DType,
    readonly nodes: CompiledNode[],
    readonly inputIndex: number,
    readonly outputIndex: number,
    readonly theta: Buf,
    readonly grad: Buf,
    readonly params: ParamView[],
    readonly states: StateView[],
  ) {}

  get inputWidth(): number {
    return this.nodes[this.inputIndex].width;
  }

  get outputWidth(): number {
    return this.nodes[this.outputIndex].width;
  }

  get outputId(): string {
    return this.nodes[this.outputIndex].id;
  }

  /** Makes every node's buffers hold `rows` rows (reallocating only when the batch grows). */
  private ensureRows(rows: number): void {
    if (rows > this.capacity) {
      this.capacity = rows;
      for (const n of this.nodes) {
        n.out.data = alloc(this.dtype, rows * n.width);
        n.dOut.data = alloc(this.dtype, rows * n.width);
      }
    }
    for (const n of this.nodes) {
      if (n.out.rows !== rows || n.out.data.length !== rows * n.width) {
        const full = this.capacity * n.width;
        n.out = { rows, cols: n.width, data: fullBuffer(n.out.data, full).subarray(0, rows * n.width) };
        n.dOut = { rows, cols: n.width, data: fullBuffer(n.dOut.data, full).subarray(0, rows * n.width) };
      }
    }
  }

  /** Forward pass over x [n][inputWidth]; returns the output node's activations [n][outputWidth]. */
  forward(x: Mat, mode: RunMode): Mat {
    if (x.cols !== this.inputWidth) {
      throw new Error(`input has ${x.cols} columns but the Input node expects ${this.inputWidth}`);
    }
    this.ensureRows(x.rows);
    const inputNode = this.nodes[this.inputIndex];
    inputNode.out.data.set(x.data.subarray(0, x.rows * x.cols));
    for (const n of this.nodes) {
      if (n.inputs.length === 0) continue;
      n.op.forward(
        n.inputs.map((i) => this.nodes[i].out),
        n.out,
        mode,
      );
    }
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
    const out = this.nodes[this.outputIndex];
    out.dOut.data.set(dOutput.subarray(0, out.dOut.data.length));
    for (let k = this.nodes.length - 1; k >= 0; k--) {
      const n = this.nodes[k];
      if (n.inputs.length === 0) continue;
      n.op.backward(
        n.inputs.map((i) => this.nodes[i].out),
        n.out,
        n.dOut,
        n.inputs.map((i) => (i === this.inputIndex ? null : this.nodes[i].dOut)) as Mat[],
        mode,
      );
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

function fullBuffer(view: Buf, length: number): Buf {
  const b = view.buffer;
  return view instanceof Float64Array ? new Float64Array(b, 0, length) : new Float32Array(b, 0, length);
}

function chunk(flat: number[], cols: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < flat.length; i += cols) rows.push(flat.slice(i, i + cols));
  return rows;
}
