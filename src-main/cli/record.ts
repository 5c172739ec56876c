import { analyzeGraph, type MetricPoint, type ModelJson, type TrainingBlock } from '../../src-engine';
import { ProjectStore } from '../services';

/**
 * Records a CLI run in a library file under the named project (created with the model's graph
 * when it does not exist yet), so the app shows the run, its history and its trained model.
 */
export function recordRun(db: string, projectName: string, model: ModelJson, training: TrainingBlock, history: MetricPoint[], opts: { diverged?: string; dataset?: string } = {}): string {
  const store = new ProjectStore({ path: db });
  try {
    const graph = { nodes: model.nodes, outputs: model.outputs };
    let project = store.listProjects().find((p) => p.name === projectName);
    if (!project) {
      const created = store.createProject(projectName);
      const layout = Object.fromEntries(analyzeGraph(graph).order.map((id, i) => [id, { x: i * 190, y: 80 }]));
      const dataset = opts.dataset ? { kind: 'builtin' as const, name: opts.dataset } : created.dataset;
      store.saveProject({ id: created.id, revision: created.revision, graph, layout, dataset, training });
      project = store.getProject(created.id);
    }
    const run = store.createRun({ projectId: project.id, training, graph });
    store.appendMetrics(run, history);
    const last = history.at(-1);
    store.finishRun(run, {
      status: opts.diverged ? 'failed' : 'completed',
      reason: opts.diverged ?? null,
      model,
      epochs: history.length,
      finalLoss: last?.loss ?? null,
      finalAccuracy: last?.accuracy ?? null,
    });
    return run.id;
  } finally {
    store.close();
  }
}
