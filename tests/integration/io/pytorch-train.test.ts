/**
 * `python3 model.py train` from exportPytorch: training on in PyTorch with the model's own training
 * block, DistributedDataParallel over K processes, and the model JSON it writes read back by the
 * engine. The truth is the engine itself: full-batch float64 runs must match TrainingSession step
 * for step, and the engine's predict on the written model must equal PyTorch's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, exportPytorch, fromRows, lossDef, parseModelJson, predictRows, Rng, TrainingSession, type ModelJson, type NodeSpec, type TrainingBlock } from '../../../src-engine';
import { mismatch } from '../../helpers/reference';
import { withWeights } from '../../unit/io/node-models';

const dir = mkdtempSync(join(tmpdir(), 'ng-torch-train-'));
const PYTHON = '/usr/bin/python3';
const csv = (rows: number[][]) => rows.map((r) => r.join(',')).join('\n') + '\n';
let files = 0;

/** Writes the model's PyTorch file and the data; returns their paths. */
function setup(model: ModelJson, x: number[][], y: number[][]) {
  const k = files++;
  const paths = { py: join(dir, `model${k}.py`), x: join(dir, `X${k}.csv`), y: join(dir, `Y${k}.csv`), out: join(dir, `trained${k}.json`) };
  writeFileSync(paths.py, exportPytorch(model));
  writeFileSync(paths.x, csv(x));
  writeFileSync(paths.y, csv(y));
  return paths;
}

function python(args: string[], env: Record<string, string> = {}) {
  return spawnSync(PYTHON, args, { cwd: dir, encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
}

function train(p: ReturnType<typeof setup>, extra: string[] = [], out = p.out) {
  const r = python([p.py, 'train', '--input', p.x, '--target', p.y, '--out', out, ...extra]);
  if (r.status !== 0) throw new Error(`model.py train exited ${r.status}: ${r.stderr}`);
  return { summary: JSON.parse(r.stdout.trim().split('\n').at(-1)!), trained: parseModelJson(readFileSync(out, 'utf8')) };
}

const model = (nodes: NodeSpec[], training: TrainingBlock): ModelJson => withWeights({ format: 'neurograph-model', version: 1, nodes, outputs: [nodes[nodes.length - 1].id], training }, 11);

/** 3 features, 3 classes (index column) or 3 regression targets. */
const rng = new Rng(5);
const X = Array.from({ length: 48 }, () => [rng.uniform(-2, 2), rng.uniform(-2, 2), rng.uniform(-2, 2)]);
const CLASSES = X.map(([a, b, c]) => [a + b > 0 ? (c > 0 ? 2 : 1) : 0]);
const REAL = X.map(([a, b, c]) => [a * b, Math.sin(c), a - c]);

/** A DAG with a residual Add and a Concat of branches, BatchNorm and Dropout inside. */
const dag = (out = 'Identity'): NodeSpec[] => [
  { id: 'x', type: 'Input', size: 3 },
  { id: 'fc1', type: 'Linear', in: ['x'], units: 8 },
  { id: 'bn', type: 'BatchNorm1d', in: ['fc1'] },
  { id: 'a1', type: 'Tanh', in: ['bn'] },
  { id: 'fc2', type: 'Linear', in: ['a1'], units: 8 },
  { id: 'res', type: 'Add', in: ['fc2', 'fc1'] },
  { id: 'a2', type: 'ReLU', in: ['res'] },
  { id: 'd', type: 'Dropout', in: ['a2'], p: 0.1 },
  { id: 'cat', type: 'Concat', in: ['d', 'x'] },
  { id: 'o', type: 'Linear', in: ['cat'], units: 3 },
  ...(out === 'Identity' ? [] : [{ id: 'y', type: out, in: ['o'] }]),
];

/** A DAG with the same merges but nothing random or batch-dependent, so worker counts can be compared exactly. */
const plainDag: NodeSpec[] = [
  { id: 'x', type: 'Input', size: 3 },
  { id: 'fc1', type: 'Linear', in: ['x'], units: 6 },
  { id: 'a1', type: 'ELU', in: ['fc1'] },
  { id: 'm', type: 'Maxout', in: ['x'], units: 6, pieces: 2 },
  { id: 'res', type: 'Add', in: ['a1', 'm'] },
  { id: 'p', type: 'PReLU', in: ['res'] },
  { id: 'cat', type: 'Concat', in: ['p', 'x'] },
  { id: 'o', type: 'Linear', in: ['cat'], units: 3 },
];

const engineLoss = (m: ModelJson, name: string, y: number[][]) => lossDef(name)!.compute(fromRows('float64', predictRows(compile(m, { dtype: 'float64' }), X) as number[][]) as never, fromRows('float64', y) as never, null);

describe('python3 model.py train: PyTorch trains on and the engine reads the result back', () => {
  it('2 workers train a DAG with Add and Concat further: the loss falls, trained.json imports, the engine predicts what PyTorch predicts (1e-5)', () => {
    const training: TrainingBlock = { loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.02 }, epochs: 25, batch_size: 12, seed: 4, regularization: { l2: 0.001 }, clip_grad_norm: 5, lr_schedule: { name: 'step', step_size: 10, gamma: 0.5 } };
    const m = model(dag(), training);
    const p = setup(m, X, CLASSES);
    const { summary, trained } = train(p, ['--workers', '2', '--epochs', '30']);
    expect(summary).toMatchObject({ workers: 2, backend: 'gloo', epochs: 30 });
    const losses = summary.history.map((h: { loss: number }) => h.loss);
    expect(losses.at(-1)).toBeLessThan(0.7 * losses[0]);
    // The engine agrees that the loss fell, on its own reading of both models.
    expect(engineLoss(trained, 'cross_entropy', CLASSES)).toBeLessThan(0.7 * engineLoss(m, 'cross_entropy', CLASSES));
    expect(trained.training).toEqual({ ...training, epochs: 30 });
    expect(trained.state!.bn.num_batches_tracked).toBe(5 + 30 * 4);
    expect(mismatch(trained.params!.fc1.weight, m.params!.fc1.weight, 1e-3, 0)).not.toBeNull();
    const r = python([p.py, '--input', p.x, '--weights', p.out]);
    expect(r.status, r.stderr).toBe(0);
    const torchOut = r.stdout.trim().split('\n').map((l) => l.split(',').map(Number));
    expect(mismatch(predictRows(compile(trained, { dtype: 'float64' }), X), torchOut, 1e-5, 0)).toBeNull();
  });

  it('K workers take the step one would: 1 and 2 workers give the same weights (shuffled batches of 47 rows and then 1, which one worker runs alone)', () => {
    const training: TrainingBlock = { loss: 'mse', optimizer: { name: 'momentum', lr: 0.05 }, epochs: 8, batch_size: 47, seed: 2, dtype: 'float64', regularization: { l1: 0.001 }, clip_grad_value: 0.5 };
    const p = setup(model(plainDag, training), X, REAL);
    const one = train(p, ['--workers', '1'], join(dir, 'one.json'));
    const two = train(p, ['--workers', '2'], join(dir, 'two.json'));
    expect(mismatch(two.trained.params, one.trained.params, 1e-10, 0)).toBeNull();
    expect(mismatch(two.summary.history, one.summary.history, 1e-10, 0)).toBeNull();
    // A launcher's RANK / WORLD_SIZE / MASTER_ADDR / MASTER_PORT: each process is that rank.
    const port = spawnSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"], { encoding: 'utf8' }).stdout.trim();
    const launched = join(dir, 'launched.json');
    const ranks = [0, 1].map((rank) =>
      spawn(PYTHON, [p.py, 'train', '--input', p.x, '--target', p.y, '--out', launched], { cwd: dir, env: { ...process.env, RANK: String(rank), WORLD_SIZE: '2', MASTER_ADDR: '127.0.0.1', MASTER_PORT: port } }),
    );
    return Promise.all(ranks.map((c) => new Promise<number>((done) => c.on('exit', (code) => done(code ?? -1))))).then((codes) => {
      expect(codes).toEqual([0, 0]);
      expect(mismatch(parseModelJson(readFileSync(launched, 'utf8')).params, one.trained.params, 1e-10, 0)).toBeNull();
    });
  });

  it('the training block in PyTorch is the engine’s: full-batch float64 runs match TrainingSession step for step', () => {
    const blocks: { block: TrainingBlock; out: string; y: number[][] }[] = [
      { block: { loss: 'mse', optimizer: { name: 'momentum', lr: 0.05 }, epochs: 12, regularization: { l1: 0.01 }, clip_grad_value: 0.1, lr_schedule: { name: 'step', step_size: 4, gamma: 0.5 } }, out: 'Identity', y: REAL },
      { block: { loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.02, weight_decay: 0.01 }, epochs: 12, regularization: { l2: 0.1, entropy: 0.05 }, clip_grad_norm: 0.5, lr_schedule: { name: 'cosine' } }, out: 'Identity', y: CLASSES },
      { block: { loss: 'nll', optimizer: { name: 'adagrad', lr: 0.05 }, epochs: 8 }, out: 'LogSoftmax', y: CLASSES },
      { block: { loss: 'kl', optimizer: { name: 'nadam' }, epochs: 8, lr_schedule: { name: 'exponential', gamma: 0.9 } }, out: 'LogSoftmax', y: CLASSES.map(([c]) => [0, 1, 2].map((j) => (j === c ? 0.8 : 0.1))) },
      { block: { loss: 'huber', optimizer: { name: 'lbfgs', lr: 1 }, epochs: 3 }, out: 'Identity', y: REAL },
      { block: { loss: 'mae', optimizer: { name: 'sgd', lr: 0.05 }, epochs: 4, batch_size: 10, shuffle: false }, out: 'Identity', y: REAL },
    ];
    for (const { block, out, y } of blocks) {
      const training = { ...block, dtype: 'float64' as const, batch_size: block.batch_size ?? ('full' as const) };
      // No Dropout here: its masks come from different generators in the two programs.
      const nodes = dag(out).filter((n) => n.type !== 'Dropout').map((n) => (n.id === 'cat' ? { ...n, in: ['a2', 'x'] } : n));
      const m = model(nodes, training);
      const session = new TrainingSession(m, { x: X, y }, training);
      session.runAll();
      const { summary, trained } = train(setup(m, X, y));
      const where = `${block.loss} ${block.optimizer!.name}`;
      expect(mismatch(summary.history.map((h: { loss: number }) => h.loss), session.history.map((h) => h.loss), 1e-9, 1e-9), where).toBeNull();
      expect(mismatch(trained.params, session.model.paramsJson(), 1e-8, 1e-8), where).toBeNull();
      expect(mismatch(trained.state, session.model.stateJson(), 1e-8, 1e-8), where).toBeNull();
    }
  });

  it('optimizers torch.optim lacks are refused by name; the file still predicts', () => {
    for (const name of ['quickprop', 'cg', 'bfgs', 'levenberg_marquardt']) {
      const m = model(plainDag, { loss: 'mse', optimizer: { name }, epochs: 2 });
      const p = setup(m, X, REAL);
      const r = python([p.py, 'train', '--input', p.x, '--target', p.y, '--out', p.out]);
      expect(r.status, name).toBe(2);
      expect(r.stderr).toContain(`the model's optimizer '${name}' has no counterpart in torch.optim`);
      const predicted = python([p.py, '--input', p.x]);
      expect(predicted.status, predicted.stderr).toBe(0);
      const rows = predicted.stdout.trim().split('\n').map((l) => l.split(',').map(Number));
      expect(mismatch(rows, predictRows(compile(m, { dtype: 'float64' }), X), 1e-6, 0)).toBeNull();
    }
  });

  it('targets are taken as the loss expects them: --help says how, and targets that do not fit are refused', () => {
    const p = setup(model(plainDag, { loss: 'cross_entropy', optimizer: { name: 'adam' }, epochs: 2 }), X, REAL);
    const help = python([p.py, 'train', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Loss cross_entropy takes one column: the class index 0…m−1 of each row');
    expect(help.stdout).toContain('--workers');
    const wide = python([p.py, 'train', '--input', p.x, '--target', p.y, '--out', p.out]);
    expect(wide.status).toBe(2);
    expect(wide.stderr).toContain('--target has 3 columns but loss cross_entropy takes 1 per row');
    writeFileSync(p.y, csv(X.map(() => [1.5])));
    const notClass = python([p.py, 'train', '--input', p.x, '--target', p.y, '--out', p.out]);
    expect(notClass.status).toBe(2);
    expect(notClass.stderr).toContain('is not a class index 0…2');
  });

  it('a model trained on scaled rows (meta.scaling) takes raw rows: predict and train scale them as the engine did', () => {
    // Standardize by hand: mean 1 and scale 2 for every column, so raw = 2·scaled + 1.
    const scaled = X;
    const raw = X.map((r) => r.map((v) => 2 * v + 1));
    const m = model(plainDag, { loss: 'mse', optimizer: { name: 'sgd', lr: 0.05 }, epochs: 3, batch_size: 'full', seed: 1, dtype: 'float64' });
    const withScaling: ModelJson = { ...m, meta: { scaling: { kind: 'standardize', mean: [1, 1, 1], scale: [2, 2, 2] } } };
    const p = setup(withScaling, raw, REAL);
    const predicted = python([p.py, '--input', p.x]);
    expect(predicted.status, predicted.stderr).toBe(0);
    const rows = predicted.stdout.trim().split('\n').map((l) => l.split(',').map(Number));
    expect(mismatch(rows, predictRows(compile(m, { dtype: 'float64' }), scaled), 1e-6, 0)).toBeNull();
    // Trained on raw rows in PyTorch = the engine trained on the scaled rows, and the scaling stays with the model.
    const { trained } = train(p);
    expect(trained.meta?.scaling).toEqual(withScaling.meta!.scaling);
    const session = new TrainingSession(m, { x: scaled, y: REAL }, m.training!);
    session.runAll();
    const ours = predictRows(compile(session.exportModel(), { dtype: 'float64' }), scaled);
    const theirs = predictRows(compile({ ...trained, meta: {} }, { dtype: 'float64' }), scaled);
    expect(mismatch(theirs, ours, 1e-6, 1e-6)).toBeNull();
  });
});
