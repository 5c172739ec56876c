/** Rows of the library tables ↔ the plain objects of the api contract. */
import type { Project, ProjectSummary, RunStatus, RunSummary } from '../../api';

export interface ProjectRow {
  id: string;
  name: string;
  revision: number;
  graph: string;
  layout: string;
  dataset: string;
  training: string;
  created_at: string;
  updated_at: string;
  model_run: string | null;
}

export interface RunRow {
  id: string;
  project_id: string;
  status: RunStatus;
  reason: string | null;
  training: string;
  graph: string;
  optimizer: string;
  started_at: string;
  finished_at: string | null;
  epochs: number;
  final_loss: number | null;
  final_accuracy: number | null;
  model: string | null;
  group_id: string | null;
}

export function toProjectSummary(r: Pick<ProjectRow, 'id' | 'name' | 'revision' | 'updated_at'>): ProjectSummary {
  return { id: r.id, name: r.name, revision: r.revision, updatedAt: r.updated_at };
}

export function toProject(r: ProjectRow): Project {
  return {
    ...toProjectSummary(r),
    createdAt: r.created_at,
    graph: JSON.parse(r.graph),
    layout: JSON.parse(r.layout),
    dataset: JSON.parse(r.dataset),
    training: JSON.parse(r.training),
    modelRunId: r.model_run ?? null,
  };
}

export function toRunSummary(r: RunRow): RunSummary {
  return {
    id: r.id,
    projectId: r.project_id,
    status: r.status,
    reason: r.reason,
    optimizer: r.optimizer,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    epochs: r.epochs,
    finalLoss: r.final_loss,
    finalAccuracy: r.final_accuracy,
    groupId: r.group_id ?? null,
    training: JSON.parse(r.training),
  };
}
