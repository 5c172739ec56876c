/**
 * What an epoch's metrics mean, now that they are measured cheaply (issue 12): the accuracy is that
 * of the epoch's final weights over every training row, counted in chunks (and, data-parallel, on
 * several shards) yet exactly the count of hits; validation loss is the mean over its rows; the
 * per-layer gradient norms come from the clipping pass and equal ‖∂L/∂W‖ of the gradient the
 * optimizer used (finite differences, and after clipping); batches gathered straight into the model
 * train exactly as batches built as matrices did.
 */
import { describe, expect, it } from 'vitest';
import { compile, type ModelJson } from '../../../src-engine/graph';
import { lossDef } from '../../../src-engine/losses';
import { fromRows, Rng } from '../../../src-engine/tensor';
import { splitOf, TrainingSession, type TrainingBlock } from '../../../src-engine/train';

const classifier: ModelJson = {
  format: 'neurograph-model',
  version: 1,
  nodes: [
    { id: 'x', type: 'Input', size: 4 },
    { id: 'fc1', type: 'Linear', in: ['x'], units: 8 },
    { id: 'a1', type: 'ReLU', in: ['fc1'] },
    { id: 'fc2', type: 'Linear', in: ['a1'], units: 3 },
  ],
  outputs: ['fc2'],
};

/** Three noisy classes in 4 dimensions: `n` rows, labels 0–2. */
function classes(n: number, seed = 1) {
  const r = new Rng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    x.push([c + r.normal(0, 0.9), -c + r.normal(0, 0.9), r.normal(0, 1), c * r.uniform(0, 1)]);
    y.push([c]);
  }
  return { x, y, task: 'classification' as const };
}

const argmax = (row: number[]) => row.indexOf(Math.max(...row));

describe('epoch metrics', () => {
  for (const workers of [1, 2]) {
    it(`accuracy over 2600 training rows (3 chunks${workers > 1 ? ', 2 shards' : ''}) is the count of hits of the final weights; validation loss the mean over its rows`, () => {
      const data = classes(3250);
      const block: TrainingBlock = { loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.01 }, epochs: 2, batch_size: 50, seed: 4, validation_split: 0.2, workers };
      const s = new TrainingSession(classifier, data, block);
      s.runAll();
      const last = s.history.at(-1)!;
      const { split } = splitOf(data.x.length, block);
      const rowsOf = (idx: Int32Array) => Array.from(idx, (i) => data.x[i]);
      const trainPred = s.predict(rowsOf(split.train));
      const hits = trainPred.filter((p, i) => argmax(p) === data.y[split.train[i]][0]).length;
      expect(split.train.length).toBe(2600);
      expect(last.accuracy).toBe(hits / 2600);
      // Validation: 650 rows, one chunk — the loss of all rows at once.
      const valPred = s.predict(rowsOf(split.validation));
      const ce = lossDef('cross_entropy')!.compute(fromRows('float64', valPred), fromRows('float64', Array.from(split.validation, (i) => data.y[i])), null);
      expect(last.val_loss).toBeCloseTo(ce, 6);
    });
  }

  it('a validation split larger than a chunk: its loss is the mean over all its rows', () => {
    const data = classes(5000, 2);
    const block: TrainingBlock = { loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.05 }, epochs: 1, batch_size: 500, seed: 2, validation_split: 0.5, dtype: 'float64' };
    const s = new TrainingSession(classifier, data, block);
    s.runAll();
    const { split } = splitOf(data.x.length, block);
    const pred = s.predict(Array.from(split.validation, (i) => data.x[i]));
    const y = Array.from(split.validation, (i) => data.y[i]);
    // The mean over 2500 rows, by hand: −log softmax of the true class.
    let sum = 0;
    pred.forEach((p, i) => {
      const m = Math.max(...p);
      const lse = m + Math.log(p.reduce((a, v) => a + Math.exp(v - m), 0));
      sum += lse - p[y[i][0]];
    });
    expect(s.history[0].val_loss).toBeCloseTo(sum / 2500, 12);
  });

  it('grad_norms of a full-batch epoch are ‖∂L/∂W‖ per layer (finite differences), and after clipping the clipped ones', () => {
    const r = new Rng(8);
    const x = Array.from({ length: 12 }, () => [r.normal(0, 1), r.normal(0, 1), r.normal(0, 1), r.normal(0, 1)]);
    const data = { x, y: x.map((row) => [row[0] * row[1] > 0 ? 1 : 0]) };
    const model: ModelJson = { ...classifier, nodes: [...classifier.nodes.slice(0, 3), { id: 'fc2', type: 'Linear', in: ['a1'], units: 1 }] };
    const block: TrainingBlock = { loss: 'bce_logits', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, batch_size: 'full', seed: 3, dtype: 'float64' };
    // The gradient by central differences of the loss at the starting weights, on a model of our own.
    const probe = compile(model, { dtype: 'float64', seed: 3 });
    const loss = lossDef('bce_logits')!;
    const X = fromRows('float64', x);
    const Y = fromRows('float64', data.y);
    const f = () => loss.compute(probe.forward(X, { train: true, stochastic: true, rng: new Rng(0) }), Y, null);
    const norm2: Record<string, number> = {};
    for (const p of probe.params) {
      for (let i = p.offset; i < p.offset + p.size; i++) {
        const t = probe.theta[i];
        probe.theta[i] = t + 1e-6;
        const up = f();
        probe.theta[i] = t - 1e-6;
        const down = f();
        probe.theta[i] = t;
        norm2[p.node] = (norm2[p.node] ?? 0) + ((up - down) / 2e-6) ** 2;
      }
    }
    const plain = new TrainingSession(model, data, block);
    plain.runAll();
    for (const layer of ['fc1', 'fc2']) expect(plain.history[0].grad_norms![layer]).toBeCloseTo(Math.sqrt(norm2[layer]), 6);
    const total = Math.sqrt(norm2.fc1 + norm2.fc2);
    const clipped = new TrainingSession(model, data, { ...block, clip_grad_norm: total / 4 });
    clipped.runAll();
    const c = total / 4 / (total + 1e-6);
    for (const layer of ['fc1', 'fc2']) expect(clipped.history[0].grad_norms![layer]).toBeCloseTo(c * Math.sqrt(norm2[layer]), 6);
  });

  it('mini-batches gathered into the model train as rows taken in the shuffled order, by hand (SGD, float64)', () => {
    const data = classes(10, 5);
    const block: TrainingBlock = { loss: 'cross_entropy', optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, batch_size: 4, seed: 6, dtype: 'float64' };
    const s = new TrainingSession(classifier, data, block);
    // The same steps by hand: the session's shuffle stream, batches of 4, 4, 2, θ ← θ − lr·∇ on each.
    const model = compile(classifier, { dtype: 'float64', seed: 6 });
    const { rng } = splitOf(10, block);
    const order = rng.fork().shuffle(Int32Array.from({ length: 10 }, (_, i) => i));
    const loss = lossDef('cross_entropy')!;
    for (let from = 0; from < 10; from += 4) {
      const idx = Array.from(order.subarray(from, Math.min(10, from + 4)));
      const X = fromRows('float64', idx.map((i) => data.x[i]));
      const Y = fromRows('float64', idx.map((i) => data.y[i]));
      const mode = { train: true, stochastic: true, rng: new Rng(0) };
      model.zeroGrad();
      const d = new Float64Array(idx.length * 3);
      loss.compute(model.forward(X, mode), Y, d);
      model.backward(d, mode);
      for (let i = 0; i < model.theta.length; i++) model.theta[i] -= 0.1 * model.grad[i];
    }
    s.runEpoch();
    s.model.theta.forEach((v, i) => expect(v).toBeCloseTo(model.theta[i], 14));
  });
});
