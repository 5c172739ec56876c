import { describe, expect, it } from 'vitest';
import { DatasetError, featureColumns, truthTable } from '../../../src-engine/data';

describe('featureColumns', () => {
  it('maps a point to x1, x2, x1², x2², x1·x2, sin x1, sin x2 in the order asked', () => {
    const rows = featureColumns([{ x: 2, y: -3, label: 1 }], ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
    expect(rows).toEqual([[2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3)]]);
    expect(featureColumns([{ x: 2, y: -3, label: 1 }], ['x2sq', 'x1'])).toEqual([[9, 2]]);
  });

  it('refuses an unknown, repeated or empty feature list, naming the position', () => {
    expect(() => featureColumns([], ['x1', 'x3'])).toThrow(expect.objectContaining({ field: 'features[1]' }));
    expect(() => featureColumns([], ['x1', 'x1'])).toThrow(/twice/);
    expect(() => featureColumns([], [])).toThrow(DatasetError);
  });
});

describe('truth tables', () => {
  it('XOR, AND, OR have the four input rows and the textbook outputs', () => {
    expect(truthTable('xor')).toEqual({ x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] });
    expect(truthTable('and').y).toEqual([[0], [0], [0], [1]]);
    expect(truthTable('or').y).toEqual([[0], [1], [1], [1]]);
  });
});
