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

/** The panel's Train button and the engine must agree: no issues in the panel ⇔ the trainer accepts it. */
function agree(settings: typeof base, extra: Record<string, unknown>) {
  const issues = trainingIssues(settings, extra);
  const hypers = (extra.optimizer as Record<string, unknown> | undefined)?.name === settings.optimizer ? (extra.optimizer as object) : {};
  const block = { ...extra, loss: settings.loss, optimizer: { ...hypers, name: settings.optimizer, lr: settings.lr }, epochs: settings.epochs, batch_size: settings.batchSize, seed: settings.seed } as TrainingBlock;
  let engine: string | null = null;
  try {
    new TrainingSession(model, data, block);
  } catch (e) {
    engine = (e as Error).message;
  }
  return { panel: issues.map((i) => i.message), engine };
}

describe('training panel checks agree with the engine', () => {
  const cases: [string, typeof base, Record<string, unknown>][] = [
    ['a valid Adam setup', base, {}],
    ['betas[0] = 1.5', base, { optimizer: { name: 'adam', betas: [1.5, 0.999] } }],
    ['LM on bce', { ...base, optimizer: 'levenberg_marquardt' }, {}],
    ['LM on mse', { ...base, loss: 'mse', optimizer: 'levenberg_marquardt' }, {}],
    ['cg on mini-batches', { ...base, optimizer: 'cg', batchSize: 2 }, {}],
    ['entropy with mse', { ...base, loss: 'mse' }, { regularization: { entropy: 0.1 } }],
    ['entropy with bce', base, { regularization: { entropy: 0.1 } }],
    ['a step schedule with gamma 2', base, { lr_schedule: { name: 'step', step_size: 2, gamma: 2 } }],
    ['negative clipping', base, { clip_grad_norm: -1 }],
    ['zero epochs', { ...base, epochs: 0 }, {}],
  ];
  for (const [name, settings, extra] of cases) {
    it(name, () => {
      const { panel, engine } = agree(settings, extra);
      expect(panel.length === 0, `panel: ${panel.join('; ')} / engine: ${engine}`).toBe(engine === null);
    });
  }

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
