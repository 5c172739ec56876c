import { describe, expect, it } from 'vitest';
import { exportOnnx, GraphError, LAYERS, ModelJsonError, ONNX_OPSET, type ModelJson } from '../../../src-engine';
import { decodeOnnxModel, type OnnxTensor } from '../../../src-engine/io/onnx-schema';
import { readTensor } from '../../../src-engine/io/onnx-tensors';
import { mergeModel, nodeTypeModels, ONE_INPUT_TYPES } from './node-models';

const values = (t: OnnxTensor | undefined) => {
  const r = readTensor(t!);
  if (typeof r === 'string') throw new Error(r);
  return Array.from(r.values);
};

function refused(model: ModelJson): ModelJsonError {
  try {
    exportOnnx(model);
  } catch (e) {
    expect(e).toBeInstanceOf(ModelJsonError);
    return e as ModelJsonError;
  }
  throw new Error('expected the export to be refused');
}

const withScaling = (scaling: unknown): ModelJson => ({ ...mergeModel(), meta: { scaling } });

describe('exportOnnx writes every node type as standard ONNX operators', () => {
  it('covers every node type of the engine (the test models hold each one)', () => {
    const covered = new Set(nodeTypeModels().flatMap((c) => c.model.nodes.map((n) => n.type)));
    for (const t of [...ONE_INPUT_TYPES, 'Linear', 'Maxout', 'Add', 'Concat']) covered.add(t);
    expect([...covered].sort()).toEqual(Object.keys(LAYERS).sort());
    for (const { name, model } of nodeTypeModels()) {
      const m = decodeOnnxModel(exportOnnx(model));
      const ops = m.graph!.node!.map((n) => n.op_type);
      expect(ops.length, name).toBeGreaterThan(1);
      // Only the standard domain: no custom operators, no functions a runtime might lack.
      expect(m.graph!.node!.every((n) => !n.domain), name).toBe(true);
    }
  });

  it('names opset 17 and the producer, leaves the batch dimension symbolic and names input and outputs after their nodes', () => {
    const m = decodeOnnxModel(exportOnnx(mergeModel(), { producerVersion: '9.9.9' }));
    expect(m.opset_import).toEqual([{ domain: '', version: ONNX_OPSET }]);
    expect(ONNX_OPSET).toBe(17);
    expect(m.ir_version).toBe(8);
    expect([m.producer_name, m.producer_version]).toEqual(['neurograph', '9.9.9']);
    const dims = (v: (typeof m.graph & {})['input'] & {}) => v.map((i) => [i.name, i.type!.tensor_type!.shape!.dim!.map((d) => d.dim_param ?? d.dim_value)]);
    expect(dims(m.graph!.input!)).toEqual([['x', ['batch', 3]]]);
    expect(dims(m.graph!.output!)).toEqual([
      ['y', ['batch', 3]],
      ['a2', ['batch', 4]],
    ]);
  });

  it('writes Linear as Gemm with W in [out][in] and transB = 1, Maxout as Gemm·Reshape·ReduceMax, the three-way Add as Sum', () => {
    const model = mergeModel();
    const m = decodeOnnxModel(exportOnnx(model));
    const g = m.graph!;
    const fc1 = g.node!.find((n) => n.name === 'fc1')!;
    expect(fc1.op_type).toBe('Gemm');
    expect(fc1.attribute).toEqual([expect.objectContaining({ name: 'transB', i: 1 })]);
    const w = g.initializer!.find((t) => t.name === fc1.input![1])!;
    expect(w.dims).toEqual([4, 3]);
    const expected = (model.params!.fc1.weight as number[][]).flat();
    values(w).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
    expect(g.node!.filter((n) => n.name?.startsWith('mo')).map((n) => n.op_type)).toEqual(['Gemm', 'Reshape', 'ReduceMax']);
    expect(g.node!.find((n) => n.name === 'sum3')!.op_type).toBe('Sum');
    expect(g.node!.find((n) => n.name === 'cat')!.input).toEqual(['a2', 'x', 'a1']);
  });

  it('writes BatchNorm1d in eval mode with its running statistics, ONNX momentum = 1 − PyTorch momentum', () => {
    const model = nodeTypeModels().find((c) => c.name.startsWith('BatchNorm1d {"eps"'))!.model;
    const g = decodeOnnxModel(exportOnnx(model)).graph!;
    const bn = g.node!.find((n) => n.op_type === 'BatchNormalization')!;
    const attr = Object.fromEntries(bn.attribute!.map((a) => [a.name, a.f]));
    expect(attr.epsilon).toBeCloseTo(1e-3, 9);
    expect(attr.momentum).toBeCloseTo(0.8, 7);
    const byName = (name: string) => values(g.initializer!.find((t) => t.name === name));
    const state = model.state!.n;
    byName(bn.input![3]).forEach((v, i) => expect(v).toBeCloseTo((state.running_mean as number[])[i], 6));
    byName(bn.input![4]).forEach((v, i) => expect(v).toBeCloseTo((state.running_var as number[])[i], 6));
    expect(bn.attribute!.some((a) => a.name === 'training_mode')).toBe(false);
  });

  it("puts the model's standardize scaling in front as Sub(mean) and Div(scale), and minmax as Sub(min) and Div(max − min, 1 for a constant column)", () => {
    const standardize = decodeOnnxModel(exportOnnx(withScaling({ kind: 'standardize', mean: [1, 2, 3], scale: [0.5, 2, 4] }))).graph!;
    expect(standardize.node!.slice(0, 2).map((n) => [n.op_type, n.input![0]])).toEqual([
      ['Sub', 'x'],
      ['Div', 'x/centre'],
    ]);
    const init = (g: typeof standardize, name: string) => values(g.initializer!.find((t) => t.name === name));
    expect(init(standardize, standardize.node![0].input![1])).toEqual([1, 2, 3]);
    expect(init(standardize, standardize.node![1].input![1])).toEqual([0.5, 2, 4]);
    expect(standardize.node!.find((n) => n.name === 'fc1')!.input![0]).toBe('x/scaled');
    const minmax = decodeOnnxModel(exportOnnx(withScaling({ kind: 'minmax', min: [0, -1, 5], max: [2, 1, 5] }))).graph!;
    expect(init(minmax, minmax.node![0].input![1])).toEqual([0, -1, 5]);
    expect(init(minmax, minmax.node![1].input![1])).toEqual([2, 2, 1]);
  });

  it('refuses scaling that does not fit, naming the field', () => {
    expect(refused(withScaling({ kind: 'standardize', mean: [1, 2], scale: [1, 1, 1] })).path).toBe('meta.scaling.mean');
    expect(refused(withScaling({ kind: 'standardize', mean: [1, 2, 3], scale: [1, 0, 1] })).path).toBe('meta.scaling.scale[1]');
    expect(refused(withScaling({ kind: 'minmax', min: [0, 0, 0], max: [1, 'a', 1] })).path).toBe('meta.scaling.max[1]');
    expect(refused(withScaling({ kind: 'robust' })).path).toBe('meta.scaling.kind');
    expect(refused(withScaling([1, 2])).code).toBe('invalid_model');
  });

  it('refuses a graph that does not compile, with every issue', () => {
    const bad = { ...mergeModel(), params: undefined, state: undefined, outputs: ['nowhere'] };
    expect(() => exportOnnx(bad)).toThrow(GraphError);
    try {
      exportOnnx(bad);
    } catch (e) {
      expect((e as GraphError).code).toBe('invalid_model');
      expect((e as Error).message).toContain("output 'nowhere' is not a node of the graph");
    }
  });
});
