/** A project's revision history (schema v5 triggers), rename and duplicate. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, ProjectStore } from '../../../src-main/services/ProjectStore';
import { migrate } from '../../../src-main/services/ProjectStore';
import { useTempLibrary } from './helpers';

const temp = useTempLibrary();
const open = () => new ProjectStore({ path: temp().path });

describe('revision history', () => {
  it('keeps every save, rename and "use these weights" as a revision, newest first, each with its content', () => {
    const store = open();
    const p = store.createProject('Hist', 'xor');
    const r2 = store.saveProject({ ...p, revision: 1, training: { ...p.training, epochs: 11 } });
    const r3 = store.saveProject({ ...p, revision: r2.revision, graph: { nodes: p.graph.nodes.slice(0, 3), outputs: ['act1'] }, training: { ...p.training, epochs: 22 } });
    const renamed = store.renameProject(p.id, 'Hist renamed');
    expect([r2.revision, r3.revision, renamed.revision]).toEqual([2, 3, 4]);
    const run = store.createRun({ projectId: p.id, training: { ...p.training, optimizer: { name: 'sgd', lr: 0.1 } }, graph: p.graph });
    store.finishRun(run.id, { status: 'completed', model: { format: 'neurograph-model', version: 1, ...p.graph }, finalLoss: 0.1, finalAccuracy: 1 });
    store.adoptRun(run.id);

    const list = store.listRevisions(p.id);
    expect(list.map((r) => r.revision)).toEqual([5, 4, 3, 2, 1]);
    // XOR 2-4-1: 5 nodes and 4 edges; revision 3 kept the first three nodes (2 edges).
    expect(list.find((r) => r.revision === 1)).toMatchObject({ name: 'Hist', nodes: 5, edges: 4, optimizer: 'adam' });
    expect(list.find((r) => r.revision === 3)).toMatchObject({ nodes: 3, edges: 2 });
    expect(list.find((r) => r.revision === 4)).toMatchObject({ name: 'Hist renamed' });
    expect(list.find((r) => r.revision === 5)).toMatchObject({ optimizer: 'sgd' });
    expect(store.getRevision(p.id, 2).training.epochs).toBe(11);
    expect(store.getRevision(p.id, 3).graph.outputs).toEqual(['act1']);
    expect(store.getRevision(p.id, 1).graph).toEqual(p.graph);
    expect(() => store.getRevision(p.id, 99)).toThrow(/has no revision 99/);
    // A save from before the rename is stale: the rename took a revision.
    expect(() => store.saveProject({ ...p, revision: 3 })).toThrow(ConflictError);
    store.close();
  });

  it('keeps the newest 200 revisions of a project and drops them with the project', () => {
    const store = open();
    const p = store.createProject('Long', 'xor');
    let rev = 1;
    for (let i = 0; i < 210; i++) rev = store.saveProject({ ...p, revision: rev, training: { ...p.training, epochs: i + 1 } }).revision;
    const list = store.listRevisions(p.id);
    expect(list).toHaveLength(200);
    expect(list[0].revision).toBe(211);
    expect(list.at(-1)!.revision).toBe(12);
    expect(store.getRevision(p.id, 211).training.epochs).toBe(210);
    store.deleteProject(p.id);
    expect(() => store.listRevisions(p.id)).toThrow(NotFoundError);
    store.close();
  });

  it('gives a library from before the history its current revisions as the first ones', () => {
    const { path } = temp();
    const db = new Database(path);
    migrate(db, 4);
    db.prepare("INSERT INTO projects (id, name, revision, graph, layout, dataset, training, created_at, updated_at) VALUES ('old', 'Old', 7, ?, '{}', ?, ?, 't0', 't1')")
      .run(JSON.stringify({ nodes: [{ id: 'x', type: 'Input', size: 2 }], outputs: ['x'] }), JSON.stringify({ kind: 'builtin', name: 'xor' }), JSON.stringify({ loss: 'mse', optimizer: { name: 'rprop' } }));
    db.close();
    const store = new ProjectStore({ path });
    expect(store.listRevisions('old')).toEqual([{ revision: 7, savedAt: 't1', name: 'Old', nodes: 1, edges: 0, optimizer: 'rprop' }]);
    store.close();
  });
});

describe('rename and duplicate', () => {
  it('duplicates the saved content under "(copy)", then "(copy 2)", without the runs', () => {
    const store = open();
    const p = store.createProject('Orig', 'xor');
    store.saveProject({ ...p, revision: 1, training: { ...p.training, epochs: 77 } });
    store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    const a = store.duplicateProject(p.id);
    const b = store.duplicateProject(p.id);
    expect([a.name, b.name]).toEqual(['Orig (copy)', 'Orig (copy 2)']);
    expect(a.id).not.toBe(p.id);
    expect(a.revision).toBe(1);
    expect(a.training.epochs).toBe(77);
    expect(a.graph).toEqual(p.graph);
    expect(a.layout).toEqual(p.layout);
    expect(store.listRuns(a.id)).toEqual([]);
    expect(store.listRuns(p.id)).toHaveLength(1);
    expect(store.duplicateProject(p.id, 'Mine').name).toBe('Mine');
    expect(store.duplicateProject(p.id, 'Mine').name).toBe('Mine (2)');
    expect(() => store.renameProject('nope', 'x')).toThrow(NotFoundError);
    store.close();
  });
});
