/**
 * Backups of the library, next to it: `<file>.v<schema>.bak` before a migration, and
 * `<file>.v<schema>.bak-<time>` on demand. Both are consistent copies made by SQLite itself from a
 * read transaction — never a byte copy of a file another process may be writing — written to a
 * temporary name and renamed, so a half-made backup is never mistaken for one.
 */
import type Database from 'better-sqlite3';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { commitTemporaryFile, isDiskFull, temporaryNameFor } from '../../shared';
import { LibraryFullError } from './errors';
import { schemaVersion } from './schema';

/** A name next to `path` that does not exist yet: `<path><suffix>`, `<path><suffix>-2`, … */
export function freeName(path: string, suffix: string): string {
  let candidate = `${path}${suffix}`;
  for (let i = 2; existsSync(candidate); i++) candidate = `${path}${suffix}-${i}`;
  return candidate;
}

export const timeStamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

/** Backups next to the library (`<file>.v<N>.bak…`), newest first. */
export function listBackups(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.v`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.includes('.bak') && !f.endsWith('.tmp'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

function failed(err: unknown, tmp: string): never {
  rmSync(tmp, { force: true });
  if (isDiskFull(err) || (err as { code?: string }).code?.startsWith('SQLITE_IOERR')) throw new LibraryFullError('a backup of the library');
  throw err;
}

/**
 * Before a migration, at open: the constructor is synchronous, and better-sqlite3's db.backup() is not,
 * so this copy is made with `VACUUM INTO` — SQLite's own synchronous, consistent copy (one read
 * transaction; compacted, checksummed pages). The on-demand backup below uses the backup API.
 */
export function backupBeforeMigration(db: Database.Database, path: string): string {
  const file = freeName(path, `.v${schemaVersion(db)}.bak`);
  const tmp = temporaryNameFor(file);
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
  } catch (err) {
    failed(err, tmp);
  }
  commitTemporaryFile(tmp, file);
  return file;
}

/** On demand (`library.backup`): the SQLite online backup API, page by page without blocking writers. */
export async function backupNow(db: Database.Database, path: string): Promise<string> {
  const file = freeName(path, `.v${schemaVersion(db)}.bak-${timeStamp()}`);
  const tmp = temporaryNameFor(file);
  try {
    await db.backup(tmp);
  } catch (err) {
    failed(err, tmp);
  }
  commitTemporaryFile(tmp, file);
  return file;
}
