/**
 * The service behind every request: plain functions over the library (ProjectStore), the data sets
 * (DatasetService) and the TrainingHost. No IPC, no windows: tests call them through createApi.
 */
import { adaptTargets } from '../../src-engine/data/targets';
import { validateGraph } from '../../src-engine/graph';
import type { GraphSpec, ModelJson, TrainingBlock } from '../../src-engine/graph/types';
import { exportPytorch, parseModelJson } from '../../src-engine/io';
import type { HostRun } from '../services/TrainingHostTypes';
import type { DatasetRef, DatasetSummary, DatasetView, Project, ProjectSummary, Run, RunSummary } from './contract';
import { ApiFailure } from './errors';
import { explainSample } from './explain';
import type { ParsedInput, ServiceMethods } from './handlers';

/** What the api needs from the ProjectStore (src-main/services/ProjectStore.ts). */
export interface LibraryStore {
  listProjects(): ProjectSummary[];
  createProject(name: string, template?: string): Project;
  getProject(id: string): Project;
  saveProject(input: ParsedInput<'projects.save'>): { revision: number; updatedAt: string };
  deleteProject(id: string): boolean;
  createRun(input: { projectId: string; training: TrainingBlock; graph: GraphSpec }): RunSummary;
  finishRun(runId: string, end: { status: 'failed'; reason: string; model: null; finalLoss: null; finalAccuracy: null }): unknown;
  listRuns(projectId: string): RunSummary[];
  getRun(runId: string): Run;
}

/** What the api needs from the DatasetService. */
export interface DatasetCatalog {
  list(): DatasetSummary[];
  load(ref: DatasetRef): DatasetView;
  importCsv(name: string, text: string): DatasetSummary;
}

/** What the api needs from the TrainingHost. */
export interface RunHost {
  start(run: HostRun): void;
  stop(runId: string): boolean;
}

export interface MethodDeps {
  store: LibraryStore;
  datasets: DatasetCatalog;
  host: RunHost;
  info(): { version: string; libraryPath: string; readOnly: boolean; warning: string | null };
}

/** A refused graph names the node (and field) that is wrong; the first error is reported. */
function refuseInvalidGraph(graph: GraphSpec): void {
  const error = validateGraph(graph).find((issue) => issue.severity === 'error');
  if (!error) return;
  const path = error.path ?? (error.nodeId ? (error.field ? `${error.nodeId}.${error.field}` : error.nodeId) : undefined);
  throw new ApiFailure('invalid_input', error.message, path);
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return cleaned || 'model';
}

export function createMethods(deps: MethodDeps): ServiceMethods {
  const { store, datasets, host } = deps;

  const startRun = (input: ParsedInput<'runs.start'>): { runId: string } => {
    const project = store.getProject(input.projectId);
    const training = { ...project.training, ...(input.training ?? {}) } as TrainingBlock;
    refuseInvalidGraph(project.graph);
    const view = datasets.load(project.dataset);
    const graph: GraphSpec = { nodes: project.graph.nodes, outputs: project.graph.outputs };
    const run = store.createRun({ projectId: project.id, training, graph });
    const model: ModelJson = {
      format: 'neurograph-model',
      version: 1,
      ...graph,
      training,
      meta: { project: project.name, dataset: view.name, inputNames: view.inputNames, outputNames: view.outputNames },
    };
    try {
      // Class targets in the form this loss and output layer expect (±1 for a tanh output with mse, as the Playground).
      const y = adaptTargets(graph, training.loss, view.task, view.y);
      host.start({ runId: run.id, projectId: project.id, model, data: { x: view.x, y, task: view.task }, training });
    } catch (err) {
      // The trainer could not be started: the run must not stay 'running' in the library.
      const reason = `could not start the trainer: ${err instanceof Error ? err.message : String(err)}`;
      store.finishRun(run.id, { status: 'failed', reason, model: null, finalLoss: null, finalAccuracy: null });
      throw new ApiFailure('failed', reason);
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
      training: (model.training ?? project.training) as ParsedInput<'projects.save'>['training'],
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
    'datasets.importCsv': (input) => datasets.importCsv(input.name, input.text),
    'runs.list': (input) => store.listRuns(input.projectId),
    'runs.get': (input) => store.getRun(input.runId),
    'runs.start': startRun,
    'runs.stop': (input) => ({ stopped: host.stop(input.runId) }),
    'models.export': exportModel,
    'models.import': importModel,
    'models.explain': (input) => explainSample(store, datasets, input),
  };
}
