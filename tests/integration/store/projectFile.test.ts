/**
 * Project files (`.neurograph`): a project with its table, runs, metrics, flags, models and compares
 * goes out of one library and into another whole, under new ids; a hostile file (FAULTS 1, 2, 4, 5)
 * is refused before anything is written.
 */
import { describe, expect, it } from 'vitest';
import { ProjectStore, PROJECT_FILE_FORMAT } from '../../../src-main/services/ProjectStore';
import { DatasetService } from '../../../src-main/services/DatasetService';
import { xorModel, xorTraining } from '../../helpers/xor';
import { useTempLibrary } from './helpers';

const temp = useTempLibrary();
const CSV = 'a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n';

/** A project on an imported table with a finished run (model, points, flags), a compare of two runs, and adopted weights. */
function richProject(store: ProjectStore) {
  const table = new DatasetService(store).importCsv('xor table', CSV, { target: ['label'] });
  const p = store.createProject('rich', 'xor');
  store.saveProject({ ...store.getProject(p.id), dataset: { kind: 'table', datasetId: table.id, target: ['label'] } });
  const run = store.createRun({ projectId: p.id, training: xorTraining(3), graph: p.graph });
  store.appendMetrics(run, [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, grad_norms: { fc1: 0.1 * epoch }, health: { fc1: ['vanishing' as const] } })));
  store.appendFlags(run, [{ epoch: 2, kind: 'vanishing', node: 'fc1', message: 'fc1 gets almost no gradient' }]);
  const model = { ...xorModel(4, xorTraining(3)), params: { fc1: { weight: [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6], [0.7, 0.8]], bias: [0, 0, 0, 0] }, fc2: { weight: [[1, 2, 3, 4]], bias: [0.5] } } };
  store.finishRun(run, { model, finalLoss: 1 / 3, finalAccuracy: 0.75, epochs: 3 });
  store.adoptRun(run.id);
  const compare = store.createCompare(p.id, { training: xorTraining(2), optimizers: [{ name: 'adam' }, { name: 'sgd' }], threads: 2 }, [
    { training: { ...xorTraining(2), optimizer: { name: 'adam' } }, graph: p.graph },
    { training: { ...xorTraining(2), optimizer: { name: 'sgd' } }, graph: p.graph },
  ]);
  for (const r of compare.runs) store.finishRun(r.id, { model: null, finalLoss: 0.5, finalAccuracy: null, epochs: 0 });
  return { project: store.getProject(p.id), run, table };
}

describe('project files', () => {
  it('export → import into another library: the same project, table, runs, points, flags, models and compares, under new ids', () => {
    const a = new ProjectStore({ path: temp().path });
    const { project, run } = richProject(a);
    const file = a.exportProjectFile(project.id);
    expect(file.fileName).toBe('rich.neurograph');
    const parsed = JSON.parse(file.text);
    expect(parsed).toMatchObject({ format: PROJECT_FILE_FORMAT, version: 1 });
    expect(parsed.dataset.csv).toBe(CSV);

    const b = new ProjectStore({ path: temp().path });
    const imported = b.importProjectFile(file.text);
    expect(imported.id).not.toBe(project.id);
    expect(imported).toMatchObject({ name: 'rich', graph: project.graph, layout: project.layout, training: project.training });
    expect(imported.dataset.kind).toBe('table');
    const datasetId = imported.dataset.kind === 'table' ? imported.dataset.datasetId : '';
    expect(b.getDataset(datasetId)).toMatchObject({ name: 'xor table', csv: CSV, options: { target: ['label'] } });
    // The table loads in the new library to the same rows.
    expect(new DatasetService(b).load(imported.dataset)).toEqual(new DatasetService(a).load(project.dataset));

    const runs = b.listRuns(imported.id);
    expect(runs).toHaveLength(3);
    const single = runs.find((r) => r.groupId === null)!;
    expect(single.id).not.toBe(run.id);
    expect(imported.modelRunId).toBe(single.id);
    const full = b.getRun(single.id);
    const original = a.getRun(run.id);
    expect(full.history).toEqual(original.history);
    expect(full.flags).toEqual(original.flags);
    expect(full.model).toEqual(original.model);
    expect(full).toMatchObject({ status: 'completed', finalLoss: 1 / 3, finalAccuracy: 0.75, epochs: 3, optimizer: original.optimizer });
    const [group] = b.listCompares(imported.id);
    expect(group.settings).toEqual(a.listCompares(project.id)[0].settings);
    expect(group.runs.map((r) => r.optimizer)).toEqual(['adam', 'sgd']);
    a.close();
    b.close();
  });

  it('a name already taken gets " (2)", then " (3)" — for the project and for its table', () => {
    const store = new ProjectStore({ path: temp().path });
    const { project } = richProject(store);
    const text = store.exportProjectFile(project.id).text;
    expect(store.importProjectFile(text).name).toBe('rich (2)');
    const third = store.importProjectFile(text);
    expect(third.name).toBe('rich (3)');
    expect(store.listDatasets().map((d) => d.name).sort()).toEqual(['xor table', 'xor table (2)', 'xor table (3)']);
    store.close();
  });

  it('a run still training when exported arrives ended, saying so', () => {
    const store = new ProjectStore({ path: temp().path });
    const p = store.createProject('live', 'xor');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    store.appendMetrics(run, [{ epoch: 1, loss: 1 }, { epoch: 2, loss: 0.5 }]);
    const imported = store.importProjectFile(store.exportProjectFile(p.id).text);
    const [r] = store.listRuns(imported.id);
    expect(r).toMatchObject({ status: 'failed', reason: 'not finished when the project was exported (at epoch 2)' });
    store.close();
  });

  it('refuses hostile files before writing anything: not JSON, cut short, wrong shape, prototype keys, deep nesting, bad model, newer version', () => {
    const store = new ProjectStore({ path: temp().path });
    const { project } = richProject(store);
    const good = JSON.parse(store.exportProjectFile(project.id).text);
    const before = { projects: store.listProjects().length, datasets: store.listDatasets().length };
    const refuse = (text: string) => {
      try {
        store.importProjectFile(text);
      } catch (e) {
        return e as Error & { code: string; path?: string };
      }
      throw new Error('expected the file to be refused');
    };
    expect(refuse('not json at all')).toMatchObject({ code: 'invalid_model' });
    expect(refuse(JSON.stringify(good).slice(0, 300)).message).toMatch(/not valid JSON/);
    expect(refuse(JSON.stringify({ ...good, format: 'neurograph-model' })).message).toMatch(/format/);
    const badUnits = structuredClone(good);
    badUnits.runs[0].graph.nodes = 'many';
    expect(refuse(JSON.stringify(badUnits))).toMatchObject({ path: 'runs[0].graph.nodes' });
    const proto = JSON.stringify(good).replace('"project":{', '"project":{"__proto__":{"polluted":true},');
    expect(refuse(proto).message).toMatch(/__proto__/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deep = structuredClone(good);
    let node: Record<string, unknown> = deep.project.layout;
    for (let i = 0; i < 40; i++) node = (node[`k${i}`] = {}) as Record<string, unknown>;
    expect(refuse(JSON.stringify(deep)).message).toMatch(/nested more than/);
    const badModel = structuredClone(good);
    const single = badModel.runs.find((r: { model: unknown }) => r.model);
    single.model.nodes[1].units = -4;
    expect(refuse(JSON.stringify(badModel)).path).toMatch(/^runs\[\d+\]\.model/);
    expect(refuse(JSON.stringify({ ...good, version: 2 }))).toMatchObject({ code: 'newer_version' });
    expect(refuse('x'.repeat(64_000_001)).message).toMatch(/the limit is 64 MB/);
    expect({ projects: store.listProjects().length, datasets: store.listDatasets().length }).toEqual(before);
    store.close();
  });
});
