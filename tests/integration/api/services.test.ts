import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ApiEvent, Project, Reply, Run } from '../../../src-main/api/contract';
import { createServices, nodeForkTrainer, type Services } from '../../../src-main/services/index';
import { parseModelJson } from '../../../src-engine/io';

const TRAINER_ENTRY = resolve(__dirname, '../../../src-main/trainer/entry.ts');
const XOR_TRAINING = { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 1500, batch_size: 'full' as const, seed: 3 };

let dir: string;
let services: Services;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ng-api-'));
  services = createServices({ libraryPath: join(dir, 'library.sqlite'), trainerEntry: TRAINER_ENTRY, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
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

function runEnded(runId: string): Promise<ApiEvent> {
  return new Promise((resolvePromise) => {
    const off = services.api.subscribe((e) => {
      if (e.type === 'run.status' && e.runId === runId && ['completed', 'stopped', 'failed'].includes(e.status)) {
        off();
        resolvePromise(e);
      }
    });
  });
}

describe('api over the real services (library, datasets, trainer process)', () => {
  it('creates the XOR project, trains it in the trainer process, stores its history, exports the model', async () => {
    const project = await ok<Project>('projects.create', { name: 'XOR', template: 'xor' });
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: project.id, training: XOR_TRAINING });
    const end = await runEnded(runId);
    expect(end).toMatchObject({ status: 'completed', projectId: project.id });

    const run = await ok<Run>('runs.get', { runId });
    expect(run.status).toBe('completed');
    expect(run.history.map((p) => p.epoch)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1));
    expect(run.finalLoss).toBeLessThan(0.05);
    expect(run.history.at(-1)!.loss).toBe(run.finalLoss);

    const json = await ok<{ fileName: string; text: string }>('models.export', { runId, format: 'json' });
    expect(json.fileName).toMatch(/\.json$/);
    const model = parseModelJson(json.text);
    expect(Object.keys(model.params ?? {})).toEqual(expect.arrayContaining(project.graph.nodes.filter((n) => n.type === 'Linear').map((n) => n.id)));
    const py = await ok<{ fileName: string; text: string }>('models.export', { runId, format: 'pytorch' });
    expect(py.fileName).toMatch(/\.py$/);
    expect(py.text).toContain('def build(');

    const runs = await ok<{ id: string }[]>('runs.list', { projectId: project.id });
    expect(runs.map((r) => r.id)).toContain(runId);
  });

  it('refuses to start a run on an invalid graph, naming the node', async () => {
    const project = await ok<Project>('projects.create', { name: 'broken', template: 'xor' });
    const linear = project.graph.nodes.find((n) => n.type === 'Linear')!;
    const graph = { ...project.graph, nodes: project.graph.nodes.map((n) => (n.id === linear.id ? { ...n, units: -3 } : n)) };
    await ok('projects.save', { id: project.id, revision: project.revision, graph, layout: project.layout, dataset: project.dataset, training: project.training });
    const reply = await services.api.handle('runs.start', { projectId: project.id });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid_model');
      expect(`${reply.error.path} ${reply.error.message}`).toContain(linear.id);
    }
    const runs = await ok<unknown[]>('runs.list', { projectId: project.id });
    expect(runs).toHaveLength(0);
  });

  it('maps store errors: stale revision → conflict, missing project → not_found, bad input → invalid_input with path, bad model → invalid_model', async () => {
    const project = await ok<Project>('projects.create', { name: 'twice', template: 'xor' });
    const save = { id: project.id, revision: project.revision, graph: project.graph, layout: project.layout, dataset: project.dataset, training: project.training };
    await ok('projects.save', save);
    const stale = await services.api.handle('projects.save', save);
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await services.api.handle('projects.get', { id: 'no-such-project' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await services.api.handle('runs.start', { projectId: 'no-such-project' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await services.api.handle('projects.save', { ...save, graph: { ...project.graph, nodes: [...project.graph.nodes, { id: '../etc', type: 'Linear' }] } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', path: `graph.nodes[${project.graph.nodes.length}].id` } });
    expect(await services.api.handle('projects.delete', {})).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'id' } });
    expect(await services.api.handle('models.import', { projectId: project.id, text: '{"format": "neurograph-model", "version": 1, "nodes": [' })).toMatchObject({ ok: false, error: { code: 'invalid_model' } });
    expect(await services.api.handle('constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
  });

  it('a killed trainer leaves the run failed with the reason in the library; the next run trains', async () => {
    const project = await ok<Project>('projects.create', { name: 'crash', template: 'xor' });
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: project.id, training: { ...XOR_TRAINING, epochs: 1_000_000 } });
    await new Promise<void>((r) => {
      const off = services.api.subscribe((e) => e.type === 'run.metrics' && e.runId === runId && (off(), r()));
    });
    const ended = runEnded(runId);
    process.kill(services.host.trainerPid!, 'SIGKILL');
    await ended;
    const run = await ok<Run>('runs.get', { runId });
    expect(run.status).toBe('failed');
    expect(run.reason).toBe('trainer process was killed (SIGKILL)');
    expect(run.history.length).toBeGreaterThan(0);

    const next = await ok<{ runId: string }>('runs.start', { projectId: project.id, training: { ...XOR_TRAINING, epochs: 50 } });
    expect(await runEnded(next.runId)).toMatchObject({ status: 'completed' });
  });

  it('runs.stop stops a training run; stopping an unknown run answers stopped: false', async () => {
    const project = await ok<Project>('projects.create', { name: 'stop', template: 'xor' });
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: project.id, training: { ...XOR_TRAINING, epochs: 1_000_000 } });
    const ended = runEnded(runId);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ok('runs.stop', { runId })).toEqual({ stopped: true });
    expect(await ended).toMatchObject({ status: 'stopped' });
    expect((await ok<Run>('runs.get', { runId })).model).not.toBeNull();
    expect(await ok('runs.stop', { runId })).toEqual({ stopped: false });
  });
});

describe('createServices on a damaged library file', () => {
  it('sets the damaged file aside, starts a fresh library and reports it through app.info', async () => {
    const own = mkdtempSync(join(tmpdir(), 'ng-corrupt-'));
    const path = join(own, 'library.sqlite');
    writeFileSync(path, 'this is not an SQLite database, just text that got written over the library '.repeat(100));
    const s = createServices({ libraryPath: path, trainerEntry: TRAINER_ENTRY, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
    try {
      const info = await s.api.handle('app.info', {});
      expect(info.ok).toBe(true);
      if (info.ok) {
        const data = info.data as { warning: string | null; readOnly: boolean };
        expect(data.readOnly).toBe(false);
        expect(data.warning).toMatch(/damaged/);
      }
      const asideFiles = readdirSync(own).filter((f) => f !== 'library.sqlite' && !f.startsWith('library.sqlite-'));
      expect(asideFiles.length).toBeGreaterThan(0);
      expect(readFileSync(join(own, asideFiles[0]), 'utf8')).toContain('not an SQLite database');
      expect((await s.api.handle('projects.create', { name: 'fresh' })).ok).toBe(true);
    } finally {
      await s.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('runs.start when the trainer cannot be started', () => {
  it('answers failed and leaves the run failed (not running) in the library', async () => {
    const own = mkdtempSync(join(tmpdir(), 'ng-nofork-'));
    const s = createServices({
      libraryPath: join(own, 'library.sqlite'),
      trainerEntry: TRAINER_ENTRY,
      trainerExecArgv: [],
      fork: () => {
        throw new Error('spawn EAGAIN');
      },
    });
    try {
      const created = await s.api.handle('projects.create', { name: 'x', template: 'xor' });
      const projectId = created.ok ? (created.data as Project).id : '';
      const reply = await s.api.handle('runs.start', { projectId });
      expect(reply).toMatchObject({ ok: false, error: { code: 'failed' } });
      if (!reply.ok) expect(reply.error.message).toContain('spawn EAGAIN');
      const runs = await s.api.handle('runs.list', { projectId });
      expect(runs.ok && (runs.data as { status: string; reason: string }[])).toEqual([expect.objectContaining({ status: 'failed', reason: expect.stringContaining('spawn EAGAIN') })]);
    } finally {
      await s.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});
