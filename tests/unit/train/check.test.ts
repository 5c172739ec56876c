import { describe, expect, it } from 'vitest';
import { checkTraining } from '../../../src-engine/train';
import type { TrainingBlock } from '../../../src-engine/graph/types';

const fields = (t: TrainingBlock) => checkTraining(t).map((i) => i.field);
const ok: TrainingBlock = { loss: 'bce', optimizer: { name: 'adam', lr: 0.01 }, epochs: 5, batch_size: 'full', seed: 1 };

describe('checkTraining names the field of every problem in a training block', () => {
  it('accepts a valid block, with or without optional parts', () => {
    expect(checkTraining(ok)).toEqual([]);
    expect(checkTraining({ loss: 'mse' })).toEqual([]);
    expect(checkTraining({ ...ok, lr_schedule: { name: 'cosine', T_max: 10 }, clip_grad_norm: 1, regularization: { l2: 0.01, entropy: 0.1 }, validation_split: 0.2, early_stopping: { patience: 3 } })).toEqual([]);
  });
  it('optimizer hyper-parameters, by name', () => {
    expect(fields({ ...ok, optimizer: { name: 'adam', lr: 0.01, betas: [1.5, 0.999] } })).toEqual(['optimizer.betas']);
    expect(fields({ ...ok, optimizer: { name: 'adam', lr: -1 } })).toEqual(['optimizer.lr']);
    expect(fields({ ...ok, optimizer: { name: 'sgdd' } })[0]).toMatch(/^optimizer/);
  });
  it('full-batch-only methods and LM\'s loss', () => {
    expect(fields({ ...ok, optimizer: { name: 'cg' }, batch_size: 8 })).toEqual(['batch_size']);
    expect(fields({ ...ok, optimizer: { name: 'levenberg_marquardt' } })).toEqual(['loss']);
    expect(fields({ ...ok, loss: 'mse', optimizer: { name: 'levenberg_marquardt' } })).toEqual([]);
  });
  it('the rest of the block', () => {
    expect(fields({ ...ok, loss: 'hinge' })).toEqual(['loss']);
    expect(fields({ ...ok, epochs: 0 })).toEqual(['epochs']);
    expect(fields({ ...ok, batch_size: 2.5 })).toEqual(['batch_size']);
    expect(fields({ ...ok, seed: 1.5 })).toEqual(['seed']);
    expect(fields({ ...ok, lr_schedule: { name: 'step', gamma: 2 } })).toEqual(['lr_schedule']);
    expect(fields({ ...ok, clip_grad_value: 0 })).toEqual(['clip_grad_value']);
    expect(fields({ ...ok, regularization: { l1: -1 } })).toEqual(['regularization.l1']);
    expect(fields({ ...ok, loss: 'mse', regularization: { entropy: 0.1 } })).toEqual(['regularization.entropy']);
    expect(fields({ ...ok, validation_split: 0.95 })).toEqual(['validation_split']);
    expect(fields({ ...ok, validation_split: 0.6, test_split: 0.5 })).toEqual(['test_split']);
    expect(fields({ ...ok, early_stopping: { patience: 0 } })).toEqual(['early_stopping.patience']);
  });
});
