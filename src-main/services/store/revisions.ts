/**
 * A project's revision history: the table is filled by triggers (schema v5) on every write that
 * makes a revision, so reading is all there is here.
 */
import type Database from 'better-sqlite3';
import type { ProjectContent, RevisionSummary } from '../../api';
import { NotFoundError } from './errors';
import { REVISIONS_KEPT } from './schema';

interface RevisionRow {
  revision: number;
  saved_at: string;
  name: string;
  graph: string;
  layout: string;
  dataset: string;
  training: string;
}

/** Newest first, with what a list shows of each: its size and optimizer. */
export function listRevisions(db: Database.Database, projectId: string): RevisionSummary[] {
  if (!db.prepare('SELECT 1 FROM projects WHERE id = ?').get(projectId)) throw new NotFoundError('project', projectId);
  const rows = db.prepare('SELECT revision, saved_at, name, graph, training FROM revisions WHERE project_id = ? ORDER BY revision DESC').all(projectId) as RevisionRow[];
  return rows.map((r) => {
    const graph = JSON.parse(r.graph) as { nodes?: { in?: string[] }[] };
    const training = JSON.parse(r.training) as { optimizer?: { name?: string } };
    const nodes = graph.nodes ?? [];
    return {
      revision: r.revision,
      savedAt: r.saved_at,
      name: r.name,
      nodes: nodes.length,
      edges: nodes.reduce((n, node) => n + (node.in?.length ?? 0), 0),
      optimizer: training.optimizer?.name ?? 'adam',
    };
  });
}

export function getRevision(db: Database.Database, projectId: string, revision: number): ProjectContent & { revision: number; savedAt: string } {
  const r = db.prepare('SELECT * FROM revisions WHERE project_id = ? AND revision = ?').get(projectId, revision) as RevisionRow | undefined;
  if (!r) throw new NotFoundError('revision', `${projectId}@${revision}`, `project '${projectId}' has no revision ${revision} (the history keeps the newest ${REVISIONS_KEPT})`);
  return { revision: r.revision, savedAt: r.saved_at, graph: JSON.parse(r.graph), layout: JSON.parse(r.layout), dataset: JSON.parse(r.dataset), training: JSON.parse(r.training) };
}
