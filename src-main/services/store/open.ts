/**
 * Opening the library file and surviving what can be wrong with it (FAULTS 21–24): a damaged file is
 * set aside (renamed, never deleted) with the whole report in a log next to it; a file from a newer
 * schema, one we may not write, one whose -wal went missing, or one another app session holds opens
 * read-only with a warning; an older schema is migrated after a backup copy is kept — and the user is
 * told where it is.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { backupBeforeMigration, freeName, listBackups, timeStamp } from './backup';
import { BusyError, LibraryCorruptError, ReadOnlyError } from './errors';
import { acquireSessionLock, type SessionLock } from './lock';
import { describeOwner, liveSession, type OwnerKind } from './owners';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema';
import { walLost } from './wal';

export { listBackups } from './backup';

export interface OpenOptions {
  path: string;
  /** better-sqlite3's native addon path (the Electron build ships its own). */
  nativeBinding?: string;
  /** Open read-only even when the file is writable. */
  readOnly?: boolean;
  /** Size limit of the library in bytes (a quota); writes beyond it fail with LibraryFullError. */
  maxBytes?: number;
  /** Who opens the library (recorded as the owner of the runs it creates). Default 'process'. */
  owner?: OwnerKind;
  /**
   * Take the session lock (the app, the web host): while another session holds it, this one opens
   * read-only with a notice naming it.
   */
  session?: boolean;
  /** How long a write waits for another process's write to finish before giving up (BusyError). Default 5 s. */
  busyTimeoutMs?: number;
}

export interface OpenLibrary {
  db: Database.Database;
  readOnly: boolean;
  /** What the user should be told about how the library was opened, or null. */
  warning: string | null;
  /** The backup kept before a migration, if one ran. */
  backup: string | null;
  /** The session lock, when asked for and won. */
  lock: SessionLock | null;
  /** Called after the db is closed (removes a read-only snapshot copy). */
  cleanup: () => void;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** The WAL is cut back to this size whenever a checkpoint resets it (it would otherwise never shrink). */
const JOURNAL_SIZE_LIMIT = 4 * 1024 * 1024;
const NO_CLEANUP = (): void => {};

/**
 * A read-only library that cannot be opened in place (a folder we may not write, missing -shm, or a
 * lost -wal) is opened as a snapshot copy in a temp folder. `withWal`: copy the -wal too.
 */
function openSnapshot(path: string, dbOptions: { nativeBinding?: string }, withWal: boolean): { db: Database.Database; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'neurograph-readonly-'));
  const copy = join(dir, basename(path));
  copyFileSync(path, copy);
  if (withWal && existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  const db = new Database(copy, { ...dbOptions, readonly: true, fileMustExist: true });
  return { db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const IN_PLACE_READONLY_FAILS = new Set(['SQLITE_READONLY_DIRECTORY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_RECOVERY']);

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);
const OUR_TABLES = new Set(['projects', 'runs', 'metrics', 'datasets', 'flags', 'compare_groups', 'owners']);

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Rename the damaged file and its -wal/-shm companions aside; returns the new path of the file. */
function setAside(path: string): string {
  const movedTo = freeName(path, `.corrupt-${timeStamp()}`);
  renameSync(path, movedTo);
  for (const ext of ['-wal', '-shm']) if (existsSync(path + ext)) renameSync(path + ext, movedTo + ext);
  return movedTo;
}

/** The whole report goes to a log beside the set-aside file; the message keeps only its first line. */
function writeCorruptionLog(movedTo: string, file: string, problems: string[]): string | null {
  const log = `${movedTo}.log`;
  try {
    writeFileSync(log, [`Neurograph found ${file} damaged at ${new Date().toISOString()} and set it aside as ${movedTo}.`, 'SQLite reported:', ...problems, ''].join('\n'));
    return log;
  } catch {
    return null;
  }
}

function configure(db: Database.Database, readOnly: boolean, opts: OpenOptions): void {
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
  db.pragma('foreign_keys = ON');
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    // Every acknowledged commit is on disk (WAL + fsync), not only in the OS cache.
    db.pragma('synchronous = FULL');
    db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  }
  if (opts.maxBytes !== undefined) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`max_page_count = ${Math.max(1, Math.floor(opts.maxBytes / pageSize))}`);
  }
}

function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

/** Every problem quick_check finds (SQLite packs several into one row, a line each), or [] when the file is sound. */
function problemsOf(db: Database.Database): string[] {
  const rows = db.pragma('quick_check(100)') as { quick_check: string }[];
  const lines = rows.flatMap((r) => String(r.quick_check).split('\n')).filter((l) => l.trim() && !l.startsWith('*** in database'));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

class Corrupt extends Error {
  readonly code = 'SQLITE_CORRUPT';
  constructor(readonly problems: string[]) {
    super(problems[0] ?? 'damaged');
  }
}

function sessionNotice(db: Database.Database): string {
  const holder = liveSession(db);
  return (
    `This library is open in ${holder ? describeOwner(holder) : 'another Neurograph window'}, which is the one writer of it. ` +
    'Here it is read-only: you can look, but changes cannot be saved. Close the other one to edit here.'
  );
}

/** Open (or create) the library at opts.path. Throws LibraryCorruptError after setting a damaged file aside. */
export function openLibrary(opts: OpenOptions): OpenLibrary {
  const { path, nativeBinding } = opts;
  const dbOptions = nativeBinding ? { nativeBinding } : {};
  const wantsWrite = opts.readOnly !== true;
  if (!existsSync(path)) mkdirSync(dirname(path), { recursive: true });
  const lock = opts.session && wantsWrite ? acquireSessionLock(path, nativeBinding) : null;
  const lockedOut = opts.session === true && wantsWrite && lock === null && writable(dirname(path));
  const fail = (e: unknown): never => {
    lock?.release();
    throw e;
  };

  if (!existsSync(path) && !lockedOut) {
    try {
      const db = new Database(path, dbOptions);
      configure(db, false, opts);
      migrate(db);
      return { db, readOnly: false, warning: null, backup: null, lock, cleanup: NO_CLEANUP };
    } catch (e) {
      return fail(e);
    }
  }

  let readOnly = !wantsWrite || lockedOut;
  let warning: string | null = wantsWrite ? null : 'The library was opened read-only, as asked.';
  let snapshot: 'none' | 'with-wal' | 'without-wal' = 'none';
  if (wantsWrite && !lockedOut && !writable(path)) {
    readOnly = true;
    warning = 'The library file (or its folder) is read-only: you can look, but changes cannot be saved.';
  }
  if (walLost(path)) {
    readOnly = true;
    snapshot = 'without-wal';
    warning =
      `The library's journal (${basename(path)}-wal) is missing: changes saved after the last checkpoint may be lost with it. ` +
      'The library is shown read-only, as its main file holds it, so that nothing more is lost; if the journal can be put back (from a backup or the recycle bin), do so before opening it again.';
  }

  let db: Database.Database | null = null;
  let cleanup = NO_CLEANUP;
  let version: number;
  try {
    if (snapshot === 'without-wal') ({ db, cleanup } = openSnapshot(path, dbOptions, false));
    else db = new Database(path, { ...dbOptions, readonly: readOnly, fileMustExist: true });
    let problems: string[];
    try {
      problems = problemsOf(db);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (!readOnly || typeof code !== 'string' || !IN_PLACE_READONLY_FAILS.has(code)) throw e;
      db.close();
      ({ db, cleanup } = openSnapshot(path, dbOptions, true));
      warning = `${warning ?? 'The library is read-only.'} Its folder cannot be written (or its -wal/-shm files are missing), so a read-only snapshot copy is shown.`;
      problems = problemsOf(db);
    }
    if (problems.length > 0) throw new Corrupt(problems);
    version = schemaVersion(db);
    if (version === 0) {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      const foreign = tables.filter((t) => !OUR_TABLES.has(t) && !t.startsWith('sqlite_'));
      if (foreign.length > 0) throw Object.assign(new Error(`not a Neurograph library (tables: ${foreign.join(', ')})`), { code: 'SQLITE_NOTADB' });
    }
  } catch (e) {
    db?.close();
    cleanup();
    if (!isCorruption(e)) return fail(e);
    const problems = e instanceof Corrupt ? e.problems : [(e as Error).message];
    const extra = problems.length > 1 ? ` and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''}` : '';
    let movedTo = path;
    let detail = `${problems[0]}${extra}`;
    try {
      movedTo = setAside(path);
    } catch (moveError) {
      detail += `; it could not be set aside (${(moveError as Error).message}) and was left as it is`;
    }
    const log = writeCorruptionLog(movedTo, path, problems);
    return fail(new LibraryCorruptError(path, movedTo, detail, listBackups(path), log));
  }
  if (lockedOut) warning = sessionNotice(db);

  if (version > SCHEMA_VERSION) {
    if (!readOnly) {
      db.close();
      db = new Database(path, { ...dbOptions, readonly: true, fileMustExist: true });
      readOnly = true;
    }
    warning =
      `This library was written by a newer Neurograph (schema ${version}; this version knows ${SCHEMA_VERSION}). ` +
      'It is open read-only so that nothing of it is lost; update Neurograph to change it.';
  }
  configure(db, readOnly, opts);

  let backup: string | null = null;
  if (version < SCHEMA_VERSION) {
    if (readOnly) {
      db.close();
      cleanup();
      if (snapshot === 'without-wal') return fail(new ReadOnlyError(warning ?? 'the library journal is missing'));
      return fail(new ReadOnlyError(`the library uses an older schema (${version}) and must be upgraded, but it cannot be written${lockedOut ? ' while another Neurograph has it open' : ''}`));
    }
    // Upgrading under a running session would pull the schema from under it: only with the lock.
    const migrationLock = lock ?? acquireSessionLock(path, nativeBinding);
    if (!migrationLock) {
      const holder = liveSession(db);
      db.close();
      return fail(
        new BusyError(
          `the library must be upgraded to schema ${SCHEMA_VERSION} before this version can use it, but it is open in ${holder ? describeOwner(holder) : 'another Neurograph window'}; close that one and try again`,
        ),
      );
    }
    try {
      if (version > 0) backup = backupBeforeMigration(db, path);
      migrate(db);
    } catch (e) {
      db.close();
      if (migrationLock !== lock) migrationLock.release();
      return fail(e);
    }
    if (migrationLock !== lock) migrationLock.release();
    if (backup) warning = `The library was upgraded from schema ${version} to ${SCHEMA_VERSION}; a copy of it as it was is kept as ${backup}.`;
  }
  return { db, readOnly, warning, backup, lock: readOnly ? (lock?.release(), null) : lock, cleanup };
}
