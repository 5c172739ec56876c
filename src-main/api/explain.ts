/**
 * models.explain: one sample's forward and backward pass through the project's model, with the
 * weights of a finished (or checkpointed) run, or the seeded initialization when no run has a model.
 */
import { explain, initialModel, type GraphSpec, type ModelJson, type TrainingBlock } from '../../src-engine';
import type { ModelExplanation, Run } from './contract';
import type { DatasetCatalog, LibraryStore } from './deps';
import { ApiFailure } from './errors';
import type { ParsedInput } from './handlers';

function sameGraph(a: GraphSpec, b: GraphSpec): boolean {
  return JSON.stringify({ n: a.nodes, o: a.outputs }) === JSON.stringify({ n: b.nodes, o: b.outputs });
}

/**
 * The run whose model explains the project: the named one; else the one the project adopted ("use these
 * weights") while its graph is still the current one; else the newest with a model of the current graph.
 */
function pickRun(store: LibraryStore, projectId: string, graph: GraphSpec, runId?: string, adopted?: string | null): Run | null {
  if (runId !== undefined) {
    const run = store.getRun(runId);
    if (run.projectId !== projectId) throw new ApiFailure('not_found', `run ${runId} does not belong to project ${projectId}`, 'runId');
    if (!run.model) throw new ApiFailure('not_found', `run ${runId} has no trained model yet`, 'runId');
    return run;
  }
  const ids = store.listRuns(projectId).map((s) => s.id);
  if (adopted && ids.includes(adopted)) ids.unshift(adopted);
  for (const id of ids) {
    const run = store.getRun(id);
    if (run.model && sameGraph(run.model, graph)) return run;
  }
  return null;
}

export function explainSample(store: LibraryStore, datasets: DatasetCatalog, input: ParsedInput<'models.explain'>): ModelExplanation {
  const project = store.getProject(input.projectId);
  const run = pickRun(store, project.id, project.graph, input.runId, project.modelRunId);
  const training: TrainingBlock = (run ? run.training : project.training) as TrainingBlock;
  // Without a trained run: exactly the weights the trainer would start from.
  const model: ModelJson = run?.model ?? initialModel({ format: 'neurograph-model', version: 1, nodes: project.graph.nodes, outputs: project.graph.outputs, training }, training);
  const view = datasets.load(project.dataset);
  if (input.row >= view.x.length) {
    throw new ApiFailure('invalid_input', `row ${input.row} is out of range: the data set has ${view.x.length} rows (0..${view.x.length - 1})`, 'row');
  }
  const mode = input.mode ?? 'eval';
  const x = view.x[input.row];
  // float64 so that the walkthrough's numbers are exactly those of a hand computation with these weights;
  // class targets encoded for the loss as training encodes them.
  const e = explain(model, [x], [view.y[input.row]], training.loss, mode, 'float64', view.task);
  const firstRow = (rows: Record<string, number[][]>): Record<string, number[]> =>
    Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, v[0]]));
  return {
    row: input.row,
    runId: run?.id ?? null,
    input: x,
    target: e.target[0],
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
