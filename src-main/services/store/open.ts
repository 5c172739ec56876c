/**
 * Opening the library file and surviving what can be wrong with it (FAULTS 21–23): a damaged file is
 * set aside (renamed, never deleted) and reported; a file from a newer schema, or one we may not
 * write, opens read-only with a warning; an older schema is migrated after a backup copy is kept.
 */
import Database from 'better-sqlite3';
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { LibraryCorruptError, ReadOnlyError } from './errors';
import { migrate, SCHEMA_VERSION, schemaVersion } from './schema';

export interface OpenOptions {
  path: string;
  /** better-sqlite3's native addon path (the Electron build ships its own). */
  nativeBinding?: string;
  /** Open read-only even when the file is writable. */
  readOnly?: boolean;
  /** Size limit of the library in bytes (a quota); writes beyond it fail with LibraryFullError. */
  maxBytes?: number;
}

export interface OpenLibrary {
  db: Database.Database;
  readOnly: boolean;
  /** What the user should be told about how the library was opened, or null. */
  warning: string | null;
  /** The backup kept before a migration, if one ran. */
  backup: string | null;
  /** Called after the db is closed (removes a read-only snapshot copy). */
  cleanup: () => void;
}

const NO_CLEANUP = (): void => {};

/**
 * A read-only WAL library in a folder we may not write (or without its -shm file) cannot be opened in
 * place: SQLite needs to create the -shm. Open a snapshot copy in a temp folder instead.
 */
function openSnapshot(path: string, dbOptions: { nativeBinding?: string }): { db: Database.Database; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'neurograph-readonly-'));
  const copy = join(dir, basename(path));
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  const db = new Database(copy, { ...dbOptions, readonly: true, fileMustExist: true });
  return { db, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const IN_PLACE_READONLY_FAILS = new Set(['SQLITE_READONLY_DIRECTORY', 'SQLITE_CANTOPEN', 'SQLITE_READONLY_CANTINIT', 'SQLITE_READONLY_RECOVERY']);

const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_INDEX']);
const OUR_TABLES = new Set(['projects', 'runs', 'metrics', 'datasets', 'flags']);

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A name next to `path` that does not exist yet: `<path><suffix>`, `<path><suffix>-2`, … */
function freeName(path: string, suffix: string): string {
  let candidate = `${path}${suffix}`;
  for (let i = 2; existsSync(candidate); i++) candidate = `${path}${suffix}-${i}`;
  return candidate;
}

/** Backups next to the library (`<file>.v<N>.bak…`), newest first. */
export function listBackups(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.v`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.includes('.bak'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

/** Rename the damaged file and its -wal/-shm companions aside; returns the new path of the file. */
function setAside(path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const movedTo = freeName(path, `.corrupt-${stamp}`);
  renameSync(path, movedTo);
  for (const ext of ['-wal', '-shm']) if (existsSync(path + ext)) renameSync(path + ext, movedTo + ext);
  return movedTo;
}

function configure(db: Database.Database, readOnly: boolean, maxBytes?: number): void {
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  if (!readOnly) db.pragma('journal_mode = WAL');
  if (maxBytes !== undefined) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma(`max_page_count = ${Math.max(1, Math.floor(maxBytes / pageSize))}`);
  }
}

function isCorruption(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && CORRUPT_CODES.has(code);
}

/** Open (or create) the library at opts.path. Throws LibraryCorruptError after setting a damaged file aside. */
export function openLibrary(opts: OpenOptions): OpenLibrary {
  const { path, nativeBinding } = opts;
  const dbOptions = nativeBinding ? { nativeBinding } : {};
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, dbOptions);
    configure(db, false, opts.maxBytes);
    migrate(db);
    return { db, readOnly: false, warning: null, backup: null, cleanup: NO_CLEANUP };
  }

  let readOnly = opts.readOnly === true;
  let warning: string | null = readOnly ? 'The library was opened read-only, as asked.' : null;
  if (!readOnly && !writable(path)) {
    readOnly = true;
    warning = 'The library file (or its folder) is read-only: you can look, but changes cannot be saved.';
  }

  let db: Database.Database | null = null;
  let cleanup = NO_CLEANUP;
  let version: number;
  try {
    db = new Database(path, { ...dbOptions, readonly: readOnly, fileMustExist: true });
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (!readOnly || typeof code !== 'string' || !IN_PLACE_READONLY_FAILS.has(code)) throw e;
      db.close();
      ({ db, cleanup } = openSnapshot(path, dbOptions));
      warning = `${warning ?? 'The library is read-only.'} Its folder cannot be written (or its -wal/-shm files are missing), so a read-only snapshot copy is shown.`;
      check = db.pragma('quick_check', { simple: true });
    }
    if (check !== 'ok') throw Object.assign(new Error(String(check)), { code: 'SQLITE_CORRUPT' });
    version = schemaVersion(db);
    if (version === 0) {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
      const foreign = tables.filter((t) => !OUR_TABLES.has(t) && !t.startsWith('sqlite_'));
      if (foreign.length > 0) throw Object.assign(new Error(`not a Neurograph library (tables: ${foreign.join(', ')})`), { code: 'SQLITE_NOTADB' });
    }
  } catch (e) {
    db?.close();
    cleanup();
    if (!isCorruption(e)) throw e;
    let movedTo = path;
    let detail = (e as Error).message;
    try {
      movedTo = setAside(path);
    } catch (moveError) {
      detail += `; it could not be set aside (${(moveError as Error).message}) and was left as it is`;
    }
    throw new LibraryCorruptError(path, movedTo, detail, listBackups(path));
  }

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
  configure(db, readOnly, opts.maxBytes);

  let backup: string | null = null;
  if (version < SCHEMA_VERSION) {
    if (readOnly) {
      db.close();
      cleanup();
      throw new ReadOnlyError(`the library uses an older schema (${version}) and must be upgraded, but it cannot be written`);
    }
    if (version > 0) {
      db.pragma('wal_checkpoint(TRUNCATE)');
      backup = freeName(path, `.v${version}.bak`);
      copyFileSync(path, backup);
    }
    migrate(db);
  }
  return { db, readOnly, warning, backup, cleanup };
}
