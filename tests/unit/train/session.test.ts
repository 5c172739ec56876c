import { describe, expect, it } from 'vitest';
import type { ModelJson, TrainingBlock } from '../../../src-engine/graph/types';
import { learningRate, TrainingError, TrainingSession } from '../../../src-engine/train';
import { Rng } from '../../../src-engine/tensor';
import { XOR } from '../../helpers/xor';

const mlp = (hidden = 6, act = 'Tanh', out = 'Identity'): ModelJson => ({
  format: 'neurograph-model',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', size: 2 },
    { id: 'fc1', type: 'Linear', in: ['x'], units: hidden },
    { id: 'a1', type: act, in: ['fc1'] },
    { id: 'fc2', type: 'Linear', in: ['a1'], units: 1 },
    { id: 'y', type: out, in: ['fc2'] },
  ],
  outputs: ['y'],
});
function regression(n: number, seed = 2) {
  const r = new Rng(seed);
  const x = Array.from({ length: n }, () => [r.uniform(-2, 2), r.uniform(-2, 2)]);
  return { x, y: x.map(([a, b]) => [Math.sin(a) + 0.5 * b]) };
}
const run = (model: ModelJson, data: { x: number[][]; y: number[][] }, t: TrainingBlock) => {
  const s = new TrainingSession(model, data, t);
  s.runAll();
  return s;
};

describe('TrainingSession', () => {
  it('full batch: one epoch is exactly one optimizer step (SGD by hand)', () => {
    const s = new TrainingSession(mlp(), XOR, { loss: 'mse', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, batch_size: 'full', dtype: 'float64' });
    const before = Float64Array.from(s.model.theta);
    // the gradient at the start, from the same objective
    const probe = new TrainingSession(mlp(), XOR, { loss: 'mse', optimizer: { name: 'sgd', lr: 0 }, epochs: 1, dtype: 'float64' });
    probe.runEpoch();
    const g = Float64Array.from(probe.model.grad);
    s.runEpoch();
    s.model.theta.forEach((v, i) => expect(v).toBeCloseTo(before[i] - 0.1 * g[i], 12));
  });

  it('stochastic and mini-batch: ceil(n / batch) steps per epoch, loss weighted by batch size', () => {
    let steps = 0;
    const s = new TrainingSession(mlp(), regression(10), { loss: 'mse', optimizer: { name: 'sgd', lr: 0.01 }, epochs: 1, batch_size: 4 });
    const step = s.optimizer.step.bind(s.optimizer);
    s.optimizer.step = (o) => (steps++, step(o));
    s.runEpoch();
    expect(steps).toBe(3);
    const one = new TrainingSession(mlp(), regression(10), { loss: 'mse', optimizer: { name: 'sgd', lr: 0.01 }, epochs: 1, batch_size: 1 });
    let n1 = 0;
    const s1 = one.optimizer.step.bind(one.optimizer);
    one.optimizer.step = (o) => (n1++, s1(o));
    one.runEpoch();
    expect(n1).toBe(10);
  });

  it('same seed gives the same run bit for bit; another seed a different one', () => {
    const t: TrainingBlock = { loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 15, batch_size: 5, seed: 7, validation_split: 0.2 };
    const a = run({ ...mlp(), nodes: [...mlp().nodes.slice(0, 3), { id: 'd', type: 'Dropout', in: ['a1'], p: 0.3 }, { id: 'fc2', type: 'Linear', in: ['d'], units: 1 }, { id: 'y', type: 'Identity', in: ['fc2'] }] }, regression(40), t);
    const b = run({ ...mlp(), nodes: [...mlp().nodes.slice(0, 3), { id: 'd', type: 'Dropout', in: ['a1'], p: 0.3 }, { id: 'fc2', type: 'Linear', in: ['d'], units: 1 }, { id: 'y', type: 'Identity', in: ['fc2'] }] }, regression(40), t);
    expect(Array.from(a.model.theta)).toEqual(Array.from(b.model.theta));
    // Everything but the wall time `t` is bit for bit the same.
    const untimed = (h: typeof a.history) => h.map(({ t: _t, ...p }) => p);
    expect(untimed(a.history)).toEqual(untimed(b.history));
    const c = run(mlp(), regression(40), { ...t, seed: 8 });
    expect(Array.from(c.model.theta)).not.toEqual(Array.from(a.model.theta));
  });

  it('solves XOR with Adam, with RProp and with Levenberg–Marquardt, and reports accuracy', () => {
    const adam = run(mlp(4, 'Tanh', 'Sigmoid'), XOR, { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 500, seed: 3 });
    expect(adam.history.at(-1)!.loss).toBeLessThan(0.05);
    expect(adam.history.at(-1)!.accuracy).toBe(1);
    expect(adam.predict(XOR.x).map((r) => Math.round(r[0]))).toEqual([0, 1, 1, 0]);
    const rprop = run(mlp(4, 'Tanh', 'Sigmoid'), XOR, { loss: 'mse', optimizer: { name: 'rprop' }, epochs: 300, seed: 3 });
    expect(rprop.history.at(-1)!.loss).toBeLessThan(0.01);
    const lm = run(mlp(4, 'Tanh', 'Sigmoid'), XOR, { loss: 'mse', optimizer: { name: 'levenberg_marquardt' }, epochs: 60, seed: 3 });
    expect(lm.history.at(-1)!.loss).toBeLessThan(0.01);
  });

  it('learning-rate schedules follow torch.optim.lr_scheduler', () => {
    expect(learningRate({ name: 'step', step_size: 10, gamma: 0.5 }, 0.1, 25, 100)).toBeCloseTo(0.025, 15);
    expect(learningRate({ name: 'exponential', gamma: 0.9 }, 0.1, 3, 100)).toBeCloseTo(0.1 * 0.729, 15);
    expect(learningRate({ name: 'cosine', T_max: 10 }, 0.1, 5, 100)).toBeCloseTo(0.05, 15);
    expect(learningRate({ name: 'cosine', T_max: 10, eta_min: 0.01 }, 0.1, 10, 100)).toBeCloseTo(0.01, 15);
    const s = run(mlp(), regression(8), { loss: 'mse', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 4, lr_schedule: { name: 'step', step_size: 2, gamma: 0.1 } });
    expect(s.history.map((p) => p.lr)).toEqual([0.1, 0.1, 0.1 * 0.1, 0.1 * 0.1].map((v) => expect.closeTo(v, 15)));
  });

  it('gradient clipping by global norm rescales g to the limit; by value clamps each component', () => {
    const data = { x: [[30, -40]], y: [[1000]] };
    const s = new TrainingSession(mlp(3, 'Identity'), data, { loss: 'mse', optimizer: { name: 'sgd', lr: 0 }, epochs: 1, clip_grad_norm: 1, dtype: 'float64' });
    s.runEpoch();
    const norm = Math.hypot(...s.model.grad);
    expect(norm).toBeCloseTo(1, 5);
    const v = new TrainingSession(mlp(3, 'Identity'), data, { loss: 'mse', optimizer: { name: 'sgd', lr: 0 }, epochs: 1, clip_grad_value: 0.5, dtype: 'float64' });
    v.runEpoch();
    expect(Math.max(...v.model.grad.map(Math.abs))).toBe(0.5);
  });

  it('L2 adds λw to the gradient of weights only, L1 λ·sign(w)', () => {
    const t = { loss: 'mse', optimizer: { name: 'sgd', lr: 0 }, epochs: 1, dtype: 'float64' as const };
    const plain = new TrainingSession(mlp(), XOR, t);
    plain.runEpoch();
    const l2 = new TrainingSession(mlp(), XOR, { ...t, regularization: { l2: 0.1, l1: 0.01 } });
    l2.runEpoch();
    for (const p of l2.model.params) {
      for (let i = p.offset; i < p.offset + p.size; i++) {
        const w = l2.model.theta[i];
        const extra = p.decay ? 0.1 * w + 0.01 * Math.sign(w) : 0;
        expect(l2.model.grad[i]).toBeCloseTo(plain.model.grad[i] + extra, 12);
      }
    }
  });

  it('early stopping watches the validation loss and restores the weights of the best epoch', () => {
    const s = new TrainingSession(mlp(16), regression(60), { loss: 'mse', optimizer: { name: 'adam', lr: 0.3 }, epochs: 400, validation_split: 0.3, early_stopping: { patience: 5 }, seed: 4 });
    const thetaAfter: Float64Array[] = [];
    const last = s.runAll(() => thetaAfter.push(Float64Array.from(s.model.theta)))!;
    expect(s.history.every((p) => p.val_loss !== undefined)).toBe(true);
    expect(s.epoch).toBeLessThan(400);
    const losses = s.history.map((p) => p.val_loss!);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    expect(s.epoch).toBe(bestEpoch + 5);
    // The epoch callback runs after the restore, so the last snapshot is the restored weights.
    expect(Array.from(s.model.theta)).toEqual(Array.from(thetaAfter[bestEpoch - 1]));
    expect(Array.from(s.model.theta)).not.toEqual(Array.from(thetaAfter[s.epoch - 2]));
    expect(last.stoppedEarly).toBe(`stopped early at epoch ${s.epoch}: the validation loss has not improved for 5 epochs; weights restored from epoch ${bestEpoch}`);
  });

  it('without a validation split early stopping watches the training loss: a frozen loss stops by epoch 4 and says why', () => {
    // lr 0 freezes the weights, so the training loss never improves after epoch 1.
    const s = new TrainingSession(mlp(), XOR, { loss: 'mse', optimizer: { name: 'sgd', lr: 0 }, epochs: 50, early_stopping: { patience: 3 } });
    const last = s.runAll()!;
    expect(s.epoch).toBe(4);
    expect(last.done).toBe(true);
    expect(last.stoppedEarly).toBe('stopped early at epoch 4: the training loss has not improved for 3 epochs; weights restored from epoch 1');
  });

  it('a loss grown by orders of magnitude is divergence: "diverged at epoch N, layer L", weights from before that epoch', () => {
    const s = new TrainingSession(mlp(8, 'Identity'), regression(20), { loss: 'mse', optimizer: { name: 'sgd', lr: 50 }, epochs: 200 });
    const thetas: Float64Array[] = [Float64Array.from(s.model.theta)];
    let result;
    do {
      result = s.runEpoch();
      thetas.push(Float64Array.from(s.model.theta));
    } while (!result.done);
    expect(result.diverged).toMatch(/^diverged at epoch \d+, layer fc\d: the loss grew to .*× its lowest/);
    expect(result.flags.map((f) => f.kind)).toEqual(['exploding']);
    // The weights are those from before the diverging epoch, not the blown-up ones.
    expect(Array.from(s.model.theta)).toEqual(Array.from(thetas[s.epoch - 1]));
    expect(s.history.at(-1)!.loss).toBeGreaterThan(1e4 * Math.min(...s.history.slice(0, -1).map((p) => p.loss)));
  });

  it('a loss that becomes NaN/Inf stops the run at once and keeps the last finite weights', () => {
    const s = new TrainingSession(mlp(8, 'Identity'), regression(20), { loss: 'mse', optimizer: { name: 'sgd', lr: 50 }, epochs: 200, health: { divergence_factor: 1e300 } });
    const last = s.runAll()!;
    expect(last.diverged).toMatch(/^diverged at epoch \d+, layer \w+$/);
    expect(last.flags[0].kind).toBe('nan');
    expect(Array.from(s.model.theta).every(Number.isFinite)).toBe(true);
  });

  it('refuses impossible setups by field: unknown loss, data width, NaN data, mini-batch LM', () => {
    expect(() => new TrainingSession(mlp(), XOR, { loss: 'hinge' })).toThrow(/^loss must be one of mse, .*, got "hinge"$/);
    expect(() => new TrainingSession(mlp(), { x: [[1, 2, 3]], y: [[1]] }, { loss: 'mse' })).toThrow(/3 input columns but the Input node has size 2/);
    expect(() => new TrainingSession(mlp(), { x: [[1, NaN]], y: [[1]] }, { loss: 'mse' })).toThrow(/input row 1, column 2 holds NaN/);
    expect(() => new TrainingSession(mlp(), regression(10), { loss: 'mse', optimizer: { name: 'levenberg_marquardt' }, batch_size: 2 })).toThrow(TrainingError);
    expect(() => new TrainingSession(mlp(), XOR, { loss: 'bce', optimizer: { name: 'levenberg_marquardt' } })).toThrow(/sum-of-squares/);
  });
});

describe('entropy penalty (lecture 01: L − λΣp̂ log p̂)', () => {
  for (const [loss, out, target] of [
    ['bce', 'Sigmoid', [[0], [1], [1], [0]]],
    ['bce_logits', 'Identity', [[0], [1], [1], [0]]],
  ] as const) {
    it(`${loss}: the objective's gradient matches finite differences (float64)`, () => {
      const s = new TrainingSession(mlp(3, 'Tanh', out), { x: XOR.x, y: target.map((r) => [...r]) }, { loss, optimizer: { name: 'sgd', lr: 0 }, epochs: 1, dtype: 'float64', regularization: { entropy: 0.3 } });
      const obj = (s as unknown as { objective: { evaluate(): number; theta: Float64Array; grad: Float64Array } }).objective;
      obj.evaluate();
      const g = Float64Array.from(obj.grad);
      const h = 1e-6;
      for (let i = 0; i < obj.theta.length; i++) {
        const keep = obj.theta[i];
        obj.theta[i] = keep + h;
        const up = obj.evaluate();
        obj.theta[i] = keep - h;
        const down = obj.evaluate();
        obj.theta[i] = keep;
        expect(Math.abs((up - down) / (2 * h) - g[i])).toBeLessThan(1e-7 + 1e-5 * Math.abs(g[i]));
      }
    });
  }
  it('cross_entropy: the penalty equals λ times the mean entropy of softmax(logits)', () => {
    const model: ModelJson = { format: 'neurograph-model', version: 1, nodes: [{ id: 'x', type: 'Input', size: 2 }, { id: 'fc', type: 'Linear', in: ['x'], units: 3 }], outputs: ['fc'] };
    const data = { x: [[0.5, -1], [2, 0.3]], y: [[0], [2]] };
    const plain = new TrainingSession(model, data, { loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0 }, dtype: 'float64' });
    const withH = new TrainingSession(model, data, { loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0 }, dtype: 'float64', regularization: { entropy: 0.5 } });
    const o1 = (plain as any).objective;
    const o2 = (withH as any).objective;
    const diff = o2.evaluate() - o1.evaluate();
    const logits = withH.predict(data.x);
    const H = logits.map((z) => {
      const e = z.map(Math.exp);
      const s = e.reduce((a, b) => a + b, 0);
      return -e.reduce((a, v) => a + (v / s) * Math.log(v / s), 0);
    });
    expect(diff).toBeCloseTo((0.5 * (H[0] + H[1])) / 2, 12);
  });
  it('is refused for a regression loss', () => {
    expect(() => new TrainingSession(mlp(), XOR, { loss: 'mse', regularization: { entropy: 0.1 } })).toThrow(/entropy penalty needs class probabilities/);
  });
});

describe('optimizers against known answers, through full training runs', () => {
  it('Levenberg–Marquardt fits a small regression net below MSE 1e-3 in fewer epochs than Adam', () => {
    const data = regression(40, 5);
    const epochsTo = (optimizer: TrainingBlock['optimizer'], max: number) => {
      const s = new TrainingSession(mlp(6), data, { loss: 'mse', optimizer, epochs: max, seed: 2 });
      while (!s.done) if (s.runEpoch().point.loss < 1e-3) return s.epoch;
      return Infinity;
    };
    const lm = epochsTo({ name: 'levenberg_marquardt' }, 300);
    const adam = epochsTo({ name: 'adam', lr: 0.02 }, 5000);
    expect(lm).toBeLessThan(300);
    expect(lm).toBeLessThan(adam);
  });
  it('quickprop solves XOR', () => {
    const q = run(mlp(4, 'Tanh', 'Sigmoid'), XOR, { loss: 'mse', optimizer: { name: 'quickprop', lr: 0.5 }, epochs: 1000, seed: 3 });
    expect(q.predict(XOR.x).map((r) => Math.round(r[0]))).toEqual([0, 1, 1, 0]);
  });
});
