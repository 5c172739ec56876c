import { describe, expect, it } from 'vitest';
import { checkTraining, parseTraining, TRAINING_DEFAULTS, TrainingError, withTrainingDefaults, type TrainingBlock } from '../../../src-engine/train';

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
    expect(fields({ ...ok, lr_schedule: { name: 'step', gamma: 2 } })).toEqual(['lr_schedule.gamma']);
    expect(fields({ ...ok, lr_schedule: { name: 'warmup' } as unknown as TrainingBlock['lr_schedule'] })).toEqual(['lr_schedule.name']);
    expect(fields({ ...ok, clip_grad_value: 0 })).toEqual(['clip_grad_value']);
    expect(fields({ ...ok, regularization: { l1: -1 } })).toEqual(['regularization.l1']);
    expect(fields({ ...ok, loss: 'mse', regularization: { entropy: 0.1 } })).toEqual(['regularization.entropy']);
    expect(fields({ ...ok, validation_split: 0.95 })).toEqual(['validation_split']);
    expect(fields({ ...ok, validation_split: 0.6, test_split: 0.5 })).toEqual(['test_split']);
    expect(fields({ ...ok, early_stopping: { patience: 0 } })).toEqual(['early_stopping.patience']);
  });
  it('messages name the field and the value refused', () => {
    expect(checkTraining({ ...ok, epochs: 0 })[0].message).toBe('epochs must be a whole number from 1 to 1000000, got 0');
    expect(checkTraining({ ...ok, optimizer: { name: 'adam', betas: [1.5, 0.999] } })[0].message).toBe('adam: betas[0] must be in [0, 1), got 1.5');
    expect(checkTraining({ ...ok, tempo: 3 } as unknown as TrainingBlock)).toEqual([{ field: 'tempo', message: 'unknown field tempo in the training block' }]);
  });
});

describe('withTrainingDefaults fills every default from one table', () => {
  it('a block with only a loss runs with TRAINING_DEFAULTS', () => {
    const t = withTrainingDefaults({ loss: 'bce' });
    expect(t).toMatchObject({ loss: 'bce', optimizer: { name: TRAINING_DEFAULTS.optimizer.name }, epochs: TRAINING_DEFAULTS.epochs, batch_size: 'full', shuffle: true, seed: 1 });
    expect(t).toMatchObject({ clip_grad_norm: null, lr_schedule: null, regularization: { l1: 0, l2: 0, entropy: 0 }, validation_split: 0, early_stopping: null, init: 'default', dtype: 'float32' });
  });
  it('keeps what the block gives, and fills min_delta inside early stopping', () => {
    const t = withTrainingDefaults({ ...ok, early_stopping: { patience: 3 }, shuffle: false, lr_schedule: { name: 'constant' } });
    expect(t).toMatchObject({ optimizer: { name: 'adam', lr: 0.01 }, epochs: 5, seed: 1, shuffle: false, early_stopping: { patience: 3, min_delta: 0 }, lr_schedule: null });
  });
  it('parseTraining refuses the first issue as a TrainingError at training.<field>', () => {
    expect(() => parseTraining({ ...ok, epochs: 0 })).toThrow(TrainingError);
    try {
      parseTraining({ ...ok, optimizer: { name: 'sgd', lr: -1 } });
    } catch (e) {
      expect(e).toMatchObject({ code: 'invalid_training', path: 'training.optimizer.lr' });
    }
    expect.assertions(2);
  });
});
