import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src-engine/train/types';
import { ConflictError, LibraryFullError, NotFoundError, ProjectStore, StoreInputError } from '../../../src-main/services/ProjectStore';
import { useTempLibrary } from './helpers';

const temp = useTempLibrary();

function open(): { store: ProjectStore; path: string } {
  const { path } = temp();
  return { store: new ProjectStore({ path }), path };
}

describe('projects', () => {
  it('creates the XOR template as Input(2)→Linear(4)→Tanh→Linear(1)→Sigmoid with bce and a layout for every node', () => {
    const { store } = open();
    const p = store.createProject('XOR', 'xor');
    expect(p.revision).toBe(1);
    expect(p.graph.nodes.map((n) => n.type)).toEqual(['Input', 'Linear', 'Tanh', 'Linear', 'Sigmoid']);
    expect(p.graph.nodes[0].size).toBe(2);
    expect(p.graph.nodes[1].units).toBe(4);
    expect(p.graph.nodes[3].units).toBe(1);
    expect(p.training.loss).toBe('bce');
    expect(Object.keys(p.layout).sort()).toEqual(p.graph.nodes.map((n) => n.id).sort());
    expect(store.listProjects().map((s) => s.name)).toEqual(['XOR']);
    store.close();
  });

  it('refuses an unknown template and an unknown id with typed errors', () => {
    const { store } = open();
    expect(() => store.createProject('x', 'nope')).toThrow(StoreInputError);
    expect(() => store.getProject('missing')).toThrow(NotFoundError);
    store.close();
  });

  it('saves from the current revision, bumps it, and refuses a stale one without changing anything (FAULTS 24)', () => {
    const { store } = open();
    const p = store.createProject('p', 'xor');
    const saved = store.saveProject({ ...p, revision: 1, name: 'renamed', layout: { x: { x: 5, y: 6 } } });
    expect(saved.revision).toBe(2);
    const stale = () => store.saveProject({ ...p, revision: 1, name: 'lost edit' });
    expect(stale).toThrow(ConflictError);
    try {
      stale();
    } catch (e) {
      expect((e as ConflictError).currentRevision).toBe(2);
    }
    const now = store.getProject(p.id);
    expect(now.name).toBe('renamed');
    expect(now.revision).toBe(2);
    expect(now.layout).toEqual({ x: { x: 5, y: 6 } });
    store.close();
  });

  it('refuses a stale save from a second connection to the same file (two app instances)', () => {
    const { store, path } = open();
    const other = new ProjectStore({ path });
    const p = store.createProject('shared', 'xor');
    const seen = other.getProject(p.id);
    store.saveProject({ ...p, revision: 1 });
    expect(() => other.saveProject({ ...seen, revision: seen.revision })).toThrow(ConflictError);
    other.close();
    store.close();
  });

  it('deletes a project with its runs, metrics and flags', () => {
    const { store, path } = open();
    const p = store.createProject('p', 'xor');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    store.appendMetrics(run.id, [{ epoch: 1, loss: 1 }]);
    store.appendFlags(run.id, [{ kind: 'nan', node: 'fc1', epoch: 1, message: 'NaN' }]);
    expect(store.deleteProject(p.id)).toBe(true);
    expect(store.deleteProject(p.id)).toBe(false);
    expect(() => store.getRun(run.id)).toThrow(NotFoundError);
    store.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT (SELECT COUNT(*) FROM metrics) + (SELECT COUNT(*) FROM flags)').pluck().get()).toBe(0);
    raw.close();
  });
});

describe('runs', () => {
  it('records a run from start to finish with its history in order, flags and model', () => {
    const { store } = open();
    const p = store.createProject('p', 'xor');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    expect(run.status).toBe('running');
    expect(run.optimizer).toBe('adam');
    const points: MetricPoint[] = Array.from({ length: 25 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1) }));
    store.appendMetrics(run.id, points.slice(0, 10));
    store.appendMetricBatches([{ runId: run.id, points: points.slice(10) }]);
    store.appendFlags(run, [{ kind: 'vanishing', node: 'fc1', epoch: 3, message: 'tiny gradients' }]);
    const model = { format: 'neurograph-model' as const, version: 1 as const, ...p.graph, params: { fc2: { bias: [0.5] } } };
    const end = store.finishRun(run.id, { model, finalLoss: 0.04, finalAccuracy: 1, epochs: 25 });
    expect(end).toMatchObject({ status: 'completed', epochs: 25, finalLoss: 0.04, finalAccuracy: 1 });
    expect(end.finishedAt).not.toBeNull();
    const got = store.getRun(run.id);
    expect(got.history).toEqual(points);
    expect(got.flags).toEqual([{ kind: 'vanishing', node: 'fc1', epoch: 3, message: 'tiny gradients' }]);
    expect(got.model).toEqual(model);
    expect(store.listRuns(p.id).map((r) => r.id)).toEqual([run.id]);
    store.close();
  });

  it('appends a metrics batch all or nothing: one bad point rolls the whole batch back', () => {
    const { store } = open();
    const p = store.createProject('p', 'xor');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    store.appendMetrics(run.id, [{ epoch: 1, loss: 0.9 }]);
    const batch = [{ epoch: 2, loss: 0.8 }, { epoch: 3, loss: 0.7 }, { epoch: -1, loss: 0.6 }];
    expect(() => store.appendMetrics(run.id, batch)).toThrow();
    expect(store.getRun(run.id).history).toEqual([{ epoch: 1, loss: 0.9 }]);
    expect(store.getRun(run.id).epochs).toBe(1);
    // A batch naming a missing run leaves the other runs' points out too.
    expect(() => store.appendMetricBatches([{ runId: run.id, points: [{ epoch: 2, loss: 0.8 }] }, { runId: 'gone', points: [] }])).toThrow(NotFoundError);
    expect(store.getRun(run.id).history).toHaveLength(1);
    store.close();
  });

  it('marks runs left running by a crash as failed with the reason, at the next open', () => {
    const { store, path } = open();
    const p = store.createProject('p', 'xor');
    const running = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    const done = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    store.finishRun(done.id, { model: null, finalLoss: 0.1, finalAccuracy: null });
    store.close(); // the "crash": the process ends with a run still 'running'
    const reopened = new ProjectStore({ path });
    expect(reopened.markInterruptedRuns()).toBe(1);
    expect(reopened.getRun(running.id)).toMatchObject({ status: 'failed', reason: 'interrupted before its first epoch: the process training it stopped during training' });
    expect(reopened.getRun(done.id).status).toBe('completed');
    reopened.close();
  });

  it('refuses a run for a missing project and an unknown status', () => {
    const { store } = open();
    expect(() => store.createRun({ projectId: 'nope', training: { loss: 'mse' }, graph: { nodes: [], outputs: [] } })).toThrow(NotFoundError);
    const p = store.createProject('p');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    expect(() => store.setRunStatus(run.id, 'exploded' as never)).toThrow(StoreInputError);
    store.setRunStatus(run.id, 'stopped', 'stopped by the user');
    expect(store.getRun(run.id)).toMatchObject({ status: 'stopped', reason: 'stopped by the user' });
    store.close();
  });
});

describe('persistence and full disk', () => {
  it('keeps everything committed across a close and reopen', () => {
    const { store, path } = open();
    const p = store.createProject('kept', 'xor');
    store.saveProject({ ...p, revision: 1, name: 'kept v2' });
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    store.appendMetrics(run.id, [{ epoch: 1, loss: 0.5, accuracy: 0.75 }]);
    store.close();
    const again = new ProjectStore({ path });
    expect(again.getProject(p.id)).toMatchObject({ name: 'kept v2', revision: 2 });
    expect(again.getRun(run.id).history).toEqual([{ epoch: 1, loss: 0.5, accuracy: 0.75 }]);
    again.close();
  });

  it('rolls a save back when the library is full, keeping the previous version (FAULTS 21)', () => {
    const { path } = temp();
    const store = new ProjectStore({ path, maxBytes: 256 * 1024 });
    const p = store.createProject('p', 'xor');
    const huge = { ...p.layout, big: { x: 1, y: 2 } } as Record<string, { x: number; y: number }>;
    for (let i = 0; i < 20000; i++) huge[`n${i}`] = { x: i, y: i };
    expect(() => store.saveProject({ ...p, revision: 1, name: 'too big', layout: huge })).toThrow(LibraryFullError);
    const kept = store.getProject(p.id);
    expect(kept).toMatchObject({ name: 'p', revision: 1 });
    expect(kept.layout).toEqual(p.layout);
    // Still usable for small writes afterwards.
    expect(store.saveProject({ ...p, revision: 1, name: 'small' }).revision).toBe(2);
    store.close();
  });
});
