/**
 * The project library: one SQLite file (better-sqlite3) holding projects, imported datasets, runs,
 * their metric history and health flags. WAL, foreign keys on, schema versioned with forward
 * migrations (store/schema.ts); every write that belongs together is one transaction. The connection
 * itself — opening, the one writer, the owner of runs, transactions, backups, closing — is
 * store/connection.ts; this file is what the library holds. Plain data in and out.
 */
import { randomUUID } from 'node:crypto';
import type { GraphSpec, ModelJson, TrainingBlock } from '../../src-engine';
import type { CompareGroup, HealthFlag, MetricPoint, Project, ProjectContent, ProjectSave, ProjectSummary, RevisionSummary, Run, RunStatus, RunSummary } from '../api';
import { LibraryConnection } from './store/connection';
import { ConflictError, LibraryFullError, NotFoundError, StoreInputError } from './store/errors';
import { insertProjectFile, buildProjectFile, parseProjectFile } from './store/projectFile';
import { releaseReserve } from './store/reserve';
import { toProject, toProjectSummary, toRunSummary, type ProjectRow, type RunRow } from './store/rows';
import { projectTemplate } from './store/templates';
import { getRevision, listRevisions } from './store/revisions';

export { BusyError, ConflictError, LibraryCorruptError, LibraryFullError, NotFoundError, ReadOnlyError, StoreInputError } from './store/errors';
export { SCHEMA_VERSION, MIGRATIONS, migrate } from './store/schema';
export { listBackups } from './store/open';
export { ProjectFileError, PROJECT_FILE_FORMAT, PROJECT_FILE_VERSION, PROJECT_FILE_MAX_CHARS } from './store/projectFile';
export { interruptedReason, type OwnerKind } from './store/owners';
export type { OpenOptions as ProjectStoreOptions } from './store/open';

/** A save of a project's content from `revision` (a stale one is refused with ConflictError). */
export type SaveProjectInput = ProjectSave;

export interface CreateRunInput {
  projectId: string;
  training: TrainingBlock;
  graph: GraphSpec;
  /** Default: training.optimizer.name. */
  optimizer?: string;
  /** Default 'running'. */
  status?: RunStatus;
  /** The compare group the run belongs to. */
  groupId?: string;
}

export interface RunEndInput {
  status?: Extract<RunStatus, 'completed' | 'stopped' | 'failed'>;
  reason?: string | null;
  model: ModelJson | null;
  epochs?: number;
  finalLoss: number | null;
  finalAccuracy: number | null;
  /** Metric points not yet appended: written in the same transaction as the end. */
  points?: readonly MetricPoint[];
  /** Health flags not yet appended, likewise. */
  flags?: readonly HealthFlag[];
}

/** A run started from outside the app (the CLI): its project is found by name, or created with this content. */
export interface RunInProjectInput {
  projectName: string;
  content: ProjectContent;
  training: TrainingBlock;
  graph: GraphSpec;
  /** An imported CSV table the project trains on: stored once (the same name, text and options are reused). */
  table?: { name: string; csv: string; options: Record<string, unknown>; summary: Record<string, unknown> };
}

export interface StoredDataset {
  id: string;
  name: string;
  createdAt: string;
  csv: string;
  options: Record<string, unknown>;
  summary: Record<string, unknown>;
}

/** A run id, or the RunSummary createRun returned. */
export type RunRef = string | { id: string };
const runIdOf = (ref: RunRef): string => (typeof ref === 'string' ? ref : ref.id);

const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'completed', 'stopped', 'failed'];
const now = (): string => new Date().toISOString();

export class ProjectStore extends LibraryConnection {
  // ---------- projects ----------

  listProjects(): ProjectSummary[] {
    const rows = this.db.prepare('SELECT id, name, revision, updated_at FROM projects ORDER BY updated_at DESC, name').all() as ProjectRow[];
    return rows.map(toProjectSummary);
  }

  /** A new project at revision 1; template 'xor' gives the lecture's XOR network (store/templates.ts). */
  createProject(name: string, template?: string): Project {
    const t = projectTemplate(template);
    const id = randomUUID();
    const at = now();
    this.write(`project '${name}'`, () => {
      this.db
        .prepare('INSERT INTO projects (id, name, revision, graph, layout, dataset, training, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)')
        .run(id, name, JSON.stringify(t.graph), JSON.stringify(t.layout), JSON.stringify(t.dataset), JSON.stringify(t.training), at, at);
    });
    return this.getProject(id);
  }

  getProject(id: string): Project {
    const row = this.db.prepare('SELECT * FROM projects WHERE id = ?').get(id) as ProjectRow | undefined;
    if (!row) throw new NotFoundError('project', id);
    return toProject(row);
  }

  /** Save an edit made from `input.revision`: the stored revision must still be that one (else ConflictError). */
  saveProject(input: SaveProjectInput): { revision: number; updatedAt: string } {
    const at = now();
    return this.write(`project '${input.id}'`, () => {
      const cur = this.db.prepare('SELECT revision FROM projects WHERE id = ?').get(input.id) as { revision: number } | undefined;
      if (!cur) throw new NotFoundError('project', input.id);
      if (cur.revision !== input.revision) throw new ConflictError(input.id, input.revision, cur.revision);
      this.db
        .prepare(
          `UPDATE projects SET name = COALESCE(?, name), revision = revision + 1, graph = ?, layout = ?, dataset = ?, training = ?, updated_at = ?
           WHERE id = ? AND revision = ?`,
        )
        .run(input.name ?? null, JSON.stringify(input.graph), JSON.stringify(input.layout), JSON.stringify(input.dataset), JSON.stringify(input.training), at, input.id, input.revision);
      return { revision: input.revision + 1, updatedAt: at };
    });
  }

  /** A new name; the content stays, the revision goes up by one (the history keeps the old name). */
  renameProject(id: string, name: string): { revision: number; updatedAt: string } {
    const at = now();
    return this.write(`renaming project '${id}'`, () => {
      const cur = this.db.prepare('SELECT revision FROM projects WHERE id = ?').get(id) as { revision: number } | undefined;
      if (!cur) throw new NotFoundError('project', id);
      this.db.prepare('UPDATE projects SET name = ?, revision = revision + 1, updated_at = ? WHERE id = ?').run(name, at, id);
      return { revision: cur.revision + 1, updatedAt: at };
    });
  }

  /** A new project with the content of `id` as it is saved now, named "<name> (copy)" (then "(copy 2)"…); runs stay behind. */
  duplicateProject(id: string, name?: string): Project {
    const source = this.getProject(id);
    const taken = new Set(this.listProjects().map((p) => p.name));
    const base = name ?? `${source.name} (copy)`;
    let unique = base;
    for (let i = 2; taken.has(unique); i++) unique = name ? `${base} (${i})` : `${source.name} (copy ${i})`;
    const copy = randomUUID();
    const at = now();
    this.write(`copy of project '${source.name}'`, () => {
      this.db
        .prepare('INSERT INTO projects (id, name, revision, graph, layout, dataset, training, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)')
        .run(copy, unique, JSON.stringify(source.graph), JSON.stringify(source.layout), JSON.stringify(source.dataset), JSON.stringify(source.training), at, at);
    });
    return this.getProject(copy);
  }

  /** The project's saved revisions, newest first. */
  listRevisions(id: string): RevisionSummary[] {
    return listRevisions(this.db, id);
  }

  getRevision(id: string, revision: number): ProjectContent & { revision: number; savedAt: string } {
    return getRevision(this.db, id, revision);
  }

  /** Delete a project with its runs, metrics and flags. Returns false when there was none. */
  deleteProject(id: string): boolean {
    return this.write(`deletion of project '${id}'`, () => this.db.prepare('DELETE FROM projects WHERE id = ?').run(id).changes > 0);
  }

  // ---------- runs ----------

  createRun(input: CreateRunInput): RunSummary {
    const id = randomUUID();
    const status = input.status ?? 'running';
    if (!RUN_STATUSES.includes(status)) throw new StoreInputError(`unknown run status '${status}'`, 'status');
    this.write('a new run', () => {
      if (!this.db.prepare('SELECT 1 FROM projects WHERE id = ?').get(input.projectId)) throw new NotFoundError('project', input.projectId);
      this.insertRun(id, input.projectId, status, input, now());
    });
    return this.runSummary(id);
  }

  private insertRun(id: string, projectId: string, status: RunStatus, r: Omit<CreateRunInput, 'projectId'>, at: string): void {
    this.db
      .prepare('INSERT INTO runs (id, project_id, status, training, graph, optimizer, started_at, group_id, owner_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, projectId, status, JSON.stringify(r.training), JSON.stringify(r.graph), r.optimizer ?? r.training.optimizer?.name ?? 'unknown', at, r.groupId ?? null, this.ownerId);
  }

  /**
   * A run from outside the app (the CLI), in one transaction: its project found by name — the oldest
   * of that name — or created with `content`, the CSV table stored once, and the run created 'running'.
   */
  startRunInProject(input: RunInProjectInput): { project: Project; run: RunSummary } {
    const id = randomUUID();
    const projectId = this.write(`a run in project '${input.projectName}'`, () => {
      const found = this.db.prepare('SELECT id FROM projects WHERE name = ? ORDER BY created_at, rowid LIMIT 1').pluck().get(input.projectName) as string | undefined;
      let pid = found;
      if (!pid) {
        pid = randomUUID();
        const at = now();
        let dataset = input.content.dataset;
        if (input.table) dataset = { kind: 'table', datasetId: this.findOrInsertDataset(input.table), ...(input.table.options.target ? { target: input.table.options.target as string[] } : {}) };
        this.db
          .prepare('INSERT INTO projects (id, name, revision, graph, layout, dataset, training, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)')
          .run(pid, input.projectName, JSON.stringify(input.content.graph), JSON.stringify(input.content.layout), JSON.stringify(dataset), JSON.stringify(input.content.training), at, at);
      }
      this.insertRun(id, pid, 'running', { training: input.training, graph: input.graph }, now());
      return pid;
    });
    return { project: this.getProject(projectId), run: this.runSummary(id) };
  }

  private findOrInsertDataset(t: NonNullable<RunInProjectInput['table']>): string {
    const options = JSON.stringify(t.options);
    const same = this.db.prepare('SELECT id FROM datasets WHERE name = ? AND options = ? AND csv = ? LIMIT 1').pluck().get(t.name, options, t.csv) as string | undefined;
    if (same) return same;
    const id = randomUUID();
    this.db.prepare('INSERT INTO datasets (id, name, created_at, csv, options, summary) VALUES (?, ?, ?, ?, ?, ?)').run(id, t.name, now(), t.csv, options, JSON.stringify(t.summary));
    return id;
  }

  private runRow(runId: string): RunRow {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new NotFoundError('run', runId);
    return row;
  }

  private runSummary(runId: string): RunSummary {
    return toRunSummary(this.runRow(runId));
  }

  private insertMetrics(runId: string, points: readonly MetricPoint[]): void {
    if (!this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(runId)) throw new NotFoundError('run', runId);
    const insert = this.db.prepare('INSERT INTO metrics (run_id, epoch, point) VALUES (?, ?, ?)');
    for (const p of points) insert.run(runId, p.epoch, JSON.stringify(p));
    const last = points.at(-1);
    if (last) this.db.prepare('UPDATE runs SET epochs = MAX(epochs, ?) WHERE id = ?').run(last.epoch, runId);
  }

  /** Append a batch of metric points in one transaction: all of them or none. */
  appendMetrics(run: RunRef, points: readonly MetricPoint[]): void {
    this.write('metrics', () => this.insertMetrics(runIdOf(run), points));
  }

  /** Several runs' pending batches (points, and flags where given) in one transaction (the TrainingHost's flush). */
  appendMetricBatches(batches: readonly { runId: string; points: readonly MetricPoint[]; flags?: readonly HealthFlag[] }[]): void {
    this.write('metrics', () => {
      for (const b of batches) {
        this.insertMetrics(b.runId, b.points);
        if (b.flags?.length) this.insertFlags(b.runId, b.flags);
      }
    });
  }

  appendFlags(run: RunRef, flags: readonly HealthFlag[]): void {
    const runId = runIdOf(run);
    this.write('health flags', () => this.insertFlags(runId, flags));
  }

  private insertFlags(runId: string, flags: readonly HealthFlag[]): void {
    this.runRow(runId);
    const insert = this.db.prepare('INSERT INTO flags (run_id, epoch, kind, node, message) VALUES (?, ?, ?, ?, ?)');
    for (const f of flags) insert.run(runId, f.epoch, f.kind, f.node, f.message);
  }

  /**
   * A run's status. An ending status always gets written, even on a disk filled to the last byte: the
   * library's reserve file (store/reserve.ts) is given up for it.
   */
  setRunStatus(run: RunRef, status: RunStatus, reason: string | null = null): void {
    const runId = runIdOf(run);
    if (!RUN_STATUSES.includes(status)) throw new StoreInputError(`unknown run status '${status}'`, 'status');
    const ended = status === 'completed' || status === 'stopped' || status === 'failed';
    const update = () =>
      this.write(`run status`, () => {
        const changed = this.db
          .prepare('UPDATE runs SET status = ?, reason = ?, finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END WHERE id = ?')
          .run(status, reason, ended ? 1 : 0, now(), runId).changes;
        if (changed === 0) throw new NotFoundError('run', runId);
      });
    try {
      update();
    } catch (e) {
      if (!(e instanceof LibraryFullError) || !ended || !releaseReserve(this.path)) throw e;
      update();
    }
  }

  /** Keep the latest weights of a running run (a checkpoint). */
  checkpoint(run: RunRef, model: ModelJson): void {
    const runId = runIdOf(run);
    this.write('checkpoint', () => {
      if (this.db.prepare('UPDATE runs SET model = ? WHERE id = ?').run(JSON.stringify(model), runId).changes === 0) throw new NotFoundError('run', runId);
    });
  }

  /**
   * Record how a run ended — its last metric points and flags, final model and status — in one
   * transaction. A null model keeps the last checkpoint. A large run is followed by a WAL truncation.
   */
  finishRun(run: RunRef, end: RunEndInput): RunSummary {
    const runId = runIdOf(run);
    this.write('the finished run', () => {
      if (end.points?.length) this.insertMetrics(runId, end.points);
      if (end.flags?.length) this.insertFlags(runId, end.flags);
      const changed = this.db
        .prepare(
          `UPDATE runs SET status = ?, reason = ?, finished_at = ?, model = COALESCE(?, model), epochs = COALESCE(?, epochs),
           final_loss = ?, final_accuracy = ? WHERE id = ?`,
        )
        .run(end.status ?? 'completed', end.reason ?? null, now(), end.model ? JSON.stringify(end.model) : null, end.epochs ?? null, end.finalLoss, end.finalAccuracy, runId).changes;
      if (changed === 0) throw new NotFoundError('run', runId);
    });
    const summary = this.runSummary(runId);
    this.compactWalAfter(summary.epochs);
    return summary;
  }

  // ---------- compare groups ----------

  /** A compare: one group row and one run row per optimizer, in one transaction. */
  createCompare(projectId: string, settings: CompareGroup['settings'], runs: Omit<CreateRunInput, 'projectId' | 'groupId'>[]): { groupId: string; runs: RunSummary[] } {
    const groupId = randomUUID();
    const ids = runs.map(() => randomUUID());
    const at = now();
    this.write('a new compare', () => {
      if (!this.db.prepare('SELECT 1 FROM projects WHERE id = ?').get(projectId)) throw new NotFoundError('project', projectId);
      this.db.prepare('INSERT INTO compare_groups (id, project_id, created_at, settings) VALUES (?, ?, ?, ?)').run(groupId, projectId, at, JSON.stringify(settings));
      runs.forEach((r, i) => this.insertRun(ids[i], projectId, r.status ?? 'queued', { ...r, groupId }, at));
    });
    return { groupId, runs: ids.map((id) => this.runSummary(id)) };
  }

  listCompares(projectId: string): CompareGroup[] {
    const rows = this.db.prepare('SELECT * FROM compare_groups WHERE project_id = ? ORDER BY created_at DESC, rowid DESC').all(projectId) as { id: string; project_id: string; created_at: string; settings: string }[];
    return rows.map((r) => this.toGroup(r));
  }

  getCompare(groupId: string): CompareGroup {
    const row = this.db.prepare('SELECT * FROM compare_groups WHERE id = ?').get(groupId) as { id: string; project_id: string; created_at: string; settings: string } | undefined;
    if (!row) throw new NotFoundError('compare', groupId);
    return this.toGroup(row);
  }

  private toGroup(r: { id: string; project_id: string; created_at: string; settings: string }): CompareGroup {
    const runs = (this.db.prepare('SELECT * FROM runs WHERE group_id = ? ORDER BY rowid').all(r.id) as RunRow[]).map(toRunSummary);
    return { id: r.id, projectId: r.project_id, createdAt: r.created_at, settings: JSON.parse(r.settings), runs };
  }

  /** "Use these weights": the project's model becomes this run's (and its training block the run's). */
  adoptRun(runId: string): Project {
    const run = this.getRun(runId);
    if (!run.model) throw new StoreInputError(`run ${runId} has no trained model to use`, 'runId');
    this.write('the project\'s model', () => {
      this.db.prepare('UPDATE projects SET model_run = ?, training = ?, revision = revision + 1, updated_at = ? WHERE id = ?').run(runId, JSON.stringify(run.training), now(), run.projectId);
    });
    return this.getProject(run.projectId);
  }

  listRuns(projectId: string): RunSummary[] {
    const rows = this.db.prepare('SELECT * FROM runs WHERE project_id = ? ORDER BY started_at DESC, rowid DESC').all(projectId) as RunRow[];
    return rows.map(toRunSummary);
  }

  /** A run with its whole history (points in the order appended) and flags. */
  getRun(run: RunRef): Run {
    const row = this.runRow(runIdOf(run));
    const points = this.db.prepare('SELECT point FROM metrics WHERE run_id = ? ORDER BY rowid').pluck().all(row.id) as string[];
    const flags = this.db.prepare('SELECT epoch, kind, node, message FROM flags WHERE run_id = ? ORDER BY rowid').all(row.id) as HealthFlag[];
    return {
      ...toRunSummary(row),
      training: JSON.parse(row.training),
      graph: JSON.parse(row.graph),
      history: points.map((p) => JSON.parse(p) as MetricPoint),
      flags,
      model: row.model ? (JSON.parse(row.model) as ModelJson) : null,
    };
  }

  // ---------- project files ----------

  /** The project as a `.neurograph` file (store/projectFile.ts). */
  exportProjectFile(projectId: string): { fileName: string; text: string } {
    return buildProjectFile(this.db, projectId);
  }

  /** A `.neurograph` file from outside, checked whole, inserted in one transaction under new ids. */
  importProjectFile(text: string): Project {
    const file = parseProjectFile(text);
    const id = this.write(`project '${file.project.name}'`, () => insertProjectFile(this.db, file, this.ownerId));
    return this.getProject(id);
  }

  // ---------- imported datasets ----------

  saveDataset(input: { name: string; csv: string; options: Record<string, unknown>; summary: Record<string, unknown> }): StoredDataset {
    const id = randomUUID();
    const at = now();
    this.write(`dataset '${input.name}'`, () => {
      this.db
        .prepare('INSERT INTO datasets (id, name, created_at, csv, options, summary) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, input.name, at, input.csv, JSON.stringify(input.options), JSON.stringify(input.summary));
    });
    return { id, name: input.name, createdAt: at, csv: input.csv, options: input.options, summary: input.summary };
  }

  /** Imported datasets without their CSV text. */
  listDatasets(): Omit<StoredDataset, 'csv'>[] {
    const rows = this.db.prepare('SELECT id, name, created_at, options, summary FROM datasets ORDER BY created_at, name').all() as Record<string, string>[];
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, options: JSON.parse(r.options), summary: JSON.parse(r.summary) }));
  }

  getDataset(id: string): StoredDataset {
    const r = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as Record<string, string> | undefined;
    if (!r) throw new NotFoundError('dataset', id);
    return { id: r.id, name: r.name, createdAt: r.created_at, csv: r.csv, options: JSON.parse(r.options), summary: JSON.parse(r.summary) };
  }

  deleteDataset(id: string): boolean {
    return this.write(`deletion of dataset '${id}'`, () => this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0);
  }

}
