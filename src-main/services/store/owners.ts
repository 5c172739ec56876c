/**
 * Who trains a run. Every process that writes runs registers an owner row (kind, pid, host, heartbeat)
 * and beats every few seconds; each run names its owner. A run left queued or running is interrupted
 * only when its owner is gone — its process ended (same machine: the pid is dead), or it stopped
 * beating long ago — never while it lives, whoever opens the library meanwhile.
 */
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who a process is, in the user's words. */
export type OwnerKind = 'app' | 'web host' | 'command line' | 'process';

export interface OwnerRow {
  id: string;
  kind: OwnerKind;
  pid: number;
  host: string;
  started_at: string;
  heartbeat_at: number;
  process_start: number | null;
}

/** How often an owner beats. */
export const HEARTBEAT_MS = 5_000;
/**
 * Where the OS cannot tell when a process started (not Linux), an owner on this machine whose pid is
 * alive but that has not beaten (nor written) for this long is taken for gone: its pid was reused.
 * Generous: a command line run beats with every batch of points it writes, an epoch may take long.
 */
export const SAME_HOST_STALE_MS = 60 * 60_000;
/** An owner on another machine (a library on a shared folder) is gone after this long without a beat. */
export const OTHER_HOST_STALE_MS = 60_000;

const HOST = hostname();

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** When the process started, in clock ticks since boot (Linux /proc/<pid>/stat, field 22); null where unknown. */
export function processStart(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[22 - 3]);
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

export function registerOwner(db: Database.Database, kind: OwnerKind): string {
  const id = randomUUID();
  db.prepare('INSERT INTO owners (id, kind, pid, host, started_at, heartbeat_at, process_start) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    kind,
    process.pid,
    HOST,
    new Date().toISOString(),
    Date.now(),
    processStart(process.pid),
  );
  return id;
}

export function beat(db: Database.Database, ownerId: string): void {
  db.prepare('UPDATE owners SET heartbeat_at = ? WHERE id = ?').run(Date.now(), ownerId);
}

/**
 * Is this owner still training its runs? `sessionHeld`: the caller holds the session lock, so every
 * other app or web host session has ended, whatever its pid says.
 */
export function ownerAlive(owner: OwnerRow | undefined, self: string | null, sessionHeld: boolean, now = Date.now()): boolean {
  if (!owner) return false;
  if (owner.id === self) return true;
  if (sessionHeld && (owner.kind === 'app' || owner.kind === 'web host')) return false;
  const silent = now - owner.heartbeat_at;
  if (owner.host !== HOST) return silent < OTHER_HOST_STALE_MS;
  if (!pidAlive(owner.pid)) return false;
  // The pid runs: ours, unless it is another program's now (another start time).
  const started = owner.process_start === null ? null : processStart(owner.pid);
  if (started !== null) return started === owner.process_start;
  return silent < SAME_HOST_STALE_MS;
}

/** "the command line run (pid 4242)", for messages. */
export function describeOwner(owner: Pick<OwnerRow, 'kind' | 'pid' | 'host'> | undefined): string {
  if (!owner) return 'the process training it';
  const who = owner.kind === 'app' ? 'the Neurograph app' : owner.kind === 'web host' ? 'the Neurograph web host' : owner.kind === 'command line' ? 'the command line run' : 'the process training it';
  return `${who} (pid ${owner.pid}${owner.host === HOST ? '' : ` on ${owner.host}`})`;
}

/** What an interrupted run reads: how far it got and who stopped. */
export function interruptedReason(epochs: number, owner: OwnerRow | undefined): string {
  const where = epochs > 0 ? `interrupted at epoch ${epochs}` : 'interrupted before its first epoch';
  return `${where}: ${describeOwner(owner)} stopped during training`;
}

/** The live app or web host session holding the library, if its row says so (for the read-only notice). */
export function liveSession(db: Database.Database): OwnerRow | undefined {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'owners'").get();
  if (!hasTable) return undefined;
  const rows = db.prepare("SELECT * FROM owners WHERE kind IN ('app', 'web host') ORDER BY heartbeat_at DESC").all() as OwnerRow[];
  return rows.find((r) => ownerAlive(r, null, false));
}

/**
 * Runs left queued or running whose owner is gone become failed, "interrupted at epoch N: …"; owner
 * rows that are gone and own nothing unfinished are removed. Call inside a write transaction.
 */
export function interruptOrphanedRuns(db: Database.Database, self: string | null, sessionHeld: boolean): number {
  const owners = new Map((db.prepare('SELECT * FROM owners').all() as OwnerRow[]).map((o) => [o.id, o]));
  const runs = db.prepare("SELECT id, owner_id, epochs FROM runs WHERE status IN ('queued', 'running')").all() as { id: string; owner_id: string | null; epochs: number }[];
  const update = db.prepare("UPDATE runs SET status = 'failed', reason = ?, finished_at = ? WHERE id = ? AND status IN ('queued', 'running')");
  const at = new Date().toISOString();
  let changed = 0;
  const alive = new Map<string, boolean>();
  const isAlive = (id: string | null): boolean => {
    if (id === null) return false;
    if (!alive.has(id)) alive.set(id, ownerAlive(owners.get(id), self, sessionHeld));
    return alive.get(id)!;
  };
  for (const run of runs) {
    if (isAlive(run.owner_id)) continue;
    changed += update.run(interruptedReason(run.epochs, run.owner_id ? owners.get(run.owner_id) : undefined), at, run.id).changes;
  }
  const remove = db.prepare('DELETE FROM owners WHERE id = ?');
  for (const id of owners.keys()) if (!isAlive(id)) remove.run(id);
  return changed;
}
