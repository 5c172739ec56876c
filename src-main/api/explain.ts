/**
 * models.explain: one sample's forward and backward pass through the project's model, with the
 * weights of a finished (or checkpointed) run, or the seeded initialization when no run has a model.
 */
import { adaptTargets } from '../../src-engine/data/targets';
import { compile } from '../../src-engine/graph';
import type { GraphSpec, ModelJson, TrainingBlock } from '../../src-engine/graph/types';
import { explain } from '../../src-engine/train';
import type { ModelExplanation, Run } from './contract';
import { ApiFailure } from './errors';
import type { ParsedInput } from './handlers';
import type { DatasetCatalog, LibraryStore } from './methods';

function sameGraph(a: GraphSpec, b: GraphSpec): boolean {
  return JSON.stringify({ n: a.nodes, o: a.outputs }) === JSON.stringify({ n: b.nodes, o: b.outputs });
}

/** The run whose model explains the project: the named one, else the newest with a model of the current graph. */
function pickRun(store: LibraryStore, projectId: string, graph: GraphSpec, runId?: string): Run | null {
  if (runId !== undefined) {
    const run = store.getRun(runId);
    if (run.projectId !== projectId) throw new ApiFailure('not_found', `run ${runId} does not belong to project ${projectId}`, 'runId');
    if (!run.model) throw new ApiFailure('not_found', `run ${runId} has no trained model yet`, 'runId');
    return run;
  }
  for (const summary of store.listRuns(projectId)) {
    const run = store.getRun(summary.id);
    if (run.model && sameGraph(run.model, graph)) return run;
  }
  return null;
}

export function explainSample(store: LibraryStore, datasets: DatasetCatalog, input: ParsedInput<'models.explain'>): ModelExplanation {
  const project = store.getProject(input.projectId);
  const run = pickRun(store, project.id, project.graph, input.runId);
  const training: TrainingBlock = (run ? run.training : project.training) as TrainingBlock;
  let model: ModelJson;
  if (run?.model) {
    model = run.model;
  } else {
    const base: ModelJson = { format: 'neurograph-model', version: 1, nodes: project.graph.nodes, outputs: project.graph.outputs, training };
    // The same initialization the trainer would start from (TrainingSession: seed ?? 1, training.init).
    const init = compile(base, { dtype: 'float64', seed: training.seed ?? 1, init: training.init });
    model = { ...base, params: init.paramsJson() };
  }
  const view = datasets.load(project.dataset);
  if (input.row >= view.x.length) {
    throw new ApiFailure('invalid_input', `row ${input.row} is out of range: the data set has ${view.x.length} rows (0..${view.x.length - 1})`, 'row');
  }
  const graph: GraphSpec = { nodes: model.nodes, outputs: model.outputs };
  const y = adaptTargets(graph, training.loss, view.task, view.y);
  const mode = input.mode ?? 'eval';
  const x = view.x[input.row];
  const target = y[input.row];
  // float64 so that the walkthrough's numbers are exactly those of a hand computation with these weights.
  const e = explain(model, [x], [target], training.loss, mode, 'float64');
  const firstRow = (rows: Record<string, number[][]>): Record<string, number[]> =>
    Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v[0]]));
  return {
    row: input.row,
    runId: run?.id ?? null,
    input: x,
    target,
    output: e.output[0],
    loss: e.loss,
    lossName: training.loss,
    mode,
    activations: firstRow(e.activations),
    deltas: firstRow(e.deltas),
    grads: e.grads,
    params: model.params ?? {},
    untrained: run === null,
  };
}
