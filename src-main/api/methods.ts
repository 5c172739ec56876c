/**
 * The service behind every request: plain functions over the library (ProjectStore), the data sets
 * (DatasetService) and the TrainingHost. No IPC, no windows: tests call them through createApi.
 */
import {
  exportOnnx,
  exportPytorch,
  importOnnx,
  initialModel,
  NeurographError,
  OPTIMIZER_CATALOG,
  parseModelJson,
  prepareRun,
  validateGraph,
  type DataTable,
  type GraphSpec,
  type ModelJson,
  type TrainingBlock,
} from '../../src-engine';
import type { DatasetRef, ModelImport } from './contract';
import type { MethodDeps } from './deps';
import { ApiFailure } from './errors';
import { explainSample } from './explain';
import type { ParsedInput, ServiceMethods } from './handlers';

/** A refused graph names the node (and field) that is wrong; the first error is reported. */
function refuseInvalidGraph(graph: GraphSpec): void {
  const error = validateGraph(graph).find((issue) => issue.severity === 'error');
  if (!error) return;
  const path = error.path ?? (error.nodeId ? (error.field ? `${error.nodeId}.${error.field}` : error.nodeId) : undefined);
  throw new ApiFailure('invalid_model', error.message, path);
}

function isDatasetRef(v: unknown): v is DatasetRef {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (r.kind === 'builtin' && typeof r.name === 'string') || (r.kind === 'table' && typeof r.datasetId === 'string');
}

function describeRef(ref: DatasetRef): string {
  return ref.kind === 'builtin' ? `the built-in '${ref.name}' data` : 'its imported table';
}

/** "Pima Indians Diabetes (8 inputs: pregnancies, glucose, … → 1 output)" from a model's meta, or null. */
function describeNeeds(meta: Record<string, unknown>, width: number): string | null {
  const names = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const inputs = names(meta.inputNames);
  const outputs = names(meta.outputNames);
  if (typeof meta.dataset !== 'string' && inputs.length === 0) return null;
  const shown = inputs.length > 6 ? [...inputs.slice(0, 5), '…'] : inputs;
  const cols = `${width} input${width === 1 ? '' : 's'}${shown.length ? `: ${shown.join(', ')}` : ''}${outputs.length ? ` → ${outputs.join(', ')}` : ''}`;
  return typeof meta.dataset === 'string' ? `${meta.dataset} (${cols})` : `data with ${cols}`;
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return cleaned || 'model';
}

export function createMethods(deps: MethodDeps): ServiceMethods {
  const { store, datasets, host } = deps;

  /** The project's network and data as a run needs them, the graph checked first. */
  const runInputs = (projectId: string, override: Record<string, unknown> | undefined) => {
    const project = store.getProject(projectId);
    const training = { ...project.training, ...(override ?? {}) } as TrainingBlock;
    refuseInvalidGraph(project.graph);
    const view = datasets.load(project.dataset);
    const graph: GraphSpec = { nodes: project.graph.nodes, outputs: project.graph.outputs };
    const model: ModelJson = {
      format: 'neurograph-model',
      version: 1,
      ...graph,
      training,
      // dataset_ref: an imported copy of this model finds its data again.
      meta: {
        project: project.name,
        dataset: view.name,
        dataset_ref: project.dataset,
        inputNames: view.inputNames,
        outputNames: view.outputNames,
        // The table's rows were scaled before training: predict, ONNX and PyTorch scale raw rows the same way.
        ...(view.scaling ? { scaling: view.scaling } : {}),
      },
    };
    const data: DataTable = { x: view.x, y: view.y, task: view.task };
    return { project, training, graph, model, data };
  };

  const failToStart = (runId: string, err: unknown): never => {
    // The trainer could not be started: the run must not stay 'running' in the library.
    const reason = `could not start the trainer: ${err instanceof Error ? err.message : String(err)}`;
    store.finishRun(runId, { status: 'failed', reason, model: null, finalLoss: null, finalAccuracy: null });
    throw new ApiFailure('failed', reason);
  };

  /**
   * A compare: every run gets the same initial weights (initialized once, from the base block's seed and
   * initializer) and the same data order (the same seed); full-batch-only methods train on the full
   * batch. Every run's block is checked before anything is recorded; a bad one is named by its index.
   */
  const startCompare = (input: ParsedInput<'compare.start'>): { groupId: string; runIds: string[] } => {
    const { project, training: base, graph, model, data } = runInputs(input.projectId, input.training);
    const blocks = input.optimizers.map((optimizer, i) => {
      const info = OPTIMIZER_CATALOG.find((o) => o.name === optimizer.name);
      const block: TrainingBlock = { ...base, optimizer: optimizer as TrainingBlock['optimizer'], ...(info?.fullBatchOnly ? { batch_size: 'full' } : {}) };
      try {
        prepareRun(model, data, block);
      } catch (e) {
        if (!(e instanceof NeurographError)) throw e;
        // A bad hyper-parameter is named by its entry; anything else (the loss LM needs…) by its block field.
        const own = e.path?.match(/^training\.optimizer\.?(.*)$/);
        const path = own ? `optimizers[${i}]${own[1] ? `.${own[1]}` : ''}` : e.path;
        throw new ApiFailure(e.code, e.message.startsWith(optimizer.name) ? e.message : `${optimizer.name}: ${e.message}`, path);
      }
      return block;
    });
    const seeded = initialModel(model, base);
    const settings = { training: base, optimizers: input.optimizers as { name: string }[], threads: host.threads };
    const { groupId, runs } = store.createCompare(project.id, settings, blocks.map((training) => ({ training, graph })));
    runs.forEach((run, i) => {
      try {
        host.start({ runId: run.id, projectId: project.id, model: { ...seeded, training: blocks[i] }, data, training: blocks[i] });
      } catch (err) {
        failToStart(run.id, err);
      }
    });
    return { groupId, runIds: runs.map((r) => r.id) };
  };

  /**
   * Checks everything about the run before it is recorded — the graph, the whole training block
   * (checkTraining, by field) and the data against both (prepareRun) — so a run that cannot train
   * is answered with the field at fault and never gets a row in the library.
   */
  const startRun = (input: ParsedInput<'runs.start'>): { runId: string } => {
    const { project, training, graph, model, data } = runInputs(input.projectId, input.training);
    prepareRun(model, data, training);
    const run = store.createRun({ projectId: project.id, training, graph });
    try {
      host.start({ runId: run.id, projectId: project.id, model, data, training });
    } catch (err) {
      failToStart(run.id, err);
    }
    return { runId: run.id };
  };

  const exportModel = (input: ParsedInput<'models.export'>): { fileName: string; text: string; encoding?: 'base64' } => {
    const run = store.getRun(input.runId);
    if (!run.model) throw new ApiFailure('not_found', `run ${run.id} has no trained model yet`, 'runId');
    const base = safeFileName(`${String(run.model.meta?.project ?? 'model')}-${run.optimizer}`);
    if (input.format === 'json') return { fileName: `${base}.json`, text: JSON.stringify(run.model, null, 2) };
    if (input.format === 'onnx') return { fileName: `${base}.onnx`, text: Buffer.from(exportOnnx(run.model)).toString('base64'), encoding: 'base64' };
    return { fileName: `${base}.py`, text: exportPytorch(run.model) };
  };

  /**
   * A model file into the project: its graph and training block become the project's, and its weights
   * (when it has them) are kept as a finished "imported" run the project uses — so explain and predict
   * use them, as after "use these weights". The data it needs is the one its meta names: that data
   * set when it is in the library and fits, else the project's when its width fits, else named in the note.
   */
  const importModel = (input: ParsedInput<'models.import'>): ModelImport => {
    const model = input.format === 'onnx' ? importOnnx(new Uint8Array(Buffer.from(input.text, 'base64'))) : parseModelJson(input.text);
    const project = store.getProject(input.projectId);
    const graph: GraphSpec = { nodes: model.nodes, outputs: model.outputs };
    refuseInvalidGraph(graph);
    const width = Number(model.nodes.find((n) => n.type === 'Input')?.size);
    const meta = model.meta ?? {};
    const needs = describeNeeds(meta, width);
    const fits = (ref: DatasetRef): boolean => {
      try {
        const view = datasets.load(ref);
        return (view.x[0]?.length ?? 0) === width;
      } catch {
        return false;
      }
    };
    const named = isDatasetRef(meta.dataset_ref) && fits(meta.dataset_ref) ? meta.dataset_ref : null;
    const dataset = named ?? project.dataset;
    const dataFits = named !== null || fits(project.dataset);
    const training = (model.training ?? project.training) as TrainingBlock;
    const layout = Object.fromEntries(Object.entries(project.layout ?? {}).filter(([id]) => graph.nodes.some((n) => n.id === id)));
    store.saveProject({ id: project.id, revision: project.revision, graph, layout, dataset, training });
    const weights = model.params !== undefined && Object.keys(model.params).length > 0;
    if (weights) {
      const run = store.createRun({ projectId: project.id, training, graph, optimizer: 'imported' });
      store.finishRun(run.id, { status: 'completed', reason: `imported from a ${input.format === 'onnx' ? 'ONNX' : 'model JSON'} file`, model, epochs: 0, finalLoss: null, finalAccuracy: null });
      store.adoptRun(run.id);
    }
    const kept = weights ? 'Its trained weights are the project\'s model (explain and predict use them)' : 'It had no weights: train it';
    const data = dataFits
      ? `it trains on ${named ? describeRef(named) : 'the project\'s data'}`
      : `it needs ${needs ?? `data with ${width} inputs`}, and the project's data does not fit: import that table (Data › Import CSV)`;
    return { project: store.getProject(project.id), weights, needs, dataFits, note: `${kept}; ${data}.` };
  };

  return {
    'app.info': () => deps.info(),
    'projects.list': () => store.listProjects(),
    'projects.templates': () => [...deps.templates],
    'projects.create': (input) => store.createProject(input.name, input.template),
    'projects.get': (input) => store.getProject(input.id),
    'projects.save': (input) => store.saveProject(input),
    'projects.delete': (input) => ({ deleted: store.deleteProject(input.id) }),
    'projects.rename': (input) => store.renameProject(input.id, input.name),
    'projects.duplicate': (input) => store.duplicateProject(input.id, input.name),
    'projects.revisions': (input) => store.listRevisions(input.id),
    'projects.revision': (input) => store.getRevision(input.id, input.revision),
    'datasets.list': () => datasets.list(),
    'datasets.load': (input) => datasets.load(input.ref),
    'datasets.importCsv': (input) => datasets.importCsvInWorker(input.name, input.text, { missing: input.missing, target: input.target, importId: input.importId, scaling: input.scaling }),
    'runs.list': (input) => store.listRuns(input.projectId),
    'runs.get': (input) => store.getRun(input.runId),
    'runs.start': startRun,
    'runs.stop': (input) => ({ stopped: host.stop(input.runId) }),
    'runs.pause': (input) => ({ ok: host.pause(input.runId) }),
    'runs.resume': (input) => ({ ok: host.resume(input.runId) }),
    'runs.step': (input) => ({ ok: host.step(input.runId) }),
    'runs.setLr': (input) => ({ ok: host.setLearningRate(input.runId, input.lr) }),
    'runs.adopt': (input) => store.adoptRun(input.runId),
    'compare.start': startCompare,
    'compare.list': (input) => store.listCompares(input.projectId),
    'compare.get': (input) => {
      const group = store.getCompare(input.groupId);
      return { group, runs: group.runs.map((r) => store.getRun(r.id)) };
    },
    'compare.stop': (input) => ({ stopped: store.getCompare(input.groupId).runs.filter((r) => host.stop(r.id)).length }),
    'models.export': exportModel,
    'models.import': importModel,
    'models.explain': (input) => explainSample(store, datasets, input),
    // The library's safety: backups and project files (issue "the library under stress").
    'library.backup': async () => ({ file: await store.backupNow() }),
    'projects.exportFile': (input) => store.exportProjectFile(input.id),
    'projects.importFile': (input) => store.importProjectFile(input.text),
  };
}
