import { describe, expect, it } from 'vitest';
import type { GraphSpec } from '../../../src-engine/graph';
import { lossDef } from '../../../src-engine/losses';
import { fromRows } from '../../../src-engine/tensor';
import { accuracy, classEncoding, encodeClasses, outputOf } from '../../../src-engine/train/targets';

const net = (units: number, out: string): GraphSpec => ({
  nodes: [
    { id: 'x', type: 'Input', size: 2 },
    { id: 'fc', type: 'Linear', in: ['x'], units },
    { id: 'y', type: out, in: ['fc'] },
  ],
  outputs: ['y'],
});
const idx = [[0], [1], [1], [0]];
/** Class data encoded as TrainingSession encodes it for this loss and graph. */
const encode = (graph: GraphSpec, loss: string, y: number[][]) => {
  const out = outputOf(graph);
  return encodeClasses(y, classEncoding(lossDef(loss)!, out.width!, out.type), out.width!);
};

describe('each loss says what targets it takes; class data is encoded for it and the output layer', () => {
  it('every loss declares its targets and how its outputs read as probabilities', () => {
    expect(lossDef('cross_entropy')).toMatchObject({ targets: 'index', probabilities: 'softmax' });
    expect(lossDef('nll')).toMatchObject({ targets: 'index', probabilities: 'exp' });
    expect(lossDef('kl')).toMatchObject({ targets: 'onehot', probabilities: 'exp' });
    expect(lossDef('bce')).toMatchObject({ targets: 'binary', probabilities: 'identity' });
    expect(lossDef('bce_logits')).toMatchObject({ targets: 'binary', probabilities: 'sigmoid' });
    for (const l of ['mse', 'mae', 'huber']) expect(lossDef(l)).toMatchObject({ targets: 'real', probabilities: null });
  });
  it('tanh output with mse gets ±1 targets, as the Playground', () => {
    expect(encode(net(1, 'Tanh'), 'mse', idx)).toEqual([[-1], [1], [1], [-1]]);
  });
  it('sigmoid output with mse or bce keeps 0/1', () => {
    expect(encode(net(1, 'Sigmoid'), 'mse', idx)).toEqual(idx);
    expect(encode(net(1, 'Sigmoid'), 'bce', idx)).toEqual(idx);
    expect(encode(net(1, 'Identity'), 'bce_logits', idx)).toEqual(idx);
  });
  it('cross_entropy and nll get a class index, also from one-hot rows', () => {
    expect(encode(net(3, 'Identity'), 'cross_entropy', [[0, 0, 1], [1, 0, 0]])).toEqual([[2], [0]]);
    expect(encode(net(2, 'LogSoftmax'), 'nll', idx)).toEqual(idx);
  });
  it('kl and several mse outputs get one-hot rows (±1 one-hot for a tanh output)', () => {
    expect(encode(net(2, 'LogSoftmax'), 'kl', idx)).toEqual([[1, 0], [0, 1], [0, 1], [1, 0]]);
    expect(encode(net(2, 'Softmax'), 'mse', [[1]])).toEqual([[0, 1]]);
    expect(encode(net(2, 'Tanh'), 'mse', [[1]])).toEqual([[-1, 1]]);
  });
});

describe('accuracy reads outputs as the loss does', () => {
  const acc = (loss: string, graph: GraphSpec, pred: number[][], y: number[][]) => {
    const out = outputOf(graph);
    const enc = classEncoding(lossDef(loss)!, out.width!, out.type);
    return accuracy(lossDef(loss)!, enc, fromRows('float64', pred), fromRows('float64', encodeClasses(y, enc, out.width!)));
  };
  it('thresholds logits at 0, probabilities at 0.5, ±1 outputs at 0', () => {
    // hand-counted: logits −0.2 → 0 (right), 0.1 → 1 (right), −3 → 0 (wrong), 2 → 1 (wrong)
    expect(acc('bce_logits', net(1, 'Identity'), [[-0.2], [0.1], [-3], [2]], idx)).toBe(0.5);
    // probabilities 0.4 → 0, 0.6 → 1, 0.9 → 1, 0.45 → 0: all right
    expect(acc('bce', net(1, 'Sigmoid'), [[0.4], [0.6], [0.9], [0.45]], idx)).toBe(1);
    // tanh outputs against ±1: −0.1 → −1 right, 0.2 → +1 right, −0.5 → −1 wrong, 0.3 → +1 wrong
    expect(acc('mse', net(1, 'Tanh'), [[-0.1], [0.2], [-0.5], [0.3]], idx)).toBe(0.5);
  });
  it('takes the arg-max of several outputs against the class', () => {
    expect(acc('cross_entropy', net(3, 'Identity'), [[3, 1, 0], [0, 2, 1], [0, 0, 1]], [[0], [1], [1]])).toBeCloseTo(2 / 3, 15);
  });
});
