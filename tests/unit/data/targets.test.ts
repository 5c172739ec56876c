import { describe, expect, it } from 'vitest';
import { adaptTargets } from '../../../src-engine/data';
import type { GraphSpec } from '../../../src-engine/graph/types';

const net = (units: number, out: string): GraphSpec => ({
  nodes: [
    { id: 'x', type: 'Input', size: 2 },
    { id: 'fc', type: 'Linear', in: ['x'], units },
    { id: 'y', type: out, in: ['fc'] },
  ],
  outputs: ['y'],
});
const idx = [[0], [1], [1], [0]];

describe('class targets follow the loss and the output layer', () => {
  it('tanh output with mse gets ±1 targets, as the Playground', () => {
    expect(adaptTargets(net(1, 'Tanh'), 'mse', 'classification', idx)).toEqual([[-1], [1], [1], [-1]]);
  });
  it('sigmoid output with mse or bce keeps 0/1', () => {
    expect(adaptTargets(net(1, 'Sigmoid'), 'mse', 'classification', idx)).toEqual(idx);
    expect(adaptTargets(net(1, 'Sigmoid'), 'bce', 'classification', idx)).toEqual(idx);
  });
  it('cross_entropy gets a class index, also from one-hot rows', () => {
    expect(adaptTargets(net(3, 'Identity'), 'cross_entropy', 'classification', [[0, 0, 1], [1, 0, 0]])).toEqual([[2], [0]]);
    expect(adaptTargets(net(2, 'Identity'), 'cross_entropy', 'classification', idx)).toEqual(idx);
  });
  it('kl and several mse outputs get one-hot rows', () => {
    expect(adaptTargets(net(2, 'LogSoftmax'), 'kl', 'classification', idx)).toEqual([[1, 0], [0, 1], [0, 1], [1, 0]]);
    expect(adaptTargets(net(2, 'Softmax'), 'mse', 'classification', [[1]])).toEqual([[0, 1]]);
  });
  it('regression targets pass through unchanged', () => {
    const y = [[0.3], [-2]];
    expect(adaptTargets(net(1, 'Tanh'), 'mse', 'regression', y)).toBe(y);
  });
});
