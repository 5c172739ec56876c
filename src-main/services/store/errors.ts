/** Typed errors of the project library, each with its own api code (src-engine/errors.ts). */
import { NeurographError } from '../../../src-engine';

/** A project, run or dataset id that is not in the library. */
export class NotFoundError extends NeurographError {
  constructor(
    readonly kind: 'project' | 'run' | 'dataset' | 'compare',
    readonly id: string,
  ) {
    super(`no ${kind} with id '${id}' in the library`, 'not_found', kind === 'compare' ? 'groupId' : `${kind}Id`);
  }
}

/** A save that started from an older revision than the stored one (two windows, one writer). */
export class ConflictError extends NeurographError {
  constructor(
    readonly projectId: string,
    readonly yourRevision: number,
    readonly currentRevision: number,
  ) {
    super(
      `project '${projectId}' was changed elsewhere: it is at revision ${currentRevision}, this edit started from ${yourRevision}; reload it before saving`,
      'conflict',
      'revision',
    );
  }
}

/** A write to a library opened read-only (read-only file, newer schema, or asked for). */
export class ReadOnlyError extends NeurographError {
  constructor(reason: string) {
    super(`the library is read-only: ${reason}`, 'read_only');
  }
}

/** A damaged library file: it was moved aside (never deleted) and a new one can be started. */
export class LibraryCorruptError extends NeurographError {
  constructor(
    readonly file: string,
    /** Where the damaged file now is. */
    readonly movedTo: string,
    readonly detail: string,
    /** Backup copies next to the library (`<file>.v<N>.bak`), newest first. */
    readonly backups: string[],
  ) {
    super(
      `the library file ${file} is damaged (${detail}); it was set aside as ${movedTo}` +
        (backups.length ? `; the latest backup is ${backups[0]}` : ''),
      'library_corrupt',
    );
  }
}

/** A write refused because the disk (or the library's size limit) is full; nothing of it was kept. */
export class LibraryFullError extends NeurographError {
  constructor(what: string) {
    super(`could not save ${what}: the disk is full (or the library's size limit is reached); nothing of this change was written`, 'disk_full');
  }
}

/** A request the store cannot honour as given (unknown template, bad status). */
export class StoreInputError extends NeurographError {
  constructor(message: string, field?: string) {
    super(message, 'store_input', field);
  }
}
