import type { ModelJson } from '../graph';
import { checkTraining } from '../train';
import { ModelJsonError, parseJsonSafely } from './errors';
import { ACTIVATION_FORMS, matchForm, trimmed } from './onnx-forms';
import { OnnxReader } from './onnx-reader';
import { decodeOnnxModel, type OnnxModel } from './onnx-schema';
import { attrNumber, attrValue, shortestFloat32 } from './onnx-tensors';
import { validateModelJson } from './modeljson';

/** Largest .onnx file importOnnx reads (the graph's own limit, 20 M parameters, is 80 MB of float32). */
export const ONNX_MAX_BYTES = 256 * 1024 * 1024;

const SUPPORTED =
  'Gemm, MatMul (with Add as its bias), BatchNormalization, PRelu, Dropout, Add, Sum, Concat, Softmax, LogSoftmax, Identity, Constant, ' +
  'Relu, LeakyRelu, Elu, Celu, Selu, Sigmoid, Tanh, Softplus, Softsign, HardSigmoid, HardSwish, Clip, Shrink, Sign, ' +
  "Sub/Div or Mul/Add on the graph input (input scaling), and the forms Neurograph's export writes (GELU, Mish, SiLU, LogSigmoid, Maxout …)";

const tidy = (v: number) => Number(v.toPrecision(12));

/** Weight matrix [out][in] from a constant [rows][cols], stored as W (transposed = false) or Wᵀ. */
function matrix(values: Float64Array, rows: number, cols: number, transposed: boolean): number[][] {
  const out = transposed ? cols : rows;
  const inn = transposed ? rows : cols;
  return Array.from({ length: out }, (_, o) => Array.from({ length: inn }, (_, j) => (transposed ? values[j * cols + o] : values[o * cols + j])));
}

/** Gemm (or MatMul with its bias Add) → Linear, or Gemm·Reshape·ReduceMax → Maxout. */
function readDense(r: OnnxReader, i: number): void {
  const n = r.nodes[i];
  const ins = trimmed(n.input ?? []);
  const x = r.variable(i, ins[0]);
  const B = r.constant(ins[1]);
  if (!B || B.dims.length !== 2) r.fail(i, 'the weight (second input) must be a constant matrix');
  const gemm = n.op_type === 'Gemm';
  if (gemm && attrNumber(n, 'transA', 0) !== 0) r.fail(i, 'transA = 1 is not supported');
  const transposed = gemm ? attrNumber(n, 'transB', 0) === 0 : true;
  const alpha = gemm ? attrNumber(n, 'alpha', 1) : 1;
  const [rows, cols] = B.dims;
  const scaled = (v: number, by: number) => (by === 1 ? v : tidy(by * v));
  const weight = matrix(B.values, rows, cols, transposed).map((row) => row.map((v) => scaled(v, alpha)));
  const out = weight.length;
  const inW = r.widths.get(x)!;
  if (weight[0].length !== inW) r.fail(i, `the weight takes ${weight[0].length} inputs but '${ins[0]}' has width ${inW}`);
  const used = [i];
  let bias: number[] | undefined;
  if (gemm && ins[2]) bias = r.vector(i, ins[2], out, 'the bias C').map((v) => scaled(v, attrNumber(n, 'beta', 1)));
  if (!gemm) {
    const a = r.soleUser(n.output?.[0] ?? '');
    const add = a !== undefined ? r.nodes[a] : undefined;
    if (add?.op_type === 'Add') {
      const other = add.input?.find((v) => v !== n.output?.[0]);
      const c = r.constant(other);
      if (c && (c.values.length === out || c.values.length === 1)) {
        bias = r.vector(a!, other, out, 'the bias');
        used.push(a!);
      }
    }
  }
  // Maxout: z [n][units·pieces] reshaped to [n][units][pieces], then the max over the last axis.
  const rs = gemm ? r.soleUser(n.output?.[0] ?? '') : undefined;
  const reshape = rs !== undefined ? r.nodes[rs] : undefined;
  if (reshape?.op_type === 'Reshape') {
    const shape = r.constant(reshape.input?.[1]);
    const rm = r.soleUser(reshape.output?.[0] ?? '');
    const max = rm !== undefined ? r.nodes[rm] : undefined;
    const axes = max ? attrValue(max, 'axes') ?? Array.from(r.constant(max.input?.[1])?.values ?? []) : undefined;
    const units = shape?.values[1] ?? 0;
    const pieces = shape?.values[2] ?? 0;
    const lastAxis = Array.isArray(axes) && axes.length === 1 && (axes[0] === 2 || axes[0] === -1);
    if (shape && shape.values.length === 3 && (shape.values[0] === 0 || shape.values[0] === -1) && units * pieces === out && max?.op_type === 'ReduceMax' && lastAxis && attrNumber(max, 'keepdims', 1) === 0) {
      const params = { weight, bias: bias ?? new Array<number>(out).fill(0) };
      r.add([i, rs!, rm!], 'Maxout', { units, pieces }, [x], units, params);
      return;
    }
  }
  r.add(used, 'Linear', { units: out, bias: bias !== undefined }, [x], out, bias ? { weight, bias } : { weight });
}

/** Operators with tensors or several inputs; element-wise activations go through ACTIVATION_FORMS. */
function readStructural(r: OnnxReader, i: number): boolean {
  const n = r.nodes[i];
  const ins = trimmed(n.input ?? []);
  const op = n.op_type ?? '';
  const allVariable = ins.length > 0 && ins.every((v) => !r.constant(v));
  switch (op) {
    case 'Gemm':
    case 'MatMul':
      readDense(r, i);
      return true;
    case 'BatchNormalization': {
      const x = r.variable(i, ins[0]);
      const w = r.widths.get(x)!;
      if (attrNumber(n, 'training_mode', 0) !== 0) r.fail(i, 'training_mode = 1 is not supported (export the model in eval mode)');
      r.onlyFirstOutput(i);
      const [weight, bias, mean, variance] = ['scale', 'B', 'mean', 'var'].map((what, k) => r.vector(i, ins[k + 1], w, what));
      const attrs = { eps: attrNumber(n, 'epsilon', 1e-5), momentum: tidy(1 - attrNumber(n, 'momentum', 0.9)) };
      r.add([i], 'BatchNorm1d', attrs, [x], w, { weight, bias }, { running_mean: mean, running_var: variance, num_batches_tracked: 0 });
      return true;
    }
    case 'PRelu': {
      const x = r.variable(i, ins[0]);
      const slope = r.constant(ins[1]);
      const w = r.widths.get(x)!;
      if (!slope || (slope.values.length !== 1 && slope.values.length !== w)) r.fail(i, `the slope must be a constant of 1 or ${w} values`);
      r.add([i], 'PReLU', { num_parameters: slope.values.length }, [x], w, { weight: Array.from(slope.values) });
      return true;
    }
    case 'Dropout': {
      const x = r.variable(i, ins[0]);
      r.onlyFirstOutput(i);
      if (ins[2] && r.scalar(ins[2]) !== 0) r.fail(i, 'training_mode must be a constant false');
      const p = ins[1] ? r.scalar(ins[1]) : attrNumber(n, 'ratio', 0.5);
      if (p === undefined) r.fail(i, 'the ratio must be a constant');
      r.add([i], 'Dropout', { p }, [x], r.widths.get(x)!);
      return true;
    }
    case 'Add':
    case 'Sum':
    case 'Concat': {
      if (!allVariable) return false;
      const xs = ins.map((v) => r.variable(i, v));
      if (op === 'Concat') {
        const axis = attrNumber(n, 'axis', 1);
        if (axis !== 1 && axis !== -1) r.fail(i, `axis ${axis} is not supported; Neurograph concatenates features (axis 1)`);
      }
      const width = op === 'Concat' ? xs.reduce((s, x) => s + r.widths.get(x)!, 0) : r.widths.get(xs[0])!;
      if (xs.length === 1) r.add([i], 'Identity', {}, xs, width);
      else r.add([i], op === 'Concat' ? 'Concat' : 'Add', {}, xs, width);
      return true;
    }
    case 'Softmax':
    case 'LogSoftmax': {
      const x = r.variable(i, ins[0]);
      const axis = attrNumber(n, 'axis', r.opset >= 13 ? -1 : 1);
      if (axis !== 1 && axis !== -1) r.fail(i, `axis ${axis} is not supported; Neurograph takes ${op} over the features (axis 1)`);
      r.add([i], op, {}, [x], r.widths.get(x)!);
      return true;
    }
  }
  return false;
}

/** Input scaling written in front of the first layer: Sub then Div (or Mul), or Mul then Add. */
function readInputScaling(r: OnnxReader, input: string, k: number): string {
  const first = r.soleUser(input);
  const a = first !== undefined ? r.nodes[first] : undefined;
  const second = a ? r.soleUser(a.output?.[0] ?? '') : undefined;
  const b = second !== undefined ? r.nodes[second] : undefined;
  if (!a || !b || a.input?.[0] !== input || b.input?.[0] !== a.output?.[0]) return input;
  const vec = (v: string | undefined) => {
    const c = r.constant(v);
    return c && (c.values.length === k || c.values.length === 1) ? Array.from({ length: k }, (_, j) => c.values[c.values.length === 1 ? 0 : j]) : null;
  };
  const u = vec(a.input?.[1]);
  const v = vec(b.input?.[1]);
  if (!u || !v) return input;
  let mean: number[];
  let scale: number[];
  if (a.op_type === 'Sub' && (b.op_type === 'Div' || b.op_type === 'Mul') && v.every((d) => d !== 0)) {
    mean = u;
    scale = b.op_type === 'Div' ? v : v.map((d) => shortestFloat32(Math.fround(1 / d)));
  } else if (a.op_type === 'Mul' && b.op_type === 'Add' && u.every((m) => m !== 0)) {
    // x·a + b = (x − mean)/scale with scale = 1/a, mean = −b/a
    scale = u.map((m) => tidy(1 / m));
    mean = u.map((m, j) => tidy(-v[j] / m));
  } else return input;
  r.taken[first!] = true;
  r.taken[second!] = true;
  r.scaling = r.metadata.get('neurograph.scaling') === 'minmax' ? { kind: 'minmax', min: mean, max: mean.map((m, j) => tidy(m + scale[j])) } : { kind: 'standardize', mean, scale };
  return b.output?.[0] ?? input;
}

function jsonProp(r: OnnxReader, key: string): unknown {
  const text = r.metadata.get(key);
  if (text === undefined) return undefined;
  try {
    return parseJsonSafely(text, `metadata ${key}`);
  } catch {
    return undefined;
  }
}

/**
 * An ONNX file (bytes of a ModelProto) as Neurograph model JSON v1: graph, params and BatchNorm state,
 * plus `meta.scaling` when the graph input is scaled first and the training block when the file
 * came from exportOnnx. Reads the operators listed in SUPPORTED (rows [batch, k] in, float or double
 * weights); anything else is refused with a ModelJsonError (code 'invalid_model') naming the
 * operator and the node (`graph.node[i]`). The result passes validateModelJson.
 */
export function importOnnx(bytes: Uint8Array): ModelJson {
  if (!(bytes instanceof Uint8Array)) throw new ModelJsonError('an ONNX model must be given as bytes');
  if (bytes.length > ONNX_MAX_BYTES) throw new ModelJsonError(`the ONNX file is ${(bytes.length / 1e6).toFixed(0)} MB; the limit is ${ONNX_MAX_BYTES / 1024 / 1024} MB`);
  let model: OnnxModel;
  try {
    model = decodeOnnxModel(bytes);
  } catch (e) {
    throw new ModelJsonError(`not an ONNX model: ${(e as Error).message}`);
  }
  const graph = model.graph;
  if (!graph || !graph.node?.length) throw new ModelJsonError('not an ONNX model: it has no graph nodes', 'graph');
  const opset = (model.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  if (!opset) throw new ModelJsonError('the ONNX model declares no opset for the standard operators', 'opset_import');
  const r = new OnnxReader(model, opset);
  const inits = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((v) => !inits.has(v.name));
  if (inputs.length !== 1) throw new ModelJsonError(`the ONNX graph has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); Neurograph models take one`, 'graph.input');
  const input = inputs[0];
  const dims = input.type?.tensor_type?.shape?.dim ?? [];
  const k = Number(dims[1]?.dim_value ?? 0);
  if (dims.length !== 2 || !(k > 0)) {
    throw new ModelJsonError(`the ONNX input '${input.name}' has shape [${dims.map((d) => d.dim_value ?? d.dim_param ?? '?').join(', ')}]; Neurograph takes rows [batch, features] with a known number of features`, 'graph.input');
  }
  const inputName = input.name ?? 'input';
  const scaled = readInputScaling(r, inputName, k);
  r.addInput(inputName, k);
  r.values.set(scaled, r.values.get(inputName)!);

  r.nodes.forEach((n, i) => {
    if (r.taken[i]) return;
    if (n.domain && n.domain !== 'ai.onnx') r.fail(i, `operator '${n.op_type}' of domain '${n.domain}' is not supported; Neurograph imports ${SUPPORTED}`);
    if (readStructural(r, i)) return;
    const variables = [...new Set(trimmed(n.input ?? []).filter((v) => !r.constant(v)))];
    if (variables.length === 1) {
      const x = r.variable(i, variables[0]);
      for (const form of ACTIVATION_FORMS) {
        if (form.steps[0].op !== n.op_type) continue;
        const m = matchForm(form, r, i, variables[0]);
        if (m) return void r.add(m.nodes, form.type, m.attrs, [x], r.widths.get(x)!);
      }
    }
    const known = ACTIVATION_FORMS.some((f) => f.steps.some((s) => s.op === n.op_type)) || ['Sub', 'Div', 'Reshape', 'ReduceMax'].includes(n.op_type ?? '');
    r.fail(i, known ? `operator '${n.op_type}' is supported only in the forms Neurograph writes (${SUPPORTED}); this use of it is not one of them` : `operator '${n.op_type}' is not supported; Neurograph imports ${SUPPORTED}`);
  });

  const outputs = (graph.output ?? []).map((o, j) => {
    const id = r.values.get(o.name ?? '');
    if (id === undefined) throw new ModelJsonError(`the ONNX output '${o.name}' is not computed from the input by supported operators`, `graph.output[${j}]`);
    return id;
  });
  if (!outputs.length) throw new ModelJsonError('the ONNX graph has no outputs', 'graph.output');
  // Nodes that feed no output (dead ends in the file) are dropped; they change no prediction.
  const live = new Set<string>();
  const stack = [...outputs];
  const byId = new Map(r.specs.map((s) => [s.id, s]));
  while (stack.length) {
    const id = stack.pop()!;
    if (live.has(id)) continue;
    live.add(id);
    stack.push(...(byId.get(id)?.in ?? []));
  }
  const nodes = r.specs.filter((s) => live.has(s.id) || s.type === 'Input');
  const params = Object.fromEntries(Object.entries(r.params).filter(([id]) => live.has(id)));
  const state = Object.fromEntries(Object.entries(r.state).filter(([id]) => live.has(id)));
  const storedMeta = jsonProp(r, 'neurograph.meta');
  const meta: Record<string, unknown> = storedMeta && typeof storedMeta === 'object' && !Array.isArray(storedMeta) ? { ...(storedMeta as object) } : {};
  delete meta.scaling;
  if (r.scaling) meta.scaling = r.scaling;
  meta.imported_from = { format: 'onnx', producer: [model.producer_name, model.producer_version].filter(Boolean).join(' ') || 'unknown', opset };
  const out: ModelJson = { format: 'neurograph-model', version: 1, nodes, outputs: [...new Set(outputs)], params, state, meta };
  const training = jsonProp(r, 'neurograph.training');
  if (training && checkTraining(training).length === 0) out.training = training as ModelJson['training'];
  return validateModelJson(out);
}
