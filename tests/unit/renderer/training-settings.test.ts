import { describe, expect, it } from 'vitest';
import { defaultHypers, optimizerGroups, optimizerInfo, trainingIssues } from '../../../src-renderer/src/panels/training/settings';
import { TrainingSession } from '../../../src-engine/train';
import type { ModelJson, TrainingBlock } from '../../../src-engine/graph/types';

const model: ModelJson = {
  format: 'neurograph-model',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', size: 2 },
    { id: 'fc1', type: 'Linear', in: ['x'], units: 3 },
    { id: 'a', type: 'Tanh', in: ['fc1'] },
    { id: 'fc2', type: 'Linear', in: ['a'], units: 1 },
    { id: 'y', type: 'Sigmoid', in: ['fc2'] },
  ],
  outputs: ['y'],
};
const data = { x: [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]], y: [[0], [1], [1], [0], [1]] };
const base = { loss: 'bce', optimizer: 'adam', lr: 0.01, epochs: 5, batchSize: 'full' as number | 'full', seed: 1 };

describe('training panel settings', () => {
  it('become a training block the trainer accepts exactly when the panel shows no issue', () => {
    expect(trainingIssues(base, {})).toEqual([]);
    expect(() => new TrainingSession(model, data, { loss: 'bce', optimizer: { name: 'adam', lr: 0.01 }, epochs: 5, batch_size: 'full', seed: 1 })).not.toThrow();
  });
  it('drop the hyper-parameters of a previously chosen optimizer (the engine refuses unknown ones)', () => {
    const extra = { optimizer: { name: 'adam', betas: [0.9, 0.999], amsgrad: true } };
    expect(trainingIssues({ ...base, optimizer: 'sgd' }, extra)).toEqual([]);
    expect(trainingIssues(base, { optimizer: { name: 'adam', betas: [1.5, 0.999] } }).map((i) => i.field)).toEqual(['optimizer.betas']);
  });
  it('carry the strategy fields to the check, by field', () => {
    const issues = trainingIssues({ ...base, loss: 'mse', optimizer: 'levenberg_marquardt', batchSize: 4 }, { regularization: { entropy: 0.2 }, validation_split: 2 });
    expect(issues.map((i) => i.field).sort()).toEqual(['batch_size', 'regularization.entropy', 'validation_split']);
  });

  it('groups every optimizer of the catalog once, and defaults build a valid optimizer', () => {
    const names = optimizerGroups().flatMap((g) => g.items.map((i) => i.name));
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(16);
    for (const name of names) {
      const hypers = defaultHypers(optimizerInfo(name)!);
      const settings = { ...base, loss: 'mse', optimizer: name, lr: typeof hypers.lr === 'number' ? hypers.lr : 0.01 };
      expect(trainingIssues(settings, { optimizer: { name, ...hypers } }), name).toEqual([]);
    }
  });
});
