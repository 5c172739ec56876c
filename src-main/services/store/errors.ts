/** Typed errors of the project library, each with its own api code (src-engine/errors.ts). */
import { NeurographError } from '../../../src-engine';

/** A project, run or dataset id that is not in the library. */
export class NotFoundError extends NeurographError {
  constructor(
    readonly kind: 'project' | 'run' | 'dataset' | 'compare' | 'revision',
    readonly id: string,
    message = `no ${kind} with id '${id}' in the library`,
  ) {
    super(message, 'not_found', kind === 'compare' ? 'groupId' : kind === 'revision' ? 'revision' : `${kind}Id`);
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
    /** The first problem SQLite found (the whole report is in `log`). */
    readonly detail: string,
    /** Backup copies next to the library (`<file>.v<N>.bak…`), newest first. */
    readonly backups: string[],
    /** The file next to the library holding the whole report, or null when it could not be written. */
    readonly log: string | null = null,
  ) {
    super(
      `the library file ${file} is damaged (${detail}); it was set aside as ${movedTo}` +
        (backups.length ? `; the newest backup is ${backups[0]}` : '; there is no backup of it') +
        (log ? `; details are in ${log}` : ''),
      'library_corrupt',
    );
  }
}

/** Another process holds the library: its write lock for longer than we wait, or its session during an upgrade. */
export class BusyError extends NeurographError {
  constructor(message: string) {
    super(message, 'busy');
  }

  /** A write that waited `waitedMs` for another process's write to finish, and gave up. */
  static writing(what: string, waitedMs: number): BusyError {
    return new BusyError(
      `could not save ${what}: another Neurograph process (the app, the web host or a command line run) kept the library busy for ${Math.round(waitedMs / 1000)} s; nothing of this change was written — try again`,
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
