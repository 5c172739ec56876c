import { describe, expect, it } from 'vitest';
import { TrainingSession } from '../../../../src-engine';
import { xorModel } from '../../../helpers/xor';
import { optimizerGroups } from '../../../../src-renderer/src/panels/training/settings';
import { defaultOptimizer, optimizerInfo, TrainingState } from '../../../../src-renderer/src/state/training.svelte';

const model = xorModel(3);
const data = { x: [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5]], y: [[0], [1], [1], [0], [1]], task: 'classification' as const };

/** The panel's state, loaded as a project would load it. */
function panel(block = { loss: 'bce', optimizer: { name: 'adam', lr: 0.01 }, epochs: 5, batch_size: 'full' as const, seed: 1 }) {
  const t = new TrainingState();
  t.load(block);
  return t;
}

describe('the training panel edits one training block through its methods and checks it with the engine', () => {
  it('a block the panel shows no issue for is one the trainer accepts, and it trains', () => {
    const t = panel();
    expect(t.issues).toEqual([]);
    const session = new TrainingSession(model, data, t.snapshot());
    session.runAll();
    expect(session.history).toHaveLength(5);
  });

  it('a bad hyper-parameter set through the panel is an issue by field, and the trainer refuses it with the same message', () => {
    const t = panel();
    t.setHyper('betas', [1.5, 0.999]);
    expect(t.issues.map((i) => i.field)).toEqual(['optimizer.betas']);
    expect(() => new TrainingSession(model, data, t.snapshot())).toThrow(t.issues[0].message);
  });

  it('choosing another optimizer starts from its own catalog defaults (no leftover hyper-parameters)', () => {
    const t = panel();
    t.setHyper('amsgrad', true);
    t.chooseOptimizer('sgd');
    expect(t.snapshot().optimizer).toEqual(defaultOptimizer(optimizerInfo('sgd')!));
    expect(t.issues).toEqual([]);
  });

  it('full-batch-only methods lock the batch; LM asks for mse; strategy fields are checked by field', () => {
    const t = panel();
    t.setBatchMode('mini');
    t.chooseOptimizer('levenberg_marquardt');
    expect(t.snapshot().batch_size).toBe('full');
    expect(t.issues.map((i) => i.field)).toEqual(['loss']);
    t.setLoss('mse');
    t.setRegularization('entropy', 0.2);
    t.setValidationSplit(2);
    expect(t.issues.map((i) => i.field).sort()).toEqual(['regularization.entropy', 'validation_split']);
  });

  it('typing 10 into the mini-batch field stays mini-batch through the "1"', () => {
    const t = panel();
    t.setBatchMode('mini');
    t.setBatchSize(1);
    expect(t.batchMode).toBe('mini');
    t.setBatchSize(10);
    expect(t.snapshot().batch_size).toBe(10);
    expect(t.batchMode).toBe('mini');
  });

  it('schedules start at the catalog defaults; every optimizer default of the catalog trains', () => {
    const t = panel();
    t.setSchedule('step');
    expect(t.snapshot().lr_schedule).toEqual({ name: 'step', step_size: 10, gamma: 0.1 });
    t.setSchedule('cosine');
    expect(t.snapshot().lr_schedule).toEqual({ name: 'cosine', eta_min: 0 });
    const names = optimizerGroups().flatMap((g) => g.items.map((i) => i.name));
    expect(new Set(names).size).toBe(16);
    for (const name of names) {
      const s = panel({ loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 5, batch_size: 'full', seed: 1 });
      s.chooseOptimizer(name);
      expect(s.issues, name).toEqual([]);
    }
  });
});
