import { analyzeGraph, compile, GraphError, type ModelJson, type NodeSpec, type ParamsJson, type StateJson } from '../graph';
import type { Attrs } from '../layers';
import { ModelJsonError } from './errors';
import { emitForm, exportForm } from './onnx-forms';
import { encodeOnnxModel, DATA_TYPE, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-schema';
import { attrFloat, attrInt, attrInts, floatTensor, int64Tensor } from './onnx-tensors';
import { readScaling, scalingAffine } from './scaling';

/** The opset Neurograph writes: 17 is read by every current runtime and by onnx.checker from onnx 1.12 on. */
export const ONNX_OPSET = 17;
/** IR version 8 goes with opset 17. */
export const ONNX_IR_VERSION = 8;
export const ONNX_PRODUCER = 'neurograph';

export interface OnnxExportOptions {
  /** producer_version in the file (the CLI gives the package version). */
  producerVersion?: string;
}

const flat = (v: number[] | number[][]): number[] => (Array.isArray(v[0]) ? (v as number[][]).flat() : (v as number[]));

/** Writes the ONNX nodes of one Neurograph node: reads `ins`, its result is the value `id`. */
function emitNode(node: NodeSpec, attrs: Attrs, ins: string[], inW: number[], width: number, params: ParamsJson, state: StateJson, nodes: OnnxNode[], inits: OnnxTensor[]): void {
  const id = node.id;
  const p = params[id] ?? {};
  const push = (op_type: string, input: string[], output: string, name = output, attribute: OnnxNode['attribute'] = []) => nodes.push({ name, op_type, input, output: [output], attribute });
  const tensor = (name: string, v: number[] | number[][], dims: number[]) => {
    inits.push(floatTensor(`${id}.${name}`, flat(v), dims));
    return `${id}.${name}`;
  };
  switch (node.type) {
    case 'Linear': {
      // z = x·Wᵀ + b: Gemm with transB, W kept in PyTorch's [out][in] layout.
      const input = [ins[0], tensor('weight', p.weight, [width, inW[0]])];
      if (p.bias) input.push(tensor('bias', p.bias, [width]));
      return void push('Gemm', input, id, id, [attrInt('transB', 1)]);
    }
    case 'Maxout': {
      // z [n][units·pieces] → [n][units][pieces] → max over pieces (row u·pieces + k is piece k of unit u).
      const units = attrs.units as number;
      const pieces = attrs.pieces as number;
      push('Gemm', [ins[0], tensor('weight', p.weight, [units * pieces, inW[0]]), tensor('bias', p.bias, [units * pieces])], `${id}/gemm`, `${id}/gemm`, [attrInt('transB', 1)]);
      inits.push(int64Tensor(`${id}/shape`, [0, units, pieces], [3]));
      push('Reshape', [`${id}/gemm`, `${id}/shape`], `${id}/pieces`);
      return void push('ReduceMax', [`${id}/pieces`], id, id, [attrInts('axes', [2]), attrInt('keepdims', 0)]);
    }
    case 'BatchNorm1d': {
      // Eval mode: y = γ(x − running_mean)/√(running_var + ε) + β. ONNX's momentum weighs the old
      // running value (PyTorch's the new batch), so it is 1 − momentum.
      const s = state[id];
      const ones = new Array<number>(width).fill(1);
      const input = [ins[0], tensor('weight', p.weight ?? ones, [width]), tensor('bias', p.bias ?? ones.map(() => 0), [width]), tensor('running_mean', s.running_mean as number[], [width]), tensor('running_var', s.running_var as number[], [width])];
      return void push('BatchNormalization', input, id, id, [attrFloat('epsilon', attrs.eps as number), attrFloat('momentum', 1 - (attrs.momentum as number))]);
    }
    case 'Dropout':
      // Identity at inference (no training_mode input); the ratio is kept so the node reads back as Dropout.
      inits.push(floatTensor(`${id}/ratio`, [attrs.p as number], []));
      return void push('Dropout', [ins[0], `${id}/ratio`], id);
    case 'PReLU':
      return void push('PRelu', [ins[0], tensor('weight', p.weight, [(p.weight as number[]).length])], id);
    case 'Add':
      return void push(ins.length === 2 ? 'Add' : 'Sum', ins, id);
    case 'Concat':
      return void push('Concat', ins, id, id, [attrInt('axis', 1)]);
    case 'Softmax':
    case 'LogSoftmax':
      return void push(node.type, ins, id, id, [attrInt('axis', 1)]);
  }
  const form = exportForm(node.type, attrs);
  if (!form) throw new ModelJsonError(`${id}: node type ${node.type} has no ONNX form`, `nodes.${id}`);
  emitForm(form, id, ins[0], id, attrs, nodes, inits);
}

const valueInfo = (name: string, width: number): OnnxValueInfo => ({
  name,
  type: { tensor_type: { elem_type: DATA_TYPE.FLOAT, shape: { dim: [{ dim_param: 'batch' }, { dim_value: width }] } } },
});

/**
 * The model as an ONNX file (opset 17, IR 8, float32 weights), for any ONNX runtime. The graph
 * input is named after the Input node and takes raw rows [batch, k] (batch left symbolic); when the
 * model has `meta.scaling` it is applied first, as Sub and Div nodes (see InputScaling). Each output
 * node is a graph output of the same name, [batch, width]. Every node type has a form made of
 * standard operators: Linear → Gemm, Maxout → Gemm·Reshape·ReduceMax, BatchNorm1d → BatchNormalization
 * (eval mode, running statistics), Dropout → Dropout (identity at inference), Add/Concat, Softmax and
 * LogSoftmax over axis 1, activations as in ACTIVATION_FORMS. The ONNX node of each Neurograph node
 * carries its id as name (helpers `id/…`), so importOnnx gives the ids back. Weights come from
 * `params` (or, without them, the initializer as in `predict`).
 */
export function exportOnnx(model: ModelJson, opts: OnnxExportOptions = {}): Uint8Array {
  const analysis = analyzeGraph(model);
  if (analysis.issues.some((i) => i.severity === 'error')) throw new GraphError(analysis.issues);
  const compiled = compile(model, { dtype: 'float64' });
  const params = compiled.paramsJson();
  const state = compiled.stateJson();
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const inputId = analysis.inputId!;
  const k = analysis.widths[inputId];
  const nodes: OnnxNode[] = [];
  const inits: OnnxTensor[] = [];
  const value = new Map<string, string>([[inputId, inputId]]);
  const scaling = readScaling(model, k);
  if (scaling) {
    const { offset, divisor } = scalingAffine(scaling);
    inits.push(floatTensor(`${inputId}/offset`, offset, [k]), floatTensor(`${inputId}/divisor`, divisor, [k]));
    nodes.push({ name: `${inputId}/centre`, op_type: 'Sub', input: [inputId, `${inputId}/offset`], output: [`${inputId}/centre`] });
    nodes.push({ name: `${inputId}/scaled`, op_type: 'Div', input: [`${inputId}/centre`, `${inputId}/divisor`], output: [`${inputId}/scaled`] });
    value.set(inputId, `${inputId}/scaled`);
  }
  for (const id of analysis.order) {
    if (id === inputId) continue;
    const node = byId.get(id)!;
    const srcs = node.in ?? [];
    emitNode(node, analysis.attrs[id], srcs.map((s) => value.get(s)!), srcs.map((s) => analysis.widths[s]), analysis.widths[id], params, state, nodes, inits);
    value.set(id, id);
  }
  const outputs: OnnxValueInfo[] = [];
  for (const id of new Set(model.outputs)) {
    let name = value.get(id)!;
    if (name === inputId || name !== id) {
      // An output that is the Input itself still needs a node of its own.
      nodes.push({ name: `${id}/output`, op_type: 'Identity', input: [name], output: [`${id}/output`] });
      name = `${id}/output`;
    }
    outputs.push(valueInfo(name, analysis.widths[id]));
  }
  const { scaling: _s, ...meta } = model.meta ?? {};
  const props: { key: string; value: string }[] = [{ key: 'neurograph.model_json_version', value: '1' }];
  if (scaling) props.push({ key: 'neurograph.scaling', value: scaling.kind });
  if (model.training) props.push({ key: 'neurograph.training', value: JSON.stringify(model.training) });
  if (Object.keys(meta).length) props.push({ key: 'neurograph.meta', value: JSON.stringify(meta) });
  const name = typeof model.meta?.name === 'string' ? model.meta.name : 'neurograph';
  return encodeOnnxModel({
    ir_version: ONNX_IR_VERSION,
    opset_import: [{ domain: '', version: ONNX_OPSET }],
    producer_name: ONNX_PRODUCER,
    producer_version: opts.producerVersion ?? 'model-json-1',
    model_version: 1,
    doc_string: `Neurograph model. Input '${inputId}': raw rows [batch, ${k}] float32${scaling ? ` (${scaling.kind} scaling applied inside)` : ''}. Output${outputs.length > 1 ? 's' : ''}: ${outputs.map((o) => `'${o.name}'`).join(', ')}.`,
    graph: { name, node: nodes, initializer: inits, input: [valueInfo(inputId, k)], output: outputs },
    metadata_props: props,
  });
}
