import type { NodeSpec, ParamsJson, StateJson } from '../graph';
import type { Attrs } from '../layers';
import { ModelJsonError } from './errors';
import type { GraphView } from './onnx-forms';
import { ATTR_TYPE, type OnnxModel, type OnnxNode } from './onnx-schema';
import { attrValue, readTensor } from './onnx-tensors';
import type { InputScaling } from './scaling';

export interface Constant {
  dims: number[];
  values: Float64Array;
}

const ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** What importOnnx knows while it walks an ONNX graph in its (topological) node order, building the Neurograph graph. */
export class OnnxReader implements GraphView {
  readonly nodes: OnnxNode[];
  readonly taken: boolean[];
  private readonly users = new Map<string, number[]>();
  private readonly consts = new Map<string, Constant>();
  /** ONNX value name → the Neurograph node whose output it is. */
  readonly values = new Map<string, string>();
  readonly widths = new Map<string, number>();
  readonly specs: NodeSpec[] = [];
  readonly params: ParamsJson = {};
  readonly state: StateJson = {};
  private readonly ids = new Set<string>();
  private readonly graphOutputs: Set<string>;
  scaling: InputScaling | null = null;

  constructor(
    private readonly model: OnnxModel,
    readonly opset: number,
  ) {
    const g = model.graph!;
    this.nodes = g.node ?? [];
    this.taken = this.nodes.map(() => false);
    this.graphOutputs = new Set((g.output ?? []).map((o) => o.name ?? ''));
    this.nodes.forEach((n, i) => {
      for (const v of n.input ?? []) if (v) this.users.set(v, [...(this.users.get(v) ?? []), i]);
    });
    for (const t of g.initializer ?? []) {
      const read = readTensor(t);
      if (typeof read === 'string') throw new ModelJsonError(`ONNX initializer '${t.name}': ${read}`, `graph.initializer.${t.name}`);
      this.consts.set(t.name ?? '', read);
    }
    // Constant nodes take no inputs: read them all first, so a form can match constants written after its first node.
    this.nodes.forEach((n, i) => {
      if (n.op_type === 'Constant' && !n.domain) this.registerConstant(i);
    });
    // Before opset 11 Clip took min and max as attributes: read them as the constant inputs of today's Clip.
    this.nodes.forEach((n, i) => {
      if (n.op_type !== 'Clip' || !n.attribute?.length) return;
      n.input = [n.input?.[0] ?? '', ...(['min', 'max'] as const).map((k) => {
        const v = attrValue(n, k);
        if (typeof v !== 'number') return '';
        const name = `clip${i}/${k}`;
        this.consts.set(name, { dims: [], values: Float64Array.of(v) });
        return name;
      })];
    });
  }

  consumers(value: string): number[] {
    return this.users.get(value) ?? [];
  }

  isOutput(value: string): boolean {
    return this.graphOutputs.has(value);
  }

  constant(value: string | undefined): Constant | undefined {
    return value ? this.consts.get(value) : undefined;
  }

  scalar(value: string): number | undefined {
    const c = this.consts.get(value);
    return c && c.values.length === 1 ? c.values[0] : undefined;
  }

  fail(i: number, message: string): never {
    const n = this.nodes[i];
    throw new ModelJsonError(`ONNX node ${i}${n.name ? ` '${n.name}'` : ''} (${n.op_type}): ${message}`, `graph.node[${i}]`);
  }

  /** A fresh Neurograph id: the first candidate that is a valid, unused id, else `<type><k>`. */
  private claim(candidates: (string | undefined)[], type: string): string {
    let id = candidates.find((c) => c && ID_RE.test(c) && !RESERVED.has(c) && !this.ids.has(c));
    for (let k = 1; !id; k++) if (!this.ids.has(`${type.toLowerCase()}${k}`)) id = `${type.toLowerCase()}${k}`;
    this.ids.add(id);
    return id;
  }

  addInput(name: string, width: number): string {
    const id = this.claim([name], 'input');
    this.specs.push({ id, type: 'Input', size: width });
    this.widths.set(id, width);
    this.values.set(name, id);
    return id;
  }

  /** Adds a Neurograph node made of ONNX nodes `used` (the last gives its name and output) and returns its id. */
  add(used: number[], type: string, attrs: Attrs, ins: string[], width: number, params?: Record<string, number[] | number[][]>, state?: Record<string, number[] | number>): string {
    const last = this.nodes[used[used.length - 1]];
    const id = this.claim([last.name, last.output?.[0]], type);
    this.specs.push({ id, type, in: ins, ...attrs });
    this.widths.set(id, width);
    if (params) this.params[id] = params;
    if (state) this.state[id] = state;
    for (const u of used) this.taken[u] = true;
    this.values.set(last.output?.[0] ?? '', id);
    return id;
  }

  /** The Neurograph node behind an ONNX value the node reads, or a refusal naming it. */
  variable(i: number, value: string): string {
    const id = this.values.get(value);
    if (id !== undefined) return id;
    if (this.consts.has(value)) this.fail(i, `input '${value}' is a constant where Neurograph needs the output of a layer`);
    return this.fail(i, `input '${value}' is not produced by any earlier node (the graph must be in topological order)`);
  }

  /** A constant input as a vector of `n` values (a single value is broadcast), or a refusal. */
  vector(i: number, value: string | undefined, n: number, what: string): number[] {
    const c = this.constant(value);
    if (!c) return this.fail(i, `${what} must be a constant (an initializer or Constant node)`);
    if (c.values.length === n) return Array.from(c.values);
    if (c.values.length === 1) return new Array<number>(n).fill(c.values[0]);
    return this.fail(i, `${what} has ${c.values.length} values, expected ${n}`);
  }

  /** A node's outputs after the first must feed nothing (BatchNormalization's and Dropout's extra outputs). */
  onlyFirstOutput(i: number): void {
    for (const extra of (this.nodes[i].output ?? []).slice(1)) {
      if (extra && (this.consumers(extra).length || this.isOutput(extra))) this.fail(i, `its output '${extra}' is used; only the first output is supported`);
    }
  }

  /** The one node reading `value`, when exactly one does and the value is no graph output. */
  soleUser(value: string): number | undefined {
    const u = this.consumers(value);
    return u.length === 1 && !this.taken[u[0]] && !this.isOutput(value) ? u[0] : undefined;
  }

  registerConstant(i: number): void {
    const n = this.nodes[i];
    const a = n.attribute?.[0];
    let c: Constant | undefined;
    if (a?.type === ATTR_TYPE.TENSOR && a.t) {
      const read = readTensor(a.t);
      if (typeof read === 'string') this.fail(i, read);
      c = read;
    } else {
      const v = attrValue(n, a?.name ?? '');
      if (typeof v === 'number') c = { dims: [], values: Float64Array.of(v) };
      else if (Array.isArray(v)) c = { dims: [v.length], values: Float64Array.from(v) };
    }
    if (!c || (n.attribute?.length ?? 0) !== 1) this.fail(i, 'only numeric Constant values are supported');
    this.consts.set(n.output?.[0] ?? '', c);
    this.taken[i] = true;
  }

  get metadata(): Map<string, string> {
    return new Map((this.model.metadata_props ?? []).map((p) => [p.key ?? '', p.value ?? '']));
  }
}
