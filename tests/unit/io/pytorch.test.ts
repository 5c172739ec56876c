import { describe, expect, it } from 'vitest';
import { exportPytorch, LOSSES, OPTIMIZER_CATALOG, type ModelJson, type TrainingBlock } from '../../../src-engine';

const model = (training?: TrainingBlock): ModelJson => ({
  format: 'neurograph-model',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', size: 2 },
    { id: 'fc', type: 'Linear', in: ['x'], units: 3 },
    { id: 'y', type: 'LogSoftmax', in: ['fc'] },
  ],
  outputs: ['y'],
  ...(training ? { training } : {}),
});

describe('exportPytorch maps the training block onto PyTorch', () => {
  it('every optimizer becomes its torch.optim class with all its hyper-parameters, or a refusal naming it (exactly the four PyTorch lacks)', () => {
    const refused: string[] = [];
    for (const opt of OPTIMIZER_CATALOG) {
      const py = exportPytorch(model({ loss: 'mse', optimizer: { name: opt.name } }));
      const call = /return torch\.optim\.(\w+)\(params, (.*)\)/.exec(py);
      if (!call) {
        expect(py).toContain(`OPTIMIZER_PROBLEM = "the model's optimizer '${opt.name}' has no counterpart in torch.optim`);
        refused.push(opt.name);
        continue;
      }
      expect(py).toContain('OPTIMIZER_PROBLEM = None');
      // PyTorch's own names, every one given (the engine's defaults, so nothing falls back to torch's).
      for (const h of opt.hyper) expect(call[2], `${opt.name}.${h.name}`).toMatch(new RegExp(`\\b${h.name}=`));
    }
    expect(refused.sort()).toEqual(['bfgs', 'cg', 'levenberg_marquardt', 'quickprop']);
    expect(exportPytorch(model({ loss: 'nll', optimizer: { name: 'nesterov', lr: 0.3 } }))).toContain('torch.optim.SGD(params, lr=0.3, momentum=0.9, dampening=0, weight_decay=0, nesterov=True)');
    expect(exportPytorch(model({ loss: 'nll', optimizer: { name: 'adam', betas: [0.8, 0.9] } }))).toContain('betas=(0.8, 0.9)');
  });

  it('every loss has its PyTorch function with the same reduction; class losses read the index column', () => {
    for (const name of Object.keys(LOSSES)) {
      const py = exportPytorch(model({ loss: name }));
      expect(py, name).toMatch(/def data_loss\(pred, target\):\n {4}""".*"""\n {4}return F\.\w+\(pred, target/);
    }
    expect(exportPytorch(model({ loss: 'cross_entropy' }))).toContain('F.cross_entropy(pred, target[:, 0].long())');
    expect(exportPytorch(model({ loss: 'kl' }))).toContain('reduction="batchmean"');
    expect(exportPytorch(model({ loss: 'nll' }))).toContain('TARGET_WIDTH = 1');
    expect(exportPytorch(model({ loss: 'kl' }))).toContain('TARGET_WIDTH = 3');
  });

  it('carries the block with every default filled in, the weights L1/L2 act on, and the graph to write back', () => {
    const py = exportPytorch(model({ loss: 'nll', lr_schedule: { name: 'step' }, regularization: { l2: 0.1 } }));
    const training = JSON.parse(JSON.parse(/TRAINING = json\.loads\((".*")\)/.exec(py)![1]));
    expect(training).toMatchObject({ epochs: 100, batch_size: 'full', shuffle: true, seed: 1, lr_schedule: { name: 'step', step_size: 10, gamma: 0.1 }, regularization: { l1: 0, l2: 0.1, entropy: 0 } });
    expect(training.optimizer).toMatchObject({ name: 'adam', lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, amsgrad: false });
    expect(JSON.parse(JSON.parse(/DECAY_KEYS = json\.loads\((".*")\)/.exec(py)![1]))).toEqual(['layers.n1_fc.weight']);
    const graph = JSON.parse(JSON.parse(/GRAPH = json\.loads\((".*")\)/.exec(py)![1]));
    expect(graph.nodes.map((n: { id: string }) => n.id)).toEqual(['x', 'fc', 'y']);
    expect(graph.params).toBeUndefined();
    // A model without a training block trains with the engine's defaults (mse, adam).
    expect(exportPytorch(model())).toContain('F.mse_loss(pred, target)');
  });
});
