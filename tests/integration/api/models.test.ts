/**
 * Models out and in through the api, over the real services and trainer: a model JSON imported keeps
 * its weights (explain uses them) and finds the data it names; ONNX out through the api is the
 * trained model; a table imported with scaling trains a model that carries it (meta.scaling), and
 * the CLI's predict takes raw rows through it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, DatasetSummary, ModelExplanation, ModelImport, Project, Reply, Run } from '../../../src-main/api/contract';
import { createServices, nodeForkTrainer, type Services } from '../../../src-main/services/index';
import { compile, importOnnx, predictRows, type ModelJson } from '../../../src-engine';

const REPO = resolve(__dirname, '../../..');
let dir: string;
let services: Services;
const events: ApiEvent[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ng-models-'));
  services = createServices({ libraryPath: join(dir, 'library.sqlite'), trainerEntry: join(REPO, 'src-main/trainer/entry.ts'), trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
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

async function train(projectId: string, training?: Record<string, unknown>): Promise<Run> {
  const { runId } = await ok<{ runId: string }>('runs.start', { projectId, training });
  await new Promise<void>((done) => {
    const finished = (e: ApiEvent) => e.type === 'run.status' && e.runId === runId && ['completed', 'stopped', 'failed'].includes(e.status);
    if (events.some(finished)) return done();
    const off = services.api.subscribe((e) => finished(e) && (off(), done()));
  });
  return ok<Run>('runs.get', { runId });
}

describe('models in and out', () => {
  it('imports a trained model JSON with its weights: explain uses them, and the data it names is picked', async () => {
    const source = await ok<Project>('projects.create', { name: 'source', template: 'xor-221' });
    const run = await train(source.id);
    expect(run.status).toBe('completed');
    const file = await ok<{ fileName: string; text: string }>('models.export', { runId: run.id, format: 'json' });
    const model = JSON.parse(file.text) as ModelJson;
    expect(model.meta?.dataset_ref).toEqual({ kind: 'builtin', name: 'xor' });

    const target = await ok<Project>('projects.create', { name: 'target', template: 'pima' });
    const imported = await ok<ModelImport>('models.import', { projectId: target.id, text: file.text });
    expect(imported).toMatchObject({ weights: true, dataFits: true });
    expect(imported.note).toMatch(/trained weights are the project's model.*trains on the built-in 'xor' data/);
    expect(imported.project.dataset).toEqual({ kind: 'builtin', name: 'xor' });
    expect(imported.project.graph.nodes.map((n) => n.id)).toEqual(model.nodes.map((n) => n.id));
    expect(imported.project.modelRunId).not.toBeNull();
    const runs = await ok<{ id: string; optimizer: string; status: string }[]>('runs.list', { projectId: target.id });
    expect(runs).toEqual([expect.objectContaining({ id: imported.project.modelRunId, optimizer: 'imported', status: 'completed' })]);

    // Explain follows the imported weights: its output for XOR's row 3 ([1, 1]) is the model's own prediction.
    const e = await ok<ModelExplanation>('models.explain', { projectId: target.id, row: 3 });
    expect(e.untrained).toBe(false);
    expect(e.input).toEqual([1, 1]);
    const expected = predictRows(compile(model, { dtype: 'float64' }), [[1, 1]])[0][0];
    expect(e.output[0]).toBeCloseTo(expected, 12);
    expect(Math.round(e.output[0])).toBe(0);
  });

  it('says which data a model needs when the project has none of its width', async () => {
    const p = await ok<Project>('projects.create', { name: 'needs', template: 'pima' });
    const model = {
      format: 'neurograph-model',
      version: 1,
      nodes: [{ id: 'x', type: 'Input', size: 3 }, { id: 'o', type: 'Linear', in: ['x'], units: 1 }],
      outputs: ['o'],
      meta: { dataset: 'Housing', inputNames: ['rooms', 'age', 'tax'], outputNames: ['price'] },
    };
    const imported = await ok<ModelImport>('models.import', { projectId: p.id, text: JSON.stringify(model) });
    expect(imported).toMatchObject({ weights: false, dataFits: false, needs: 'Housing (3 inputs: rooms, age, tax → price)' });
    expect(imported.note).toMatch(/It had no weights: train it; it needs Housing \(3 inputs: rooms, age, tax → price\), and the project's data does not fit/);
    expect(await ok<unknown[]>('runs.list', { projectId: p.id })).toEqual([]);
  });

  it('exports ONNX (base64) through the api: read back, it predicts as the trained model', async () => {
    const p = await ok<Project>('projects.create', { name: 'onnx', template: 'xor-221' });
    const run = await train(p.id, { epochs: 50 });
    const file = await ok<{ fileName: string; text: string; encoding?: string }>('models.export', { runId: run.id, format: 'onnx' });
    expect(file.fileName).toMatch(/\.onnx$/);
    expect(file.encoding).toBe('base64');
    const back = importOnnx(new Uint8Array(Buffer.from(file.text, 'base64')));
    const rows = [[0, 0], [0, 1], [1, 0], [1, 1]];
    const a = predictRows(compile(back, { dtype: 'float64' }), rows).flat();
    const b = predictRows(compile(run.model!, { dtype: 'float64' }), rows).flat();
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
    // …and into a project with its weights.
    const imported = await ok<ModelImport>('models.import', { projectId: p.id, text: file.text, format: 'onnx' });
    expect(imported.weights).toBe(true);
  });

  it('a table imported with standardize trains a model carrying the scaling; predict takes raw rows through it', async () => {
    const csv = readFileSync(join(REPO, 'resources/datasets/iris.csv'), 'utf8');
    const summary = await ok<DatasetSummary>('datasets.importCsv', { name: 'iris', text: csv, scaling: 'standardize' });
    const raw = csv.trim().split('\n').slice(1).map((l) => l.split(',').slice(0, 4).map(Number));
    const p = await ok<Project>('projects.create', { name: 'iris', template: 'blank' });
    const graph = {
      nodes: [
        { id: 'x', type: 'Input', size: 4 },
        { id: 'h', type: 'Linear', in: ['x'], units: 6 },
        { id: 'a', type: 'Tanh', in: ['h'] },
        { id: 'o', type: 'Linear', in: ['a'], units: 3 },
      ],
      outputs: ['o'],
    };
    await ok('projects.save', { id: p.id, revision: p.revision, graph, layout: {}, dataset: { kind: 'table', datasetId: summary.id }, training: { loss: 'cross_entropy', optimizer: { name: 'adam', lr: 0.05 }, epochs: 30, batch_size: 'full', seed: 2 } });
    const run = await train(p.id);
    const scaling = run.model!.meta!.scaling as { kind: string; mean: number[]; scale: number[] };
    // By hand: the column means and (population) standard deviations of the raw table.
    const n = raw.length;
    const mean = [0, 1, 2, 3].map((j) => raw.reduce((s, r) => s + r[j], 0) / n);
    const std = [0, 1, 2, 3].map((j) => Math.sqrt(raw.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / n));
    expect(scaling.kind).toBe('standardize');
    scaling.mean.forEach((m, j) => expect(m).toBeCloseTo(mean[j], 10));
    scaling.scale.forEach((s, j) => expect(s).toBeCloseTo(std[j], 10));

    // The CLI's predict on raw rows = the network on rows standardized by hand.
    const modelFile = join(dir, 'iris-model.json');
    const rawFile = join(dir, 'iris-raw.csv');
    writeFileSync(modelFile, JSON.stringify(run.model));
    writeFileSync(rawFile, raw.slice(0, 5).map((r) => r.join(',')).join('\n'));
    const out = JSON.parse(execFileSync(process.execPath, [join(REPO, 'bin/neurograph.mjs'), 'predict', modelFile, '--data', rawFile, '--json'], { encoding: 'utf8' }).trim().split('\n').at(-1)!).output as number[][];
    const byHand = raw.slice(0, 5).map((r) => r.map((v, j) => (v - mean[j]) / std[j]));
    const { meta: _m, ...unscaled } = run.model!;
    const expected = predictRows(compile(unscaled as ModelJson, { dtype: 'float64' }), byHand);
    out.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i], 9));
  });
});
