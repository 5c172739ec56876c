import { compile } from '../graph';
import type { ModelJson, ParamsJson } from '../graph';
import { lossDef, LOSSES } from '../losses';
import { fromRows, Rng, toRows, type DType } from '../tensor';
import { TrainingError } from './block';
import { classEncoding, encodeClasses } from './targets';

export interface Explanation {
  output: number[][];
  /** The targets as the loss saw them (class data encoded for the loss and output layer). */
  target: number[][];
  loss: number;
  /** Every node's output (z for Linear, a for activations), except the Input. */
  activations: Record<string, number[][]>;
  /** dL/d(node output) for every node — the δ of the backprop walkthrough. */
  deltas: Record<string, number[][]>;
  /** dL/dparam keyed like model JSON `params`. */
  grads: ParamsJson;
  /** BatchNorm running statistics after the pass (they move in train mode). */
  state: ModelJson['state'];
}

/**
 * One forward and backward pass over rows x with targets y — the backprop walkthrough.
 * mode 'train' uses batch statistics in BatchNorm (and updates running statistics) but draws no
 * dropout/RReLU noise; 'eval' uses running statistics. The loss is the mean over rows. With
 * `task: 'classification'`, y holds class indices (or one-hot rows) and is encoded for the loss and
 * output layer exactly as TrainingSession encodes it; otherwise y is taken as the loss's own targets.
 */
export function explain(source: ModelJson, x: number[][], y: number[][], lossName: string, mode: 'train' | 'eval' = 'train', dtype: DType = 'float32', task?: 'classification' | 'regression'): Explanation {
  const loss = lossDef(lossName);
  if (!loss) throw new TrainingError(`unknown loss '${lossName}' (known: ${Object.keys(LOSSES).join(', ')})`, 'loss');
  const model = compile(source, { dtype });
  if (task === 'classification') {
    const out = model.nodes[model.outputIndex];
    y = encodeClasses(y, classEncoding(loss, out.width, out.type), out.width);
  }
  if (x.length === 0) throw new TrainingError('no input rows', 'input');
  if (x.length !== y.length) throw new TrainingError(`input has ${x.length} rows but target has ${y.length}`, 'target');
  if (x[0].length !== model.inputWidth) throw new TrainingError(`input has ${x[0].length} columns but the Input node has size ${model.inputWidth}`, 'input');
  const tw = loss.targetWidth(model.outputWidth);
  if (y[0].length < tw) throw new TrainingError(`loss ${lossName} needs ${tw} target column(s), got ${y[0].length}`, 'target');
  const X = fromRows(dtype, x);
  const Y = fromRows('float64', tw === y[0].length ? y : y.map((r) => r.slice(0, tw)));
  const runMode = { train: mode === 'train', stochastic: false, rng: new Rng(0) };
  model.zeroGrad();
  const pred = model.forward(X, runMode);
  const dpred = new Float64Array(pred.rows * pred.cols);
  const value = loss.compute(pred, Y, dpred);
  model.backward(dpred, runMode);
  const activations: Record<string, number[][]> = {};
  const deltas: Record<string, number[][]> = {};
  for (const n of model.nodes) {
    if (n.inputs.length === 0) continue;
    activations[n.id] = toRows(n.out);
    deltas[n.id] = toRows(n.dOut);
  }
  return { output: toRows(pred), target: toRows(Y), loss: value, activations, deltas, grads: model.gradsJson(), state: model.stateJson() };
}
