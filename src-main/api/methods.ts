/**
 * The service behind every request: plain functions over the library (ProjectStore), the data sets
 * (DatasetService) and the TrainingHost. No IPC, no windows: tests call them through createApi.
 */
import {
  exportPytorch,
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
import type { Project } from './contract';
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
      meta: { project: project.name, dataset: view.name, inputNames: view.inputNames, outputNames: view.outputNames },
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

  const exportModel = (input: ParsedInput<'models.export'>): { fileName: string; text: string } => {
    const run = store.getRun(input.runId);
    if (!run.model) throw new ApiFailure('not_found', `run ${run.id} has no trained model yet`, 'runId');
    const base = safeFileName(`${String(run.model.meta?.project ?? 'model')}-${run.optimizer}`);
    if (input.format === 'json') return { fileName: `${base}.json`, text: JSON.stringify(run.model, null, 2) };
    return { fileName: `${base}.py`, text: exportPytorch(run.model) };
  };

  const importModel = (input: ParsedInput<'models.import'>): Project => {
    const model = parseModelJson(input.text);
    const project = store.getProject(input.projectId);
    store.saveProject({
      id: project.id,
      revision: project.revision,
      graph: { nodes: model.nodes, outputs: model.outputs },
      layout: project.layout,
      dataset: project.dataset,
      training: model.training ?? project.training,
    });
    return store.getProject(project.id);
  };

  return {
    'app.info': () => deps.info(),
    'projects.list': () => store.listProjects(),
    'projects.create': (input) => store.createProject(input.name, input.template),
    'projects.get': (input) => store.getProject(input.id),
    'projects.save': (input) => store.saveProject(input),
    'projects.delete': (input) => ({ deleted: store.deleteProject(input.id) }),
    'datasets.list': () => datasets.list(),
    'datasets.load': (input) => datasets.load(input.ref),
    'datasets.importCsv': (input) => datasets.importCsv(input.name, input.text, { missing: input.missing, target: input.target }),
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
  };
}
