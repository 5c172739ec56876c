import type { ModelJson, TrainingBlock } from '../../src-engine/graph/types';
import type { MetricPoint } from '../../src-engine/train/types';
import { CliError } from './errors';

/** Records a CLI run in a library file, so the app shows it under the named project. */
export async function recordRun(db: string, projectName: string, model: ModelJson, training: TrainingBlock, history: MetricPoint[], diverged?: string): Promise<void> {
  let mod: typeof import('../services/ProjectStore');
  try {
    mod = await import('../services/ProjectStore');
  } catch (e) {
    throw new CliError(`--db: the project library is not available: ${(e as Error).message}`);
  }
  const store = new mod.ProjectStore({ path: db });
  try {
    const existing = store.listProjects().find((p) => p.name === projectName);
    const project = existing ?? store.createProject(projectName);
    const runId = store.createRun({ projectId: project.id, training, graph: { nodes: model.nodes, outputs: model.outputs } } as never);
    store.appendMetrics(runId as never, history as never);
    const last = history.at(-1);
    store.finishRun(runId as never, { status: diverged ? 'failed' : 'completed', reason: diverged ?? null, model, finalLoss: last?.loss ?? null, finalAccuracy: last?.accuracy ?? null } as never);
  } finally {
    store.close();
  }
}
