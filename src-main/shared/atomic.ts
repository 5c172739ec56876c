/**
 * Files outside the library (`train --out`, exports, backups) are written whole or not at all: to a
 * temporary name in the same folder, fsynced, then renamed over the target (rename is atomic within a
 * folder), and the folder fsynced so the rename itself survives a power cut. A failure removes the
 * temporary file and leaves the previous file exactly as it was.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { NeurographError } from '../../src-engine';

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/** True for an error that means the disk (or a quota) is full: node's ENOSPC, or our own disk_full. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (FULL_CODES.has(code) || code === 'disk_full' || code === 'SQLITE_FULL');
}

/** A file could not be written because the disk is full; the previous file (if any) is unchanged. */
export class DiskFullError extends NeurographError {
  constructor(readonly file: string) {
    super(`could not write ${file}: the disk is full; nothing was written and any previous ${basename(file)} was kept`, 'disk_full', file);
  }
}

/** A file could not be written for another reason (no such folder, no permission); nothing was changed. */
export class FileWriteError extends NeurographError {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`could not write ${file}: ${reason}; nothing was changed`, 'failed', file);
  }
}

/** The temporary name a write goes to first: hidden, next to the target, unique per attempt. */
export function temporaryNameFor(file: string): string {
  return join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

function fsyncFolder(folder: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Some systems cannot fsync a folder (Windows); the rename is still atomic there.
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'its folder does not exist';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EISDIR') return 'it is a folder';
  if (e.code === 'EROFS') return 'the disk is read-only';
  return e.message ?? String(err);
}

/**
 * Move a finished temporary file (written by someone else: SQLite's VACUUM INTO, its backup API) over
 * `file`, durably: its content is fsynced first, then renamed. On failure the temporary file is removed.
 */
export function commitTemporaryFile(tmp: string, file: string, synced = false): void {
  try {
    if (!synced) {
      const fd = openSync(tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw isDiskFull(err) ? new DiskFullError(file) : new FileWriteError(file, reasonOf(err));
  }
  fsyncFolder(dirname(file));
}

/** Write `data` to `file` atomically: all of it, or nothing and the previous file intact. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = temporaryNameFor(file);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
  } catch (err) {
    if (fd !== null) {
      try {
        closeSync(fd);
      } catch {
        // Closing a file on a full disk can fail too; the file is removed below either way.
      }
    }
    rmSync(tmp, { force: true });
    throw isDiskFull(err) ? new DiskFullError(file) : new FileWriteError(file, reasonOf(err));
  }
  commitTemporaryFile(tmp, file, true);
}
