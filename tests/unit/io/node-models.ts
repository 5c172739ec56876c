/**
 * Small models that between them hold every node type the engine has, with weights, BatchNorm
 * running statistics and attributes away from their defaults; shared by the ONNX unit and
 * integration tests (the export must cover each one, the import must give each one back).
 */
import { compile, LAYERS, Rng, type ModelJson, type NodeSpec } from '../../../src-engine';

/** Non-default attributes per type; a type may appear with several settings. */
export const ATTRIBUTE_CASES: Record<string, Record<string, unknown>[]> = {
  LeakyReLU: [{ negative_slope: 0.2 }],
  ELU: [{ alpha: 0.7 }],
  CELU: [{ alpha: 1.3 }],
  GELU: [{}, { approximate: 'tanh' }],
  Softplus: [{}, { beta: 2, threshold: 1 }],
  Hardtanh: [{ min_val: -0.5, max_val: 0.8 }],
  Softshrink: [{ lambd: 0.3 }],
  Hardshrink: [{ lambd: 0.4 }],
  BipolarSigmoid: [{ a: 1.7 }],
  PReLU: [{ num_parameters: 3 }, {}],
  RReLU: [{ lower: 0.1, upper: 0.3 }],
  Dropout: [{ p: 0.4 }],
  BatchNorm1d: [{ eps: 1e-3, momentum: 0.2 }, { affine: false }],
  Linear: [{ units: 3, bias: false }],
  Maxout: [{ units: 3, pieces: 2 }],
};

/** The node types that apply to one input and keep its width (activations, Dropout, BatchNorm1d, Softmax…). */
export const ONE_INPUT_TYPES = Object.values(LAYERS)
  .filter((d) => d.arity === 'one' && d.type !== 'Linear' && d.type !== 'Maxout')
  .map((d) => d.type);

const base = (nodes: NodeSpec[], outputs: string[]): ModelJson => ({ format: 'neurograph-model', version: 1, nodes, outputs });

/** Weights from a seeded initializer (float64), BatchNorm running statistics drawn away from 0 and 1. */
export function withWeights(model: ModelJson, seed = 7): ModelJson {
  const compiled = compile(model, { dtype: 'float64', seed, init: 'xavier_uniform' });
  const rng = new Rng(seed + 1);
  const params = compiled.paramsJson();
  for (const n of model.nodes) {
    // Biases and BatchNorm's affine parameters start at 0/1; give them values that matter.
    const p = params[n.id];
    if (p?.bias) p.bias = (p.bias as number[]).map(() => rng.uniform(-0.5, 0.5));
    if (n.type === 'BatchNorm1d' && p?.weight) p.weight = (p.weight as number[]).map(() => rng.uniform(0.5, 1.5));
    if (n.type === 'PReLU') p.weight = (p.weight as number[]).map(() => rng.uniform(0.05, 0.4));
  }
  const state = compiled.stateJson();
  for (const s of Object.values(state)) {
    s.running_mean = (s.running_mean as number[]).map(() => rng.uniform(-0.5, 0.5));
    s.running_var = (s.running_var as number[]).map(() => rng.uniform(0.5, 2));
    s.num_batches_tracked = 5;
  }
  return { ...model, params, state };
}

/**
 * One model per node type and attribute setting: the type applied straight to the Input (so kink
 * values in the rows reach it exactly), between Linear layers where it has a width of its own.
 */
export function nodeTypeModels(): { name: string; model: ModelJson }[] {
  const out: { name: string; model: ModelJson }[] = [];
  for (const type of ONE_INPUT_TYPES) {
    for (const attrs of ATTRIBUTE_CASES[type] ?? [{}]) {
      const nodes: NodeSpec[] = [
        { id: 'x', type: 'Input', size: 3 },
        { id: 'n', type, in: ['x'], ...attrs },
        { id: 'fc', type: 'Linear', in: ['n'], units: 2 },
      ];
      out.push({ name: `${type} ${JSON.stringify(attrs)}`, model: withWeights(base(nodes, ['fc'])) });
    }
  }
  for (const type of ['Linear', 'Maxout']) {
    for (const attrs of ATTRIBUTE_CASES[type]) {
      const nodes: NodeSpec[] = [
        { id: 'x', type: 'Input', size: 3 },
        { id: 'n', type, in: ['x'], ...attrs },
        { id: 'a', type: 'Tanh', in: ['n'] },
        { id: 'fc', type: 'Linear', in: ['a'], units: 2 },
      ];
      out.push({ name: `${type} ${JSON.stringify(attrs)}`, model: withWeights(base(nodes, ['fc'])) });
    }
  }
  return out;
}

/** A DAG with merges: a residual Add, a three-way Add, a Concat of branches, BatchNorm and Dropout inside, two outputs. */
export function mergeModel(): ModelJson {
  return withWeights(
    base(
      [
        { id: 'x', type: 'Input', size: 3 },
        { id: 'fc1', type: 'Linear', in: ['x'], units: 4 },
        { id: 'bn', type: 'BatchNorm1d', in: ['fc1'] },
        { id: 'a1', type: 'GELU', in: ['bn'] },
        { id: 'fc2', type: 'Linear', in: ['a1'], units: 4 },
        { id: 'res', type: 'Add', in: ['fc2', 'fc1'] },
        { id: 'mo', type: 'Maxout', in: ['x'], units: 4, pieces: 3 },
        { id: 'sum3', type: 'Add', in: ['res', 'mo', 'a1'] },
        { id: 'd', type: 'Dropout', in: ['sum3'], p: 0.25 },
        { id: 'a2', type: 'SiLU', in: ['d'] },
        { id: 'cat', type: 'Concat', in: ['a2', 'x', 'a1'] },
        { id: 'out', type: 'Linear', in: ['cat'], units: 3 },
        { id: 'y', type: 'Softmax', in: ['out'] },
      ],
      ['y', 'a2'],
    ),
  );
}

/** Rows that reach the kinks and thresholds exactly (0, ±0.5, ±1, ±3, ±6) and the tails (±8), plus ordinary values. */
export const ROWS: number[][] = [
  [0, 0.5, -0.5],
  [1, -1, 3],
  [-3, 6, -6],
  [8, -8, 0.4],
  [-0.4, 0.3, -0.3],
  [0.8, -0.8, 2.5],
  [1.7, -2.2, 0.05],
  [-1.3, 4.1, -0.7],
];
