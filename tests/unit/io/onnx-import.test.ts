import { describe, expect, it } from 'vitest';
import { applyScaling, compile, exportOnnx, importOnnx, ModelJsonError, predictRows, type ModelJson } from '../../../src-engine';
import { encodeOnnxModel, DATA_TYPE, type OnnxNode, type OnnxTensor } from '../../../src-engine/io/onnx-schema';
import { attrFloat, attrInt, floatTensor } from '../../../src-engine/io/onnx-tensors';
import { mismatch } from '../../helpers/reference';
import { ATTRIBUTE_CASES, mergeModel, nodeTypeModels, ROWS } from './node-models';

const predict = (m: ModelJson, rows = ROWS) => predictRows(compile(m, { dtype: 'float64' }), applyScaling((m.meta?.scaling as never) ?? null, rows));

/** A hand-written ONNX file: one float input [batch, k], the given nodes and initializers. */
function onnxFile(nodes: OnnxNode[], inits: OnnxTensor[], k: number, opts: { outputs?: string[]; opset?: number; inputs?: { name: string; dims: (number | string)[] }[] } = {}): Uint8Array {
  const info = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensor_type: { elem_type: DATA_TYPE.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) } } },
  });
  return encodeOnnxModel({
    ir_version: 7,
    opset_import: [{ domain: '', version: opts.opset ?? 13 }],
    producer_name: 'hand',
    graph: {
      name: 'g',
      node: nodes,
      initializer: inits,
      input: (opts.inputs ?? [{ name: 'in', dims: ['N', k] }]).map((i) => info(i.name, i.dims)),
      output: (opts.outputs ?? [nodes[nodes.length - 1].output![0]]).map((o) => info(o, ['N', 1])),
    },
  });
}

const node = (op_type: string, input: string[], output: string, attribute: OnnxNode['attribute'] = [], name = output): OnnxNode => ({ op_type, input, output: [output], attribute, name });

function refusal(bytes: Uint8Array): ModelJsonError {
  try {
    importOnnx(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelJsonError);
    expect((e as ModelJsonError).code).toBe('invalid_model');
    return e as ModelJsonError;
  }
  throw new Error('expected the import to be refused');
}

describe('importOnnx: export → import gives the same model back', () => {
  it('every node type: same ids, types, attributes and predictions (float32 weights: within 1e-6)', () => {
    for (const { name, model } of nodeTypeModels()) {
      const back = importOnnx(exportOnnx(model));
      const orig = model.nodes.find((n) => n.id === 'n')!;
      const got = back.nodes.find((n) => n.id === 'n')!;
      expect(back.nodes.map((n) => n.id), name).toEqual(model.nodes.map((n) => n.id));
      if (orig.type === 'RReLU') {
        // In eval mode RReLU is a leaky ReLU with the mean slope, and comes back as one.
        expect(got).toMatchObject({ type: 'LeakyReLU', negative_slope: 0.2 });
      } else {
        // ONNX's BatchNormalization always has a scale and a bias: affine: false comes back as γ = 1, β = 0.
        const { id: _i, in: _n, affine, ...attrs } = orig;
        expect(got, name).toMatchObject(attrs);
        if (affine === false) expect([got.affine, back.params!.n.weight]).toEqual([undefined, [1, 1, 1]]);
      }
      expect(mismatch(predict(back), predict(model), 1e-6, 1e-6), name).toBeNull();
    }
    expect(ATTRIBUTE_CASES.GELU).toHaveLength(2);
  });

  it('a DAG with residual, three-way and Concat merges and two outputs', () => {
    const model = mergeModel();
    const back = importOnnx(exportOnnx(model));
    const shape = (m: ModelJson) => m.nodes.map((n) => [n.id, n.type, n.in]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(shape(back)).toEqual(shape(model));
    expect(back.outputs).toEqual(['y', 'a2']);
    expect(mismatch(predict(back), predict(model), 1e-6, 1e-6)).toBeNull();
    expect(mismatch(back.state!.bn.running_var, model.state!.bn.running_var, 1e-6, 1e-6)).toBeNull();
  });

  it('input scaling, the training block and meta come back (standardize and minmax)', () => {
    const training = { loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 3 };
    for (const scaling of [
      { kind: 'standardize', mean: [1, -2, 0.5], scale: [2, 0.25, 3] },
      { kind: 'minmax', min: [0, -1, 2], max: [4, 1, 2.5] },
    ]) {
      const model: ModelJson = { ...mergeModel(), training, meta: { scaling, name: 'demo', features: ['a', 'b', 'c'] } };
      const back = importOnnx(exportOnnx(model));
      expect(back.meta?.scaling).toEqual(scaling);
      expect(back.meta).toMatchObject({ name: 'demo', features: ['a', 'b', 'c'], imported_from: { format: 'onnx', opset: 17 } });
      expect(back.training).toEqual(training);
      expect(mismatch(predict(back), predict(model), 1e-6, 1e-6)).toBeNull();
    }
  });
});

describe('importOnnx reads ONNX written by other tools', () => {
  it('Gemm with transB = 0, alpha and beta; MatMul with its bias Add (either operand order); Softmax of opset 11', () => {
    // in [N,2] → Gemm(B [2][3] not transposed, alpha 2, beta 0.5, C [1,3]) → Relu → MatMul(W [3][2]) → Add(b, ·) → Softmax
    const B = [1, -2, 0.5, 0.25, 1, -1];
    const C = [0.1, 0.2, -0.3];
    const W = [0.5, -1, 2, 0.25, -0.5, 1];
    const b = [0.05, -0.05];
    const bytes = onnxFile(
      [
        node('Gemm', ['in', 'B', 'C'], 'g', [attrFloat('alpha', 2), attrFloat('beta', 0.5)]),
        node('Relu', ['g'], 'r'),
        node('MatMul', ['r', 'W'], 'mm'),
        node('Add', ['b', 'mm'], 'lin'),
        node('Softmax', ['lin'], 'p'),
      ],
      [floatTensor('B', B, [2, 3]), floatTensor('C', C, [1, 3]), floatTensor('W', W, [3, 2]), floatTensor('b', b, [2])],
      2,
      { opset: 11 },
    );
    const m = importOnnx(bytes);
    expect(m.nodes.map((n) => n.type)).toEqual(['Input', 'Linear', 'ReLU', 'Linear', 'Softmax']);
    // By hand: h = relu(2·x·B + 0.5·C), z = h·W + b, softmax over z.
    const rows = [
      [1, 2],
      [-1, 0.5],
      [0.3, -0.7],
    ];
    const expected = rows.map(([x0, x1]) => {
      const h = [0, 1, 2].map((j) => Math.max(0, 2 * (x0 * B[j] + x1 * B[3 + j]) + 0.5 * C[j]));
      const z = [0, 1].map((o) => h[0] * W[o] + h[1] * W[2 + o] + h[2] * W[4 + o] + b[o]);
      const e = z.map((v) => Math.exp(v - Math.max(...z)));
      return e.map((v) => v / (e[0] + e[1]));
    });
    expect(mismatch(predict(m, rows), expected, 1e-6, 1e-6)).toBeNull();
  });

  it('Clip with min/max attributes (opset 6), Constant nodes, Sum of three, double weights and Mul/Add input scaling', () => {
    const dbl: OnnxTensor = { name: 'W', dims: [1, 2], data_type: DATA_TYPE.DOUBLE, double_data: [0.1234567890123, -2] };
    const bytes = onnxFile(
      [
        { op_type: 'Constant', input: [], output: ['a'], attribute: [{ name: 'value', type: 4, t: floatTensor('', [2, 4], [2]) }], name: 'ca' },
        { op_type: 'Constant', input: [], output: ['c'], attribute: [{ name: 'value_floats', type: 6, floats: [1, -1] }], name: 'cc' },
        node('Mul', ['in', 'a'], 's1'),
        node('Add', ['s1', 'c'], 's2'),
        node('Clip', ['s2'], 'h', [attrFloat('min', -0.5), attrFloat('max', 0.5)]),
        node('Tanh', ['s2'], 't'),
        node('Sum', ['h', 't', 's2'], 'sum'),
        node('Gemm', ['sum', 'W'], 'out', [attrInt('transB', 1)]),
      ],
      [dbl],
      2,
      { opset: 6 },
    );
    const m = importOnnx(bytes);
    expect(m.nodes.map((n) => n.type)).toEqual(['Input', 'Hardtanh', 'Tanh', 'Add', 'Linear']);
    expect(m.nodes[1]).toMatchObject({ min_val: -0.5, max_val: 0.5 });
    // x·a + c = (x − mean)/scale with scale = 1/a, mean = −c/a
    expect(m.meta?.scaling).toEqual({ kind: 'standardize', mean: [-0.5, 0.25], scale: [0.5, 0.25] });
    expect(m.params!.out.weight).toEqual([[0.1234567890123, -2]]);
    const rows = [
      [0.3, -0.1],
      [-2, 1],
    ];
    const expected = rows.map((x) => {
      const s = [x[0] * 2 + 1, x[1] * 4 - 1];
      const sum = s.map((v) => Math.min(0.5, Math.max(-0.5, v)) + Math.tanh(v) + v);
      return [0.1234567890123 * sum[0] - 2 * sum[1]];
    });
    expect(mismatch(predict(m, rows), expected, 1e-7, 1e-7)).toBeNull();
  });
});

describe('importOnnx refuses what Neurograph cannot represent, naming the operator and the node', () => {
  const w = floatTensor('W', [1, 2, 3, 4, 5, 6], [3, 2]);

  it('an unsupported operator', () => {
    const e = refusal(onnxFile([node('MatMul', ['in', 'W'], 'h'), node('Conv', ['h'], 'y', [], 'my_conv')], [w], 3));
    expect(e.message).toContain("operator 'Conv' is not supported");
    expect(e.message).toContain("ONNX node 1 'my_conv'");
    expect(e.path).toBe('graph.node[1]');
  });

  it('an operator of another domain, and a supported operator used in an unsupported way', () => {
    expect(refusal(onnxFile([{ ...node('Gelu', ['in'], 'y'), domain: 'com.microsoft' }], [], 2)).message).toContain("operator 'Gelu' of domain 'com.microsoft'");
    const addConst = refusal(onnxFile([node('Relu', ['in'], 'r'), node('Add', ['r', 'k'], 'y')], [floatTensor('k', [1, 2], [2])], 2));
    expect(addConst.message).toContain("operator 'Add' is supported only in the forms");
    expect(addConst.path).toBe('graph.node[1]');
    expect(refusal(onnxFile([node('Gemm', ['in', 'W'], 'y', [attrInt('transA', 1)])], [w], 2)).message).toContain('transA = 1');
    expect(refusal(onnxFile([node('Softmax', ['in'], 'y', [attrInt('axis', 0)])], [], 2)).message).toContain('axis 0');
    expect(refusal(onnxFile([node('MatMul', ['in', 'W'], 'y')], [w], 4)).message).toContain("the weight takes 3 inputs but 'in' has width 4");
  });

  it('files that are not ONNX, or whose inputs are not rows of features', () => {
    expect(refusal(new TextEncoder().encode('{"format": "neurograph-model"}')).message).toMatch(/^not an ONNX model/);
    const twoInputs = onnxFile([node('Add', ['in', 'in2'], 'y')], [], 2, { inputs: [{ name: 'in', dims: ['N', 2] }, { name: 'in2', dims: ['N', 2] }] });
    expect(refusal(twoInputs).message).toContain('2 inputs (in, in2)');
    const image = onnxFile([node('Relu', ['in'], 'y')], [], 2, { inputs: [{ name: 'in', dims: ['N', 3, 32, 32] }] });
    expect(refusal(image).message).toContain("input 'in' has shape [N, 3, 32, 32]");
    const external: OnnxTensor = { name: 'W', dims: [3, 2], data_type: DATA_TYPE.FLOAT, data_location: 1, external_data: [{ key: 'location', value: 'w.bin' }] };
    expect(refusal(onnxFile([node('MatMul', ['in', 'W'], 'y')], [external], 3)).message).toContain('external file');
  });
});
