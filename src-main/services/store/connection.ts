/**
 * The connection to a library file and what keeps it safe: opened by store/open.ts (damaged, newer,
 * older, read-only, already-open files), the session lock (one app or web host writes), this process
 * as an owner of runs with a heartbeat, every write one transaction taken with BEGIN IMMEDIATE — so
 * writers from several processes queue for the write lock instead of failing half-way — and its
 * failures typed (a full disk, a busy library, a read-only one); backups, WAL truncation, closing.
 */
import type Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { backupNow } from './backup';
import { BusyError, LibraryFullError, ReadOnlyError } from './errors';
import type { SessionLock } from './lock';
import { DEFAULT_BUSY_TIMEOUT_MS, openLibrary, type OpenOptions } from './open';
import { beat, HEARTBEAT_MS, interruptOrphanedRuns, registerOwner } from './owners';
import { ensureReserve } from './reserve';

/** A finished run with more points than this, or a WAL larger than WAL_COMPACT_BYTES, is followed by a WAL truncation. */
const LARGE_RUN_POINTS = 5_000;
const WAL_COMPACT_BYTES = 16 * 1024 * 1024;

const isBusy = (code: unknown): boolean => typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
const isFull = (code: unknown): boolean => code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_SHMSIZE' || code === 'SQLITE_IOERR_TRUNCATE';

export class LibraryConnection {
  readonly path: string;
  readonly readOnly: boolean;
  /** How the library was opened, for the user (read-only, newer schema), or null. */
  readonly warning: string | null;
  /** The backup kept before a schema migration at open, or null. */
  readonly backup: string | null;
  /** This store as the owner of the runs it creates (null when read-only). */
  readonly ownerId: string | null;
  protected readonly db: Database.Database;
  private readonly cleanup: () => void;
  private readonly lock: SessionLock | null;
  private readonly busyTimeoutMs: number;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(opts: OpenOptions) {
    const opened = openLibrary(opts);
    this.path = opts.path;
    this.db = opened.db;
    this.readOnly = opened.readOnly;
    this.warning = opened.warning;
    this.backup = opened.backup;
    this.cleanup = opened.cleanup;
    this.lock = opened.lock;
    this.busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (this.readOnly) {
      this.ownerId = null;
      return;
    }
    try {
      this.ownerId = this.write('this process as a run owner', () => registerOwner(this.db, opts.owner ?? 'process'));
    } catch (e) {
      this.close();
      throw e;
    }
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    ensureReserve(this.path);
  }

  /** True when this store is the library's one app or web host session (it holds the session lock). */
  get isSession(): boolean {
    return this.lock !== null;
  }

  /**
   * Run `fn` as one transaction, taking the write lock first (BEGIN IMMEDIATE: a writer queues for
   * busy_timeout instead of failing half-way); a failure rolls all of it back and is reported as a typed error.
   */
  protected write<T>(what: string, fn: () => T): T {
    if (this.readOnly) throw new ReadOnlyError(this.warning ?? `cannot save ${what}`);
    const ownerId = this.ownerId;
    try {
      return this.db
        .transaction(() => {
          const result = fn();
          // Every write is also a heartbeat: a command line run trains synchronously, its timer never fires.
          if (ownerId) beat(this.db, ownerId);
          return result;
        })
        .immediate();
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (isFull(code)) throw new LibraryFullError(what);
      if (isBusy(code)) throw BusyError.writing(what, this.busyTimeoutMs);
      if (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) throw new ReadOnlyError(`cannot save ${what}`);
      throw e;
    }
  }

  /** The owner's heartbeat; a session also reaps runs whose owners died (a killed command line run). */
  private beat(): void {
    if (!this.db.open || !this.ownerId) return;
    const ownerId = this.ownerId;
    try {
      this.withBusyTimeout(250, () =>
        this.write('the heartbeat', () => {
          beat(this.db, ownerId);
          if (this.isSession) interruptOrphanedRuns(this.db, ownerId, true);
        }),
      );
    } catch {
      // Busy or full: the next beat tries again; a missed beat or two is no sign of death.
    }
  }

  protected withBusyTimeout<T>(ms: number, fn: () => T): T {
    this.db.pragma(`busy_timeout = ${ms}`);
    try {
      return fn();
    } finally {
      if (this.db.open) this.db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }

  /** After a run of `points` points: a large run, or a large WAL, is followed by a truncation of the WAL. */
  protected compactWalAfter(points: number): void {
    if (points > LARGE_RUN_POINTS || this.walBytes() > WAL_COMPACT_BYTES) this.compactWal();
  }

  private walBytes(): number {
    const wal = `${this.path}-wal`;
    return existsSync(wal) ? statSync(wal).size : 0;
  }

  /**
   * Copy the WAL into the main file and cut it to zero bytes (it never shrinks otherwise). Waits at
   * most a moment for readers of other processes; when they hold on, it is left for the next time.
   * Returns true when the WAL was truncated.
   */
  compactWal(): boolean {
    if (this.readOnly || !this.db.open) return false;
    try {
      const [r] = this.withBusyTimeout(200, () => this.db.pragma('wal_checkpoint(TRUNCATE)')) as { busy: number }[];
      return r?.busy === 0;
    } catch {
      return false;
    }
  }

  /** A consistent copy of the library next to it (SQLite's online backup API); returns its path. */
  async backupNow(): Promise<string> {
    return backupNow(this.db, this.path);
  }

  /**
   * Runs left queued or running whose owner is gone (its process was killed, or closed without ending
   * them) become failed, "interrupted at epoch N: …", with their metrics up to the last batch. Runs
   * of a live owner — another app, a command line run training now — are left alone. Returns how many.
   */
  markInterruptedRuns(): number {
    if (this.readOnly) return 0;
    return this.write('interrupted runs', () => interruptOrphanedRuns(this.db, this.ownerId, this.isSession));
  }

  /**
   * Leave the library: this owner is removed (runs it left unfinished are interrupted by the next
   * opener), the WAL is checkpointed and truncated, the session lock released.
   */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (!this.db.open) return;
    const ownerId = this.ownerId;
    if (ownerId) {
      try {
        this.withBusyTimeout(500, () => this.write('the end of this session', () => this.db.prepare('DELETE FROM owners WHERE id = ?').run(ownerId)));
      } catch {
        // Busy or full: the row stays, and our dead pid tells the next opener we are gone.
      }
      this.compactWal();
    }
    this.db.close();
    this.lock?.release();
    this.cleanup();
  }
}
