/**
 * The library schema, versioned by `PRAGMA user_version`. MIGRATIONS[i] takes a file from version i
 * to i + 1; each runs in one transaction together with the version bump. Add, never edit.
 */
import type Database from 'better-sqlite3';

export type Migration = (db: Database.Database) => void;

export const MIGRATIONS: readonly Migration[] = [
  // v1: projects, runs and their metric history.
  (db) =>
    db.exec(`
      CREATE TABLE projects (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        revision INTEGER NOT NULL CHECK (revision >= 1),
        graph TEXT NOT NULL CHECK (json_valid(graph)),
        layout TEXT NOT NULL CHECK (json_valid(layout)),
        dataset TEXT NOT NULL CHECK (json_valid(dataset)),
        training TEXT NOT NULL CHECK (json_valid(training)),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'stopped', 'failed')),
        reason TEXT,
        training TEXT NOT NULL CHECK (json_valid(training)),
        graph TEXT NOT NULL CHECK (json_valid(graph)),
        optimizer TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        epochs INTEGER NOT NULL DEFAULT 0,
        final_loss REAL,
        final_accuracy REAL,
        model TEXT CHECK (model IS NULL OR json_valid(model))
      );
      CREATE INDEX runs_by_project ON runs(project_id, started_at);
      CREATE TABLE metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL CHECK (epoch >= 0),
        point TEXT NOT NULL CHECK (json_valid(point))
      );
    `),
  // v2: imported CSV tables, gradient-health flags, and an index for reading a run's history.
  (db) =>
    db.exec(`
      CREATE TABLE datasets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        csv TEXT NOT NULL,
        options TEXT NOT NULL CHECK (json_valid(options)),
        summary TEXT NOT NULL CHECK (json_valid(summary))
      );
      CREATE TABLE flags (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        kind TEXT NOT NULL,
        node TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX metrics_by_run ON metrics(run_id, epoch);
      CREATE INDEX flags_by_run ON flags(run_id);
    `),
  // v3: compared runs as one group, and the run whose weights a project uses ("use these weights").
  (db) =>
    db.exec(`
      CREATE TABLE compare_groups (
        id TEXT PRIMARY KEY,
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        settings TEXT NOT NULL CHECK (json_valid(settings))
      );
      CREATE INDEX groups_by_project ON compare_groups(project_id, created_at);
      ALTER TABLE runs ADD COLUMN group_id TEXT REFERENCES compare_groups(id) ON DELETE CASCADE;
      CREATE INDEX runs_by_group ON runs(group_id);
      ALTER TABLE projects ADD COLUMN model_run TEXT;
    `),
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Apply migrations from the file's version up to `target` (default: ours), each in one transaction. */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): void {
  for (let v = schemaVersion(db); v < target; v++) {
    db.transaction(() => {
      MIGRATIONS[v](db);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
