/**
 * The session lock: one interactive writer (the app or the web host) per library file. It is an
 * exclusive SQLite lock held on a small side file, `<library>.lock`, for as long as the session
 * lives. The operating system drops it the moment the process ends, however it ends (SIGKILL, power
 * cut), so a stale lock never needs cleaning up and a reused pid never fools it. The side file is
 * never deleted: deleting a lock file while another process waits on it would let two holders in.
 *
 * Command-line runs do not take the session lock; they write in short transactions of their own,
 * each waiting its turn for SQLite's write lock (BEGIN IMMEDIATE, bounded by busy_timeout).
 */
import Database from 'better-sqlite3';
import { closeSync, openSync } from 'node:fs';

export interface SessionLock {
  readonly file: string;
  release(): void;
}

export const lockFileOf = (libraryPath: string): string => `${libraryPath}.lock`;

/**
 * Try to become the library's one session; null when another process (or another store in this
 * process) holds it, or when the folder cannot be written (the library is then read-only anyway).
 */
export function acquireSessionLock(libraryPath: string, nativeBinding?: string): SessionLock | null {
  const file = lockFileOf(libraryPath);
  try {
    closeSync(openSync(file, 'a'));
  } catch {
    return null;
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { ...(nativeBinding ? { nativeBinding } : {}), timeout: 0 });
    // EXCLUSIVE locking mode keeps the lock once taken; MEMORY journal: no -journal file beside it.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch {
    db?.close();
    return null;
  }
  const held = db;
  return {
    file,
    release: () => {
      if (held.open) held.close();
    },
  };
}
