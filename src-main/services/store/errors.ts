/** Typed errors of the project library; the api maps them by class name (src-main/api/errors.ts). */

/** A project, run or dataset id that is not in the library. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(
    readonly kind: 'project' | 'run' | 'dataset',
    readonly id: string,
  ) {
    super(`no ${kind} with id '${id}' in the library`);
  }
}

/** A save that started from an older revision than the stored one (two windows, one writer). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    readonly projectId: string,
    readonly yourRevision: number,
    readonly currentRevision: number,
  ) {
    super(
      `project '${projectId}' was changed elsewhere: it is at revision ${currentRevision}, this edit started from ${yourRevision}; reload it before saving`,
    );
  }
}

/** A write to a library opened read-only (read-only file, newer schema, or asked for). */
export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';
  constructor(reason: string) {
    super(`the library is read-only: ${reason}`);
  }
}

/** A damaged library file: it was moved aside (never deleted) and a new one can be started. */
export class LibraryCorruptError extends Error {
  override readonly name = 'LibraryCorruptError';
  constructor(
    readonly path: string,
    /** Where the damaged file now is. */
    readonly movedTo: string,
    readonly detail: string,
    /** Backup copies next to the library (`<file>.v<N>.bak`), newest first. */
    readonly backups: string[],
  ) {
    super(
      `the library file ${path} is damaged (${detail}); it was set aside as ${movedTo}` +
        (backups.length ? `; the latest backup is ${backups[0]}` : ''),
    );
  }
}

/** A write refused because the disk (or the library's size limit) is full; nothing of it was kept. */
export class LibraryFullError extends Error {
  override readonly name = 'LibraryFullError';
  constructor(what: string) {
    super(`could not save ${what}: the disk or the library's size limit is full; nothing of this change was written`);
  }
}

/** A request the store cannot honour as given (unknown template, bad status). */
export class StoreInputError extends Error {
  override readonly name = 'StoreInputError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
