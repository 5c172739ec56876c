/** Compare and run controls over the real services: library, datasets, trainer process and its pool. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, CompareGroup, ModelExplanation, Project, Reply, Run } from '../../../src-main/api/contract';
import { createServices, nodeForkTrainer, type Services } from '../../../src-main/services/index';

const TRAINER_ENTRY = resolve(__dirname, '../../../src-main/trainer/entry.ts');
let dir: string;
let services: Services;
const events: ApiEvent[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ng-compare-'));
  services = createServices({ libraryPath: join(dir, 'library.sqlite'), trainerEntry: TRAINER_ENTRY, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
  services.api.subscribe((e) => events.push(e));
});
afterAll(async () => {
  await services?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(name: string, input: unknown): Promise<T> {
  const reply = (await services.api.handle(name, input)) as Reply<T>;
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

const terminal = (e: ApiEvent, runId: string) => e.type === 'run.status' && e.runId === runId && ['completed', 'stopped', 'failed'].includes(e.status);
function ended(runId: string): Promise<ApiEvent> {
  const seen = events.find((e) => terminal(e, runId));
  if (seen) return Promise.resolve(seen);
  return new Promise((done) => {
    const off = services.api.subscribe((e) => terminal(e, runId) && (off(), done(e)));
  });
}
function when(test: (e: ApiEvent) => boolean): Promise<ApiEvent> {
  return new Promise((done) => {
    const off = services.api.subscribe((e) => test(e) && (off(), done(e)));
  });
}

/** A 2-8-8-1 tanh network on the spiral set (classification, ±1 targets with mse). */
async function spiralProject(name: string, epochs = 30): Promise<Project> {
  const p = await ok<Project>('projects.create', { name, template: 'xor' });
  const graph = {
    nodes: [
      { id: 'x', type: 'Input', size: 2 },
      { id: 'fc1', type: 'Linear', in: ['x'], units: 8 },
      { id: 'a1', type: 'Tanh', in: ['fc1'] },
      { id: 'fc2', type: 'Linear', in: ['a1'], units: 8 },
      { id: 'a2', type: 'Tanh', in: ['fc2'] },
      { id: 'fc3', type: 'Linear', in: ['a2'], units: 1 },
      { id: 'y', type: 'Tanh', in: ['fc3'] },
    ],
    outputs: ['y'],
  };
  const training = { loss: 'mse', optimizer: { name: 'sgd', lr: 0.03 }, epochs, batch_size: 10, seed: 4 };
  await ok('projects.save', { id: p.id, revision: p.revision, graph, layout: {}, dataset: { kind: 'builtin', name: 'spiral', points: 200 }, training });
  return ok<Project>('projects.get', { id: p.id });
}

describe('compare: one group of runs, same weights and data order, trained by the pool', () => {
  it('four optimizers on the spiral set end with their own results, stored as one group that reopens', async () => {
    const project = await spiralProject('spiral');
    const optimizers = [{ name: 'adam', lr: 0.01 }, { name: 'sgd', lr: 0.03 }, { name: 'rprop' }, { name: 'lbfgs' }];
    const { groupId, runIds } = await ok<{ groupId: string; runIds: string[] }>('compare.start', { projectId: project.id, optimizers });
    expect(runIds).toHaveLength(4);
    const ends = await Promise.all(runIds.map(ended));
    expect(ends.map((e) => e.type === 'run.status' && e.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    const { group, runs } = await ok<{ group: CompareGroup; runs: Run[] }>('compare.get', { groupId });
    expect(group.settings.optimizers).toEqual(optimizers);
    expect(group.settings.threads).toBeGreaterThanOrEqual(1);
    expect(runs.map((r) => r.optimizer)).toEqual(['adam', 'sgd', 'rprop', 'lbfgs']);
    for (const r of runs) {
      expect(r.groupId).toBe(groupId);
      expect(r.history).toHaveLength(30);
    }
    // lbfgs trains on the full batch (it refuses mini-batches) and spends several evaluations a step.
    expect(runs[3].training.batch_size).toBe('full');
    expect(runs[3].history.at(-1)!.evals!).toBeGreaterThan(30);
    // sgd: 200 rows in batches of 10 → 20 steps an epoch, one evaluation each.
    expect(runs[1].history.at(-1)!.evals).toBe(30 * 20);
    expect((await ok<CompareGroup[]>('compare.list', { projectId: project.id })).map((g) => g.id)).toEqual([groupId]);
  });

  it('every compared run starts from the same initial weights (lr 0 keeps them: the models are equal)', async () => {
    const project = await spiralProject('same weights', 2);
    const { runIds } = await ok<{ runIds: string[] }>('compare.start', { projectId: project.id, optimizers: [{ name: 'sgd', lr: 0 }, { name: 'adam', lr: 0 }, { name: 'rmsprop', lr: 0 }] });
    await Promise.all(runIds.map(ended));
    const models = await Promise.all(runIds.map((runId) => ok<Run>('runs.get', { runId })));
    expect(models[1].model!.params).toEqual(models[0].model!.params);
    expect(models[2].model!.params).toEqual(models[0].model!.params);
    // …and the same data order: with lr 0 every epoch's loss is the same for all three.
    expect(models[1].history.map((p) => p.loss)).toEqual(models[0].history.map((p) => p.loss));
  });

  it('a bad optimizer block is refused by its index before any run is recorded', async () => {
    const project = await spiralProject('bad compare');
    const reply = await services.api.handle('compare.start', { projectId: project.id, optimizers: [{ name: 'adam' }, { name: 'adam', betas: [1.5, 0.999] }] });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_training', path: 'optimizers[1].betas' } });
    expect(await ok<unknown[]>('runs.list', { projectId: project.id })).toEqual([]);
    const lm = await services.api.handle('compare.start', { projectId: project.id, optimizers: [{ name: 'levenberg_marquardt' }], training: { loss: 'bce' } });
    expect(lm).toMatchObject({ ok: false, error: { code: 'invalid_training', path: 'training.loss', message: 'levenberg_marquardt needs a sum-of-squares loss (mse) for its Jacobian, got bce' } });
  });

  it('"use these weights": the chosen run becomes the project\'s model, and explain uses it', async () => {
    const project = await spiralProject('adopt', 3);
    const { runIds } = await ok<{ runIds: string[] }>('compare.start', { projectId: project.id, optimizers: [{ name: 'adam', lr: 0.05 }, { name: 'sgd', lr: 0.01 }] });
    await Promise.all(runIds.map(ended));
    const adopted = await ok<Project>('runs.adopt', { runId: runIds[1] });
    expect(adopted.modelRunId).toBe(runIds[1]);
    expect(adopted.training.optimizer).toEqual({ name: 'sgd', lr: 0.01 });
    const e = await ok<ModelExplanation>('models.explain', { projectId: project.id, row: 0 });
    expect(e.runId).toBe(runIds[1]);
  });
});

describe('run controls: pause, step, resume, learning rate, stop', () => {
  it('pause holds the epoch, step trains exactly one, a new lr is used and marked, stop lands within 0.5 s', async () => {
    const project = await spiralProject('controls', 1_000_000);
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: project.id });
    await when((e) => e.type === 'run.metrics' && e.runId === runId);
    const paused = when((e) => e.type === 'run.paused' && e.runId === runId && e.paused);
    expect(await ok('runs.pause', { runId })).toEqual({ ok: true });
    const p = (await paused) as Extract<ApiEvent, { type: 'run.paused' }>;
    await new Promise((r) => setTimeout(r, 300));
    const stored = () => ok<Run>('runs.get', { runId });
    await new Promise((r) => setTimeout(r, 300)); // the host writes metrics every 250 ms
    expect((await stored()).history.at(-1)!.epoch).toBe(p.epoch);

    const stepped = when((e) => e.type === 'run.metrics' && e.runId === runId);
    await ok('runs.setLr', { runId, lr: 0.001 });
    await ok('runs.step', { runId });
    const s = (await stepped) as Extract<ApiEvent, { type: 'run.metrics' }>;
    expect(s.points.map((q) => q.epoch)).toEqual([p.epoch + 1]);
    expect(s.points[0]).toMatchObject({ lr: 0.001, lr_set: 0.001 });
    await new Promise((r) => setTimeout(r, 200));
    expect(events.filter((e) => e.type === 'run.metrics' && e.runId === runId && e.points.some((q) => q.epoch > p.epoch + 1))).toEqual([]);

    const resumed = when((e) => e.type === 'run.metrics' && e.runId === runId && e.points.some((q) => q.epoch > p.epoch + 3));
    await ok('runs.resume', { runId });
    await resumed;
    const t0 = Date.now();
    const end = ended(runId);
    await ok('runs.stop', { runId });
    expect(await end).toMatchObject({ status: 'stopped' });
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('a stop lands within 0.5 s even inside one long epoch (50 000 rows, batch 1)', async () => {
    const p = await ok<Project>('projects.create', { name: 'long epoch', template: 'xor' });
    await ok('projects.save', { id: p.id, revision: p.revision, graph: p.graph, layout: {}, dataset: { kind: 'builtin', name: 'circle', points: 50_000 }, training: { loss: 'bce', optimizer: { name: 'sgd', lr: 0.01 }, epochs: 10, batch_size: 1 } });
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: p.id });
    await when((e) => e.type === 'run.status' && e.runId === runId && e.status === 'running');
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    const end = ended(runId);
    await ok('runs.stop', { runId });
    expect(await end).toMatchObject({ status: 'stopped' });
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('a trainer killed mid-compare fails those runs with the reason; the next run trains', async () => {
    const project = await spiralProject('killed', 1_000_000);
    const { runIds } = await ok<{ runIds: string[] }>('compare.start', { projectId: project.id, optimizers: [{ name: 'adam' }, { name: 'sgd', lr: 0.03 }, { name: 'rprop' }] });
    await when((e) => e.type === 'run.metrics' && e.runId === runIds[0]);
    process.kill(services.host.trainerPid!, 'SIGKILL');
    const ends = await Promise.all(runIds.map(ended));
    for (const e of ends) expect(e).toMatchObject({ status: 'failed', reason: 'trainer process was killed (SIGKILL)' });
    for (const runId of runIds) expect((await ok<Run>('runs.get', { runId })).status).toBe('failed');
    const next = await spiralProject('after the kill', 3);
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: next.id });
    expect(await ended(runId)).toMatchObject({ status: 'completed' });
  });
});
