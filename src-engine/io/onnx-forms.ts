/**
 * How each element-wise activation is written in ONNX (opset 17) and recognised when read back: one
 * table, each entry a short list of standard operators. Export writes the first form of a type whose
 * `when` holds; import tries the forms in order (longer ones first, so SiLU's Sigmoid→Mul is not
 * read as a bare Sigmoid), binding the constants and reading the attributes back.
 */
import type { Attrs } from '../layers';
import type { OnnxAttribute, OnnxNode, OnnxTensor } from './onnx-schema';
import { attrFloat, attrNumber, floatTensor } from './onnx-tensors';

/** A step's input: the activation's input x, an earlier step's output, a constant from the node's attributes ({c}), or a fixed constant ({k}). */
type Ref = 'x' | number | { c: number } | { k: number };

interface Step {
  op: string;
  in: Ref[];
  /** Float attributes written on export, from the node's attributes. */
  attrs?: (a: Attrs) => Record<string, number>;
}

export interface ActivationForm {
  type: string;
  when?: (a: Attrs) => boolean;
  steps: Step[];
  /** Values of the {c: i} constants for a node's attributes. */
  consts?: (a: Attrs) => number[];
  /** The node's attributes from the bound constants and the ONNX attributes (`attr(step, name, ONNX default)`); null: not this form. */
  read?: (c: number[], attr: (step: number, name: string, dflt: number) => number) => Attrs | null;
  exportOnly?: boolean;
  importOnly?: boolean;
}

const SQRT2 = Math.SQRT2;
const GELU_K = Math.sqrt(2 / Math.PI);
const GELU_C = 0.044715;
// ONNX's Selu defaults: the float32 values of PyTorch's SELU constants.
const SELU_ALPHA = 1.6732632423543772;
const SELU_GAMMA = 1.0507009873554805;
const one = { k: 1 };
const half = { k: 0.5 };
const num = (a: Attrs, k: string) => a[k] as number;
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const unary = (type: string, op: string): ActivationForm => ({ type, steps: [{ op, in: ['x'] }] });

export const ACTIVATION_FORMS: readonly ActivationForm[] = [
  {
    type: 'GELU',
    when: (a) => a.approximate === 'tanh',
    // x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))
    steps: [
      { op: 'Mul', in: ['x', 'x'] },
      { op: 'Mul', in: [0, 'x'] },
      { op: 'Mul', in: [1, { k: GELU_C }] },
      { op: 'Add', in: ['x', 2] },
      { op: 'Mul', in: [3, { k: GELU_K }] },
      { op: 'Tanh', in: [4] },
      { op: 'Add', in: [5, one] },
      { op: 'Mul', in: ['x', 6] },
      { op: 'Mul', in: [7, half] },
    ],
    read: () => ({ approximate: 'tanh' }),
  },
  {
    // x/2·(1 + erf(x/√2)); ONNX has Gelu only from opset 20.
    type: 'GELU',
    steps: [{ op: 'Div', in: ['x', { k: SQRT2 }] }, { op: 'Erf', in: [0] }, { op: 'Add', in: [1, one] }, { op: 'Mul', in: ['x', 2] }, { op: 'Mul', in: [3, half] }],
  },
  { type: 'Mish', steps: [{ op: 'Softplus', in: ['x'] }, { op: 'Tanh', in: [0] }, { op: 'Mul', in: ['x', 1] }] },
  {
    // softplus(βx)/β, and x itself where βx > threshold (as torch.nn.Softplus)
    type: 'Softplus',
    when: (a) => !(a.beta === 1 && a.threshold === 20),
    steps: [
      { op: 'Mul', in: ['x', { c: 0 }] },
      { op: 'Softplus', in: [0] },
      { op: 'Div', in: [1, { c: 0 }] },
      { op: 'Greater', in: [0, { c: 1 }] },
      { op: 'Where', in: [3, 'x', 2] },
    ],
    consts: (a) => [num(a, 'beta'), num(a, 'threshold')],
    read: (c) => (c[0] > 0 ? { beta: c[0], threshold: c[1] } : null),
  },
  { type: 'LogSigmoid', steps: [{ op: 'Neg', in: ['x'] }, { op: 'Softplus', in: [0] }, { op: 'Neg', in: [1] }] },
  { type: 'SiLU', steps: [{ op: 'Sigmoid', in: ['x'] }, { op: 'Mul', in: ['x', 0] }] },
  { type: 'Tanhshrink', steps: [{ op: 'Tanh', in: ['x'] }, { op: 'Sub', in: ['x', 0] }] },
  { type: 'Step', steps: [{ op: 'Sign', in: ['x'] }, { op: 'Add', in: [0, one] }, { op: 'Mul', in: [1, half] }] },
  { type: 'PiecewiseLinear', steps: [{ op: 'Add', in: ['x', half] }, { op: 'Clip', in: [0, { k: 0 }, one] }] },
  {
    // tanh(a·x/2)
    type: 'BipolarSigmoid',
    steps: [{ op: 'Mul', in: ['x', { c: 0 }] }, { op: 'Tanh', in: [0] }],
    consts: (a) => [num(a, 'a') / 2],
    read: (c) => (c[0] > 0 ? { a: 2 * c[0] } : null),
  },
  // The forms torch.onnx.export (opset 13–17) writes for these, read back too.
  {
    type: 'Hardswish',
    importOnly: true,
    steps: [{ op: 'HardSigmoid', in: ['x'] }, { op: 'Mul', in: ['x', 0] }],
    read: (_c, attr) => (near(attr(0, 'alpha', 0.2), 1 / 6) && near(attr(0, 'beta', 0.5), 0.5) ? {} : null),
  },
  { type: 'LogSigmoid', importOnly: true, steps: [{ op: 'Sigmoid', in: ['x'] }, { op: 'Log', in: [0] }] },
  { type: 'Softsign', importOnly: true, steps: [{ op: 'Abs', in: ['x'] }, { op: 'Add', in: [0, one] }, { op: 'Div', in: ['x', 1] }] },
  {
    type: 'Softshrink',
    importOnly: true,
    steps: [
      { op: 'Greater', in: ['x', { c: 0 }] },
      { op: 'Sub', in: ['x', { c: 0 }] },
      { op: 'Where', in: [0, 1, { k: 0 }] },
      { op: 'Less', in: ['x', { c: 1 }] },
      { op: 'Add', in: ['x', { c: 0 }] },
      { op: 'Where', in: [3, 4, { k: 0 }] },
      { op: 'Add', in: [2, 5] },
    ],
    read: (c) => (c[1] === -c[0] && c[0] >= 0 ? { lambd: c[0] } : null),
  },
  {
    type: 'Hardshrink',
    importOnly: true,
    steps: [
      { op: 'Greater', in: ['x', { c: 0 }] },
      { op: 'Less', in: ['x', { c: 1 }] },
      { op: 'Cast', in: [0] },
      { op: 'Cast', in: [1] },
      { op: 'Or', in: [2, 3] },
      { op: 'Where', in: [4, 'x', { k: 0 }] },
    ],
    read: (c) => (c[1] === -c[0] && c[0] >= 0 ? { lambd: c[0] } : null),
  },
  { type: 'ReLU6', steps: [{ op: 'Clip', in: ['x', { k: 0 }, { k: 6 }] }] },
  {
    type: 'Hardtanh',
    steps: [{ op: 'Clip', in: ['x', { c: 0 }, { c: 1 }] }],
    consts: (a) => [num(a, 'min_val'), num(a, 'max_val')],
    read: (c) => (c[0] <= c[1] ? { min_val: c[0], max_val: c[1] } : null),
  },
  { type: 'ReLU', importOnly: true, steps: [{ op: 'Clip', in: ['x', { k: 0 }] }] },
  unary('ReLU', 'Relu'),
  { type: 'Softplus', steps: [{ op: 'Softplus', in: ['x'] }], read: () => ({ beta: 1, threshold: 20 }) },
  {
    type: 'LeakyReLU',
    steps: [{ op: 'LeakyRelu', in: ['x'], attrs: (a) => ({ alpha: num(a, 'negative_slope') }) }],
    read: (_c, attr) => ({ negative_slope: attr(0, 'alpha', 0.01) }),
  },
  // In eval mode RReLU is a leaky ReLU with the mean slope; it comes back as a LeakyReLU.
  { type: 'RReLU', exportOnly: true, steps: [{ op: 'LeakyRelu', in: ['x'], attrs: (a) => ({ alpha: (num(a, 'lower') + num(a, 'upper')) / 2 }) }] },
  { type: 'ELU', steps: [{ op: 'Elu', in: ['x'], attrs: (a) => ({ alpha: num(a, 'alpha') }) }], read: (_c, attr) => ({ alpha: attr(0, 'alpha', 1) }) },
  {
    type: 'CELU',
    steps: [{ op: 'Celu', in: ['x'], attrs: (a) => ({ alpha: num(a, 'alpha') }) }],
    read: (_c, attr) => (attr(0, 'alpha', 1) > 0 ? { alpha: attr(0, 'alpha', 1) } : null),
  },
  {
    type: 'SELU',
    steps: [{ op: 'Selu', in: ['x'] }],
    read: (_c, attr) => (near(attr(0, 'alpha', SELU_ALPHA), SELU_ALPHA) && near(attr(0, 'gamma', SELU_GAMMA), SELU_GAMMA) ? {} : null),
  },
  {
    type: 'Hardsigmoid',
    steps: [{ op: 'HardSigmoid', in: ['x'], attrs: () => ({ alpha: 1 / 6, beta: 0.5 }) }],
    read: (_c, attr) => (near(attr(0, 'alpha', 0.2), 1 / 6) && near(attr(0, 'beta', 0.5), 0.5) ? {} : null),
  },
  unary('Hardswish', 'HardSwish'),
  {
    type: 'Softshrink',
    steps: [{ op: 'Shrink', in: ['x'], attrs: (a) => ({ lambd: num(a, 'lambd'), bias: num(a, 'lambd') }) }],
    read: (_c, attr) => (attr(0, 'bias', 0) === attr(0, 'lambd', 0.5) && attr(0, 'bias', 0) > 0 ? { lambd: attr(0, 'lambd', 0.5) } : null),
  },
  {
    type: 'Hardshrink',
    steps: [{ op: 'Shrink', in: ['x'], attrs: (a) => ({ lambd: num(a, 'lambd'), bias: 0 }) }],
    read: (_c, attr) => (attr(0, 'bias', 0) === 0 && attr(0, 'lambd', 0.5) >= 0 ? { lambd: attr(0, 'lambd', 0.5) } : null),
  },
  unary('Sigmoid', 'Sigmoid'),
  unary('Tanh', 'Tanh'),
  unary('Softsign', 'Softsign'),
  unary('Sign', 'Sign'),
  unary('Identity', 'Identity'),
];

/** The form export writes for a node type with these attributes, if the type is an element-wise activation. */
export function exportForm(type: string, attrs: Attrs): ActivationForm | undefined {
  return ACTIVATION_FORMS.find((f) => f.type === type && !f.importOnly && (!f.when || f.when(attrs)));
}

/**
 * Writes a form: its steps as nodes reading `x`, the last one named `id` with output `out`, the
 * helpers `id/0`, `id/1`…; scalar constants become rank-0 float initializers.
 */
export function emitForm(form: ActivationForm, id: string, x: string, out: string, attrs: Attrs, nodes: OnnxNode[], inits: OnnxTensor[]): void {
  const consts = form.consts?.(attrs) ?? [];
  const made = new Set<string>();
  const last = form.steps.length - 1;
  const scalar = (name: string, v: number) => {
    if (!made.has(name)) inits.push(floatTensor(name, [v], []));
    made.add(name);
    return name;
  };
  form.steps.forEach((step, i) => {
    const input = step.in.map((r, j) =>
      r === 'x' ? x : typeof r === 'number' ? `${id}/${r}` : 'c' in r ? scalar(`${id}/c${r.c}`, consts[r.c]) : scalar(`${id}/k${i}.${j}`, r.k),
    );
    const attribute: OnnxAttribute[] = Object.entries(step.attrs?.(attrs) ?? {}).map(([k, v]) => attrFloat(k, v));
    nodes.push({ name: i === last ? id : `${id}/${i}`, op_type: step.op, input, output: [i === last ? out : `${id}/${i}`], attribute });
  });
}

/** What form matching needs to know about the graph being imported. */
export interface GraphView {
  nodes: OnnxNode[];
  /** Indices of the nodes that read a value. */
  consumers(value: string): number[];
  /** The value of a constant with one element, else undefined. */
  scalar(value: string): number | undefined;
  taken: boolean[];
  isOutput(value: string): boolean;
}

const COMMUTATIVE = new Set(['Add', 'Mul', 'Or']);

/**
 * Matches a form whose first step is node `start` reading value `x`. Returns the matched node
 * indices (last one last) and the attributes, or null. Intermediate results must feed nothing else.
 */
export function matchForm(form: ActivationForm, g: GraphView, start: number, x: string): { nodes: number[]; attrs: Attrs } | null {
  if (form.exportOnly) return null;
  const bound: number[] = [];
  const consts: number[] = [];
  const inputsFit = (node: OnnxNode, refs: Ref[]): boolean => {
    const ins = trimmed(node.input ?? []);
    if (ins.length !== refs.length) return false;
    const tryOrder = (order: Ref[]) => {
      const saved = [...consts];
      const ok = order.every((r, j) => {
        const v = ins[j];
        if (r === 'x') return v === x;
        if (typeof r === 'number') return v === g.nodes[bound[r]].output?.[0];
        const s = g.scalar(v);
        if (s === undefined) return false;
        if ('k' in r) return near(s, r.k);
        if (consts[r.c] === undefined) consts[r.c] = s;
        return consts[r.c] === s;
      });
      if (!ok) consts.splice(0, consts.length, ...saved);
      return ok;
    };
    return tryOrder(refs) || (COMMUTATIVE.has(node.op_type ?? '') && refs.length === 2 && tryOrder([refs[1], refs[0]]));
  };
  for (let i = 0; i < form.steps.length; i++) {
    const step = form.steps[i];
    let candidates: number[];
    if (i === 0) candidates = [start];
    else {
      const from = step.in.find((r) => r === 'x' || typeof r === 'number');
      candidates = g.consumers(from === 'x' ? x : g.nodes[bound[from as number]].output?.[0] ?? '');
    }
    const hit = candidates.find((n) => !g.taken[n] && !bound.includes(n) && g.nodes[n].op_type === step.op && (g.nodes[n].domain ?? '') === '' && inputsFit(g.nodes[n], step.in));
    if (hit === undefined) return null;
    bound.push(hit);
  }
  for (const n of bound.slice(0, -1)) {
    const v = g.nodes[n].output?.[0] ?? '';
    if (g.isOutput(v) || g.consumers(v).some((c) => !bound.includes(c))) return null;
  }
  const attr = (step: number, name: string, dflt: number) => attrNumber(g.nodes[bound[step]], name, dflt);
  const attrs = form.read ? form.read(consts, attr) : {};
  return attrs ? { nodes: bound, attrs } : null;
}

/** Inputs without the trailing empty names ONNX uses for omitted optional inputs. */
export function trimmed(inputs: string[]): string[] {
  let n = inputs.length;
  while (n > 0 && inputs[n - 1] === '') n--;
  return inputs.slice(0, n);
}
