/**
 * The project library: one SQLite file (better-sqlite3) holding projects, imported datasets, runs,
 * their metric history and health flags. WAL, foreign keys on, schema versioned with forward
 * migrations (store/schema.ts); every write that belongs together is one transaction. Opening
 * survives damaged, newer, older and read-only files (store/open.ts). Plain data in and out.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { GraphSpec, ModelJson, TrainingBlock } from '../../src-engine';
import type { CompareGroup, HealthFlag, MetricPoint, Project, ProjectSave, ProjectSummary, Run, RunStatus, RunSummary } from '../api';
import { ConflictError, LibraryFullError, NotFoundError, ReadOnlyError, StoreInputError } from './store/errors';
import { openLibrary, type OpenOptions } from './store/open';
import { toProject, toProjectSummary, toRunSummary, type ProjectRow, type RunRow } from './store/rows';
import { projectTemplate } from './store/templates';

export { ConflictError, LibraryCorruptError, LibraryFullError, NotFoundError, ReadOnlyError, StoreInputError } from './store/errors';
export { SCHEMA_VERSION, MIGRATIONS, migrate } from './store/schema';
export { listBackups } from './store/open';
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
export const INTERRUPTED_REASON = 'the app stopped during training';
const now = (): string => new Date().toISOString();

export class ProjectStore {
  readonly path: string;
  readonly readOnly: boolean;
  /** How the library was opened, for the user (read-only, newer schema), or null. */
  readonly warning: string | null;
  /** The backup kept before a schema migration at open, or null. */
  readonly backup: string | null;
  private readonly db: Database.Database;
  private readonly cleanup: () => void;

  constructor(opts: OpenOptions) {
    const opened = openLibrary(opts);
    this.path = opts.path;
    this.db = opened.db;
    this.readOnly = opened.readOnly;
    this.warning = opened.warning;
    this.backup = opened.backup;
    this.cleanup = opened.cleanup;
  }

  /** Run `fn` as one transaction; a failure rolls all of it back and is reported as a typed error. */
  private write<T>(what: string, fn: () => T): T {
    if (this.readOnly) throw new ReadOnlyError(this.warning ?? `cannot save ${what}`);
    try {
      return this.db.transaction(fn)();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE') throw new LibraryFullError(what);
      if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) throw new ReadOnlyError(`cannot save ${what}`);
      throw e;
    }
  }

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
      this.db
        .prepare('INSERT INTO runs (id, project_id, status, training, graph, optimizer, started_at, group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, input.projectId, status, JSON.stringify(input.training), JSON.stringify(input.graph), input.optimizer ?? input.training.optimizer?.name ?? 'unknown', now(), input.groupId ?? null);
    });
    return this.runSummary(id);
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

  /** Several runs' pending batches in one transaction (the TrainingHost's flush). */
  appendMetricBatches(batches: readonly { runId: string; points: readonly MetricPoint[] }[]): void {
    this.write('metrics', () => {
      for (const b of batches) this.insertMetrics(b.runId, b.points);
    });
  }

  appendFlags(run: RunRef, flags: readonly HealthFlag[]): void {
    const runId = runIdOf(run);
    this.write('health flags', () => {
      this.runRow(runId);
      const insert = this.db.prepare('INSERT INTO flags (run_id, epoch, kind, node, message) VALUES (?, ?, ?, ?, ?)');
      for (const f of flags) insert.run(runId, f.epoch, f.kind, f.node, f.message);
    });
  }

  setRunStatus(run: RunRef, status: RunStatus, reason: string | null = null): void {
    const runId = runIdOf(run);
    if (!RUN_STATUSES.includes(status)) throw new StoreInputError(`unknown run status '${status}'`, 'status');
    const ended = status === 'completed' || status === 'stopped' || status === 'failed';
    this.write(`run status`, () => {
      const changed = this.db
        .prepare('UPDATE runs SET status = ?, reason = ?, finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE NULL END WHERE id = ?')
        .run(status, reason, ended ? 1 : 0, now(), runId).changes;
      if (changed === 0) throw new NotFoundError('run', runId);
    });
  }

  /** Keep the latest weights of a running run (a checkpoint). */
  checkpoint(run: RunRef, model: ModelJson): void {
    const runId = runIdOf(run);
    this.write('checkpoint', () => {
      if (this.db.prepare('UPDATE runs SET model = ? WHERE id = ?').run(JSON.stringify(model), runId).changes === 0) throw new NotFoundError('run', runId);
    });
  }

  /** Record how a run ended, with its final model and metrics, in one transaction. A null model keeps the last checkpoint. */
  finishRun(run: RunRef, end: RunEndInput): RunSummary {
    const runId = runIdOf(run);
    this.write('the finished run', () => {
      const changed = this.db
        .prepare(
          `UPDATE runs SET status = ?, reason = ?, finished_at = ?, model = COALESCE(?, model), epochs = COALESCE(?, epochs),
           final_loss = ?, final_accuracy = ? WHERE id = ?`,
        )
        .run(end.status ?? 'completed', end.reason ?? null, now(), end.model ? JSON.stringify(end.model) : null, end.epochs ?? null, end.finalLoss, end.finalAccuracy, runId).changes;
      if (changed === 0) throw new NotFoundError('run', runId);
    });
    return this.runSummary(runId);
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
      const insert = this.db.prepare('INSERT INTO runs (id, project_id, status, training, graph, optimizer, started_at, group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      runs.forEach((r, i) => insert.run(ids[i], projectId, r.status ?? 'queued', JSON.stringify(r.training), JSON.stringify(r.graph), r.optimizer ?? r.training.optimizer?.name ?? 'unknown', at, groupId));
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

  /** At open: runs left queued or running by a crash become failed, "the app stopped during training". Returns how many. */
  markInterruptedRuns(): number {
    if (this.readOnly) return 0;
    return this.write('interrupted runs', () =>
      this.db
        .prepare("UPDATE runs SET status = 'failed', reason = ?, finished_at = ? WHERE status IN ('queued', 'running')")
        .run(INTERRUPTED_REASON, now()).changes,
    );
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

  close(): void {
    if (!this.db.open) return;
    this.db.close();
    this.cleanup();
  }
}
