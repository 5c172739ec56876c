/**
 * Project files (`.neurograph`): one project with everything needed to see and retrain it elsewhere —
 * graph, layout, dataset ref (and the imported CSV table itself when the project trains on one),
 * training block, runs with their history, flags and models, compare groups. JSON,
 * `{"format": "neurograph-project", "version": 1, …}`.
 *
 * A file from outside is hostile until shown otherwise (FAULTS 1–5): size, depth and prototype keys
 * are checked before anything else (the engine's parseJsonSafely, as model JSON import does), then the
 * whole shape by one zod schema, every model by the model JSON schema; it is inserted in one
 * transaction under new ids, with " (2)" after a name already taken.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NeurographError, parseJsonSafely, validateModelJson, formatPath } from '../../../src-engine';
import { datasetRefSchema, graphSchema, layoutSchema, trainingSchema } from '../../api';
import { NotFoundError } from './errors';
import { toRunSummary, type ProjectRow, type RunRow } from './rows';

export const PROJECT_FILE_FORMAT = 'neurograph-project';
export const PROJECT_FILE_VERSION = 1;
export const PROJECT_FILE_EXTENSION = '.neurograph';
/** Larger files are refused before parsing (a 50 MB CSV table with its runs fits). */
export const PROJECT_FILE_MAX_CHARS = 64_000_000;

/** A project file that cannot be imported: says what is wrong and where (`runs[2].model.nodes[0].units`). */
export class ProjectFileError extends NeurographError {
  constructor(message: string, path?: string) {
    super(message, 'invalid_model', path);
  }
}

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(200);
const metricValue = z.union([z.number(), z.null(), z.record(text(200), z.union([z.number(), z.null(), z.array(text(32)).max(16)]))]);
const pointSchema = z.object({ epoch: z.number().int().min(0) }).catchall(metricValue);
const flagSchema = z.object({ epoch: z.number().int(), kind: text(32), node: text(200), message: text(4000) });
const statusSchema = z.enum(['queued', 'running', 'completed', 'stopped', 'failed']);

const fileSchema = z.object({
  format: z.literal(PROJECT_FILE_FORMAT),
  version: z.literal(PROJECT_FILE_VERSION),
  exportedAt: text(64).optional(),
  project: z.object({
    name: z.string().trim().min(1).max(200),
    graph: graphSchema,
    layout: layoutSchema,
    dataset: datasetRefSchema,
    training: trainingSchema,
    /** Id (within this file) of the run whose weights the project uses. */
    modelRun: id.nullable().optional(),
  }),
  /** The imported CSV table the project trains on, when its dataset is a table. */
  dataset: z
    .object({ id, name: z.string().trim().min(1).max(200), csv: text(PROJECT_FILE_MAX_CHARS), options: z.record(text(64), z.unknown()), summary: z.record(text(64), z.unknown()) })
    .nullable(),
  compareGroups: z
    .array(z.object({ id, createdAt: text(64), settings: z.object({ training: trainingSchema, optimizers: z.array(z.looseObject({ name: text(32) })).max(64), threads: z.number().int().min(0) }) }))
    .max(10_000),
  runs: z
    .array(
      z.object({
        id,
        status: statusSchema,
        reason: text(4000).nullable(),
        optimizer: text(64),
        training: trainingSchema,
        graph: graphSchema,
        startedAt: text(64),
        finishedAt: text(64).nullable(),
        epochs: z.number().int().min(0),
        finalLoss: z.number().nullable(),
        finalAccuracy: z.number().nullable(),
        groupId: id.nullable(),
        model: z.unknown().nullable(),
        history: z.array(pointSchema).max(10_000_000),
        flags: z.array(flagSchema).max(100_000),
      }),
    )
    .max(100_000),
});

export type ProjectFile = z.infer<typeof fileSchema>;

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return cleaned || 'project';
}

/** The project `projectId` as a project file. */
export function buildProjectFile(db: Database.Database, projectId: string): { fileName: string; text: string } {
  const p = db.prepare('SELECT * FROM projects WHERE id = ?').get(projectId) as ProjectRow | undefined;
  if (!p) throw new NotFoundError('project', projectId);
  const dataset = JSON.parse(p.dataset) as z.infer<typeof datasetRefSchema>;
  let table: ProjectFile['dataset'] = null;
  if (dataset.kind === 'table') {
    const d = db.prepare('SELECT * FROM datasets WHERE id = ?').get(dataset.datasetId) as Record<string, string> | undefined;
    if (d) table = { id: d.id, name: d.name, csv: d.csv, options: JSON.parse(d.options), summary: JSON.parse(d.summary) };
  }
  const groups = db.prepare('SELECT * FROM compare_groups WHERE project_id = ? ORDER BY created_at, rowid').all(projectId) as { id: string; created_at: string; settings: string }[];
  const runs = db.prepare('SELECT * FROM runs WHERE project_id = ? ORDER BY started_at, rowid').all(projectId) as RunRow[];
  const points = db.prepare('SELECT point FROM metrics WHERE run_id = ? ORDER BY rowid').pluck();
  const flags = db.prepare('SELECT epoch, kind, node, message FROM flags WHERE run_id = ? ORDER BY rowid');
  const file: ProjectFile = {
    format: PROJECT_FILE_FORMAT,
    version: PROJECT_FILE_VERSION,
    exportedAt: new Date().toISOString(),
    project: { name: p.name, graph: JSON.parse(p.graph), layout: JSON.parse(p.layout), dataset, training: JSON.parse(p.training), modelRun: p.model_run ?? null },
    dataset: table,
    compareGroups: groups.map((g) => ({ id: g.id, createdAt: g.created_at, settings: JSON.parse(g.settings) })),
    runs: runs.map((r) => {
      // The run as the library lists it (less its project: the file is one project), plus what a list leaves out.
      const { projectId: _project, ...summary } = toRunSummary(r);
      return {
        ...summary,
        graph: JSON.parse(r.graph),
        model: r.model ? JSON.parse(r.model) : null,
        history: (points.all(r.id) as string[]).map((s) => JSON.parse(s)),
        flags: flags.all(r.id) as ProjectFile['runs'][number]['flags'],
      };
    }),
  };
  return { fileName: `${safeFileName(p.name)}${PROJECT_FILE_EXTENSION}`, text: JSON.stringify(file) };
}

/** Read a project file from outside: limits first, then the shape, then every model. */
export function parseProjectFile(input: string): ProjectFile {
  if (input.length > PROJECT_FILE_MAX_CHARS) {
    throw new ProjectFileError(`the project file is ${(input.length / 1e6).toFixed(0)} MB; the limit is ${PROJECT_FILE_MAX_CHARS / 1e6} MB`);
  }
  const value = parseJsonSafely(input, 'the project file');
  const head = value as { format?: unknown; version?: unknown } | null;
  if (head && typeof head === 'object' && head.format === PROJECT_FILE_FORMAT && typeof head.version === 'number' && head.version > PROJECT_FILE_VERSION) {
    throw new NeurographError(`this project file was written by a newer Neurograph (version ${head.version}); this version reads version ${PROJECT_FILE_VERSION} — update Neurograph to import it`, 'newer_version', 'version');
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(issue.path);
    throw new ProjectFileError(`not a Neurograph project file: ${path || 'file'}: ${issue.message}`, path || undefined);
  }
  const file = parsed.data;
  file.runs.forEach((run, i) => {
    if (run.model === null) return;
    try {
      run.model = validateModelJson(run.model);
    } catch (e) {
      const inner = (e as NeurographError).path;
      throw new ProjectFileError(`runs[${i}].model: ${(e as Error).message}`, `runs[${i}].model${inner ? `.${inner}` : ''}`);
    }
  });
  const runIds = new Set(file.runs.map((r) => r.id));
  const groupIds = new Set(file.compareGroups.map((g) => g.id));
  file.runs.forEach((r, i) => {
    if (r.groupId !== null && !groupIds.has(r.groupId)) throw new ProjectFileError(`runs[${i}].groupId names no compare group of the file`, `runs[${i}].groupId`);
  });
  if (file.project.modelRun && !runIds.has(file.project.modelRun)) throw new ProjectFileError('project.modelRun names no run of the file', 'project.modelRun');
  if (file.project.dataset.kind === 'table' && !file.dataset) throw new ProjectFileError('the project trains on an imported table, but the file does not carry it', 'dataset');
  return file;
}

/** `name`, or `name (2)`, `name (3)`… — the first not taken in `table`. */
function freeName(db: Database.Database, table: 'projects' | 'datasets', name: string): string {
  const taken = db.prepare(`SELECT 1 FROM ${table} WHERE name = ?`);
  if (!taken.get(name)) return name;
  for (let i = 2; ; i++) if (!taken.get(`${name} (${i})`)) return `${name} (${i})`;
}

/** Insert a parsed file under new ids; call inside a write transaction. Returns the new project's id. */
export function insertProjectFile(db: Database.Database, file: ProjectFile, ownerId: string | null): string {
  const at = new Date().toISOString();
  const projectId = randomUUID();
  const runIds = new Map(file.runs.map((r) => [r.id, randomUUID()]));
  const groupIds = new Map(file.compareGroups.map((g) => [g.id, randomUUID()]));
  let datasetRef = file.project.dataset;
  if (datasetRef.kind === 'table' && file.dataset) {
    const datasetId = randomUUID();
    db.prepare('INSERT INTO datasets (id, name, created_at, csv, options, summary) VALUES (?, ?, ?, ?, ?, ?)').run(
      datasetId,
      freeName(db, 'datasets', file.dataset.name),
      at,
      file.dataset.csv,
      JSON.stringify(file.dataset.options),
      JSON.stringify(file.dataset.summary),
    );
    datasetRef = { ...datasetRef, datasetId };
  }
  const p = file.project;
  db.prepare('INSERT INTO projects (id, name, revision, graph, layout, dataset, training, created_at, updated_at, model_run) VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?)').run(
    projectId,
    freeName(db, 'projects', p.name),
    JSON.stringify(p.graph),
    JSON.stringify(p.layout),
    JSON.stringify(datasetRef),
    JSON.stringify(p.training),
    at,
    at,
    p.modelRun ? runIds.get(p.modelRun)! : null,
  );
  const group = db.prepare('INSERT INTO compare_groups (id, project_id, created_at, settings) VALUES (?, ?, ?, ?)');
  for (const g of file.compareGroups) group.run(groupIds.get(g.id), projectId, g.createdAt, JSON.stringify(g.settings));
  const run = db.prepare(
    `INSERT INTO runs (id, project_id, status, reason, training, graph, optimizer, started_at, finished_at, epochs, final_loss, final_accuracy, model, group_id, owner_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const metric = db.prepare('INSERT INTO metrics (run_id, epoch, point) VALUES (?, ?, ?)');
  const flag = db.prepare('INSERT INTO flags (run_id, epoch, kind, node, message) VALUES (?, ?, ?, ?, ?)');
  for (const r of file.runs) {
    const newId = runIds.get(r.id)!;
    // A run still training when it was exported does not train here: it ends where the file left it.
    const unfinished = r.status === 'queued' || r.status === 'running';
    run.run(
      newId,
      projectId,
      unfinished ? 'failed' : r.status,
      unfinished ? `not finished when the project was exported (at epoch ${r.epochs})` : r.reason,
      JSON.stringify(r.training),
      JSON.stringify(r.graph),
      r.optimizer,
      r.startedAt,
      unfinished ? at : r.finishedAt,
      r.epochs,
      r.finalLoss,
      r.finalAccuracy,
      r.model === null ? null : JSON.stringify(r.model),
      r.groupId ? groupIds.get(r.groupId)! : null,
      ownerId,
    );
    for (const point of r.history) metric.run(newId, point.epoch, JSON.stringify(point));
    for (const f of r.flags) flag.run(newId, f.epoch, f.kind, f.node, f.message);
  }
  return projectId;
}
