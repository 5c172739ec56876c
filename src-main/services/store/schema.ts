/**
 * The library schema, versioned by `PRAGMA user_version`. MIGRATIONS[i] takes a file from version i
 * to i + 1; each runs in one transaction together with the version bump. Add, never edit.
 */
import type Database from 'better-sqlite3';

export type Migration = (db: Database.Database) => void;

/** How many revisions of a project the history keeps (the oldest go first). */
export const REVISIONS_KEPT = 200;

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
  // v4: who trains a run. Each process that writes runs registers an owner (pid, host, heartbeat);
  // a run names its owner, so only a run whose owner is gone may be marked interrupted.
  (db) =>
    db.exec(`
      CREATE TABLE owners (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at INTEGER NOT NULL,
        -- The process's start time as the OS counts it (Linux: clock ticks since boot), or NULL where
        -- unknown: a pid reused by another program has another start time.
        process_start INTEGER
      );
      ALTER TABLE runs ADD COLUMN owner_id TEXT;
      CREATE INDEX runs_by_status ON runs(status);
    `),
  // v5: every revision of a project's content, kept by triggers on whatever write makes it (create,
  // save, rename, "use these weights", import), so no write path can forget one. The newest
  // REVISIONS_KEPT of each project stay; the current revision of existing projects is the first kept.
  (db) =>
    db.exec(`
      CREATE TABLE revisions (
        project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        saved_at TEXT NOT NULL,
        name TEXT NOT NULL,
        graph TEXT NOT NULL,
        layout TEXT NOT NULL,
        dataset TEXT NOT NULL,
        training TEXT NOT NULL,
        PRIMARY KEY (project_id, revision)
      ) WITHOUT ROWID;
      INSERT INTO revisions SELECT id, revision, updated_at, name, graph, layout, dataset, training FROM projects;
      CREATE TRIGGER revision_on_insert AFTER INSERT ON projects BEGIN
        INSERT OR REPLACE INTO revisions VALUES (NEW.id, NEW.revision, NEW.updated_at, NEW.name, NEW.graph, NEW.layout, NEW.dataset, NEW.training);
      END;
      CREATE TRIGGER revision_on_update AFTER UPDATE OF revision ON projects WHEN NEW.revision <> OLD.revision BEGIN
        INSERT OR REPLACE INTO revisions VALUES (NEW.id, NEW.revision, NEW.updated_at, NEW.name, NEW.graph, NEW.layout, NEW.dataset, NEW.training);
        DELETE FROM revisions WHERE project_id = NEW.id AND revision <= NEW.revision - ${REVISIONS_KEPT};
      END;
    `),
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Apply migrations from the file's version up to `target` (default: ours), each in one transaction.
 * The version is read again inside each (write-locked) transaction, so two processes creating or
 * upgrading the same file at once apply every step exactly once.
 */
export function migrate(db: Database.Database, target = SCHEMA_VERSION): void {
  const step = db.transaction((): boolean => {
    const v = schemaVersion(db);
    if (v >= target) return false;
    MIGRATIONS[v](db);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration per transaction
  }
}
