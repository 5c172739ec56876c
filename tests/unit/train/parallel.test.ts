/**
 * Data-parallel training's pure half (src-engine/train/parallel.ts, shards.ts): the shard cut, the
 * sharded gradient against finite differences, determinism for a seed and a worker count, agreement
 * with one worker, and what is refused (BatchNorm, Levenberg–Marquardt). Shards here run one after
 * another on this thread (LocalShards); tests/integration/trainer/shards.test.ts runs them on threads.
 */
import { describe, expect, it } from 'vitest';
import { compile, type ModelJson } from '../../../src-engine/graph';
import { lossDef } from '../../../src-engine/losses';
import { fromRows, Rng, type Mat } from '../../../src-engine/tensor';
import { checkTraining, TrainingSession, type TrainingBlock } from '../../../src-engine/train';
import { BatchObjective } from '../../../src-engine/train/objective';
import { LocalShards } from '../../../src-engine/train/parallel';
import { shardCount, shardStart } from '../../../src-engine/train/shards';

const mlp = (hidden: string[] = ['Tanh'], inW = 3, out = 2): ModelJson => {
  const nodes: ModelJson['nodes'] = [{ id: 'x', type: 'Input', size: inW }, { id: 'fc1', type: 'Linear', in: ['x'], units: 5 }];
  let prev = 'fc1';
  hidden.forEach((type, i) => {
    const id = `h${i}`;
    nodes.push({ id, type, in: [prev], ...(type === 'Dropout' ? { p: 0.3 } : {}) });
    prev = id;
  });
  nodes.push({ id: 'out', type: 'Linear', in: [prev], units: out });
  return { format: 'neurograph-model', version: 1, nodes, outputs: ['out'] };
};

function table(rows: number, inW: number, outW: number, seed = 3) {
  const r = new Rng(seed);
  const x = Array.from({ length: rows }, () => Array.from({ length: inW }, () => r.normal(0, 1)));
  const y = x.map((row) => Array.from({ length: outW }, (_, j) => Math.sin(row[0] * (j + 1)) + 0.3 * row[1 % inW]));
  return { x, y };
}

/** A float64 model and an objective over all rows of (x, y) whose gradient comes from k shards (k = 1: the plain path). */
function objective(json: ModelJson, seed: number, x: Mat, y: Mat, k: number, loss = 'mse', entropy = 0) {
  const model = compile(json, { dtype: 'float64', seed });
  const rows = Int32Array.from({ length: x.rows }, (_, i) => i);
  const mode = { train: true, stochastic: true, rng: new Rng(9) };
  const spec = { model: json, dtype: model.dtype, loss, entropy };
  const peers = k > 1 ? new LocalShards({ spec, shards: k, x, y, maxRows: x.rows, size: model.theta.length }) : null;
  const obj = new BatchObjective(model, x, y, { loss: lossDef(loss)!, mode, regularization: entropy ? { entropy } : null, ...(peers ? { shards: { k, peers } } : {}) });
  obj.setRows({ x, y }, rows, 0, x.rows);
  return { model, obj };
}

describe('the shard cut', () => {
  it('k contiguous shards cover the batch, their sizes differ by at most one, never empty', () => {
    for (let n = 1; n <= 40; n++) {
      for (let kMax = 1; kMax <= 6; kMax++) {
        const k = shardCount(n, kMax);
        expect(k).toBe(Math.min(n, kMax));
        const sizes = Array.from({ length: k }, (_, s) => shardStart(n, k, s + 1) - shardStart(n, k, s));
        expect(shardStart(n, k, 0)).toBe(0);
        expect(shardStart(n, k, k)).toBe(n);
        expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('the sharded gradient (float64)', () => {
  it('is the gradient of the batch mean loss: central finite differences, 3 shards of 11 rows', () => {
    const { x, y } = table(11, 3, 2);
    const { model, obj } = objective(mlp(['Tanh']), 4, fromRows('float64', x), fromRows('float64', y), 3);
    obj.evaluate();
    const g = Float64Array.from(model.grad);
    const h = 1e-6;
    for (let i = 0; i < model.theta.length; i++) {
      const t = model.theta[i];
      model.theta[i] = t + h;
      const up = obj.evaluate();
      model.theta[i] = t - h;
      const down = obj.evaluate();
      model.theta[i] = t;
      expect(g[i]).toBeCloseTo((up - down) / (2 * h), 7);
    }
  });

  it('matches one shard to rounding (not bit for bit: the rows are summed in another order), loss and gradient, with the entropy penalty', () => {
    const { x, y } = table(23, 4, 1);
    const classes = y.map((r) => [Math.abs(Math.floor(r[0] * 2)) % 3]);
    const run = (k: number) => {
      const { model, obj } = objective(mlp(['ReLU'], 4, 3), 6, fromRows('float64', x), fromRows('float64', classes), k, 'cross_entropy', 0.1);
      const total = obj.evaluate();
      return { total, loss: obj.dataLoss, grad: Array.from(model.grad) };
    };
    const one = run(1);
    for (const k of [2, 3, 5]) {
      const r = run(k);
      expect(r.loss).toBeCloseTo(one.loss, 13);
      expect(r.total).toBeCloseTo(one.total, 13);
      r.grad.forEach((v, i) => expect(v).toBeCloseTo(one.grad[i], 13));
    }
  });
});

const block = (over: Partial<TrainingBlock> = {}): TrainingBlock => ({ loss: 'mse', optimizer: { name: 'adam', lr: 0.01 }, epochs: 6, batch_size: 16, seed: 5, ...over });

describe('TrainingSession with workers', () => {
  const data = table(70, 3, 2);

  it('the same seed and worker count give the same run bit for bit, Dropout masks included', () => {
    const model = mlp(['Tanh', 'Dropout']);
    const a = new TrainingSession(model, data, block({ workers: 2 }));
    const b = new TrainingSession(model, data, block({ workers: 2 }));
    a.runAll();
    b.runAll();
    expect(a.workers).toBe(2);
    expect(Array.from(a.model.theta)).toEqual(Array.from(b.model.theta));
    const untimed = (h: typeof a.history) => h.map(({ t: _t, ...p }) => p);
    expect(untimed(a.history)).toEqual(untimed(b.history));
    // Another shard count draws other masks: a different (equally valid) run.
    const c = new TrainingSession(model, data, block({ workers: 3 }));
    c.runAll();
    expect(Array.from(c.model.theta)).not.toEqual(Array.from(a.model.theta));
  });

  it('full batch: 2 and 3 workers end where 1 worker does, to rounding (float64 and float32)', () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const t = block({ batch_size: 'full', epochs: 30, optimizer: { name: 'sgd', lr: 0.05 }, dtype });
      const one = new TrainingSession(mlp(['Tanh']), data, t);
      one.runAll();
      for (const workers of [2, 3]) {
        const many = new TrainingSession(mlp(['Tanh']), data, { ...t, workers });
        many.runAll();
        const tol = dtype === 'float64' ? 1e-12 : 1e-5;
        many.model.theta.forEach((v, i) => expect(Math.abs(v - one.model.theta[i])).toBeLessThan(tol));
        expect(Math.abs(many.history.at(-1)!.loss - one.history.at(-1)!.loss)).toBeLessThan(tol);
      }
    }
  });

  it('gradient norms and the epoch loss keep their meaning under shards', () => {
    const t = block({ batch_size: 'full', epochs: 3, optimizer: { name: 'sgd', lr: 0.05 }, dtype: 'float64', clip_grad_norm: 0.5 });
    const one = new TrainingSession(mlp(['Tanh']), data, t);
    const two = new TrainingSession(mlp(['Tanh']), data, { ...t, workers: 2 });
    one.runAll();
    two.runAll();
    for (let e = 0; e < 3; e++) {
      const [p, q] = [one.history[e], two.history[e]];
      expect(q.loss).toBeCloseTo(p.loss, 12);
      for (const layer of Object.keys(p.grad_norms!)) expect(q.grad_norms![layer]).toBeCloseTo(p.grad_norms![layer], 12);
    }
  });

  it("refuses workers ≥ 2 for BatchNorm1d (batch statistics), naming the node; 'auto' trains it on one", () => {
    const model: ModelJson = {
      format: 'neurograph-model',
      version: 1,
      nodes: [
        { id: 'x', type: 'Input', size: 3 },
        { id: 'fc1', type: 'Linear', in: ['x'], units: 4 },
        { id: 'bn1', type: 'BatchNorm1d', in: ['fc1'] },
        { id: 'out', type: 'Linear', in: ['bn1'], units: 2 },
      ],
      outputs: ['out'],
    };
    expect(() => new TrainingSession(model, data, block({ workers: 2 }))).toThrow(/BatchNorm1d bn1.*whole batch.*workers to 1/);
    try {
      new TrainingSession(model, data, block({ workers: 2 }));
    } catch (e) {
      expect((e as { path?: string }).path).toBe('training.workers');
    }
    expect(new TrainingSession(model, data, block({ workers: 'auto', batch_size: 64 })).workers).toBe(1);
  });

  it("'auto' picks 2 for a step with enough work (784-128-10, batch 64), 1 for a small network", () => {
    const wide: ModelJson = {
      format: 'neurograph-model',
      version: 1,
      nodes: [
        { id: 'x', type: 'Input', size: 784 },
        { id: 'fc1', type: 'Linear', in: ['x'], units: 128 },
        { id: 'a1', type: 'ReLU', in: ['fc1'] },
        { id: 'fc2', type: 'Linear', in: ['a1'], units: 10 },
      ],
      outputs: ['fc2'],
    };
    const rows = table(64, 784, 1);
    const classes = { x: rows.x, y: rows.y.map((_, i) => [i % 10]), task: 'classification' as const };
    expect(new TrainingSession(wide, classes, { loss: 'cross_entropy', batch_size: 64, workers: 'auto' }).workers).toBe(2);
    expect(new TrainingSession(mlp(), data, block({ workers: 'auto' })).workers).toBe(1);
    expect(new TrainingSession(mlp(), data, block()).workers).toBe(1);
  });

  it('checks the field: a whole number from 1 to 16 or "auto"; Levenberg–Marquardt only on one', () => {
    for (const bad of [0, 17, 1.5, 'two']) expect(checkTraining({ loss: 'mse', workers: bad })[0]?.field).toBe('workers');
    for (const ok of [1, 2, 16, 'auto']) expect(checkTraining({ loss: 'mse', workers: ok })).toEqual([]);
    const lm = checkTraining({ loss: 'mse', optimizer: { name: 'levenberg_marquardt' }, workers: 2 });
    expect(lm.map((i) => i.field)).toEqual(['workers']);
    expect(lm[0].message).toMatch(/levenberg_marquardt.*one thread/);
  });
});
