/**
 * One writer per library and runs that belong to their owner (FAULTS 24; issue items 2 and 3), in
 * one process: the session lock, the owner rows, and who may mark a run interrupted.
 */
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { BusyError, migrate, ProjectStore, ReadOnlyError } from '../../../src-main/services/ProjectStore';
import { acquireSessionLock } from '../../../src-main/services/store/lock';
import { ownerAlive, processStart, type OwnerRow } from '../../../src-main/services/store/owners';
import { useTempLibrary } from './helpers';

const temp = useTempLibrary();

/** A pid that is certainly not running: past the kernel's largest. */
const DEAD_PID = 4_194_304 + 7;

describe('the session lock', () => {
  it('a second session opens read-only with a notice naming the first; after the first closes, a new one may write', () => {
    const { path } = temp();
    const first = new ProjectStore({ path, session: true, owner: 'app' });
    expect(first.isSession).toBe(true);
    const p = first.createProject('mine', 'xor');
    const second = new ProjectStore({ path, session: true, owner: 'web host' });
    expect(second.readOnly).toBe(true);
    expect(second.isSession).toBe(false);
    expect(second.warning).toMatch(new RegExp(`open in the Neurograph app \\(pid ${process.pid}\\).*read-only`));
    expect(second.getProject(p.id).name).toBe('mine');
    expect(() => second.saveProject({ ...second.getProject(p.id), name: 'theirs' })).toThrow(ReadOnlyError);
    second.close();
    first.close();
    const third = new ProjectStore({ path, session: true, owner: 'web host' });
    expect(third.readOnly).toBe(false);
    expect(third.isSession).toBe(true);
    third.close();
  });

  it('a store that is not a session (the CLI) writes beside a session, each write in its turn', () => {
    const { path } = temp();
    const app = new ProjectStore({ path, session: true, owner: 'app' });
    const cli = new ProjectStore({ path, owner: 'command line' });
    expect(cli.readOnly).toBe(false);
    const a = app.createProject('from the app');
    const b = cli.createProject('from the CLI');
    expect(app.listProjects().map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    cli.close();
    app.close();
  });

  it('refuses to upgrade an older library while another session holds it, with code busy', () => {
    const { path } = temp();
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrate(old, 3);
    old.close();
    const lock = acquireSessionLock(path)!;
    expect(lock).not.toBeNull();
    try {
      let err: unknown = null;
      try {
        new ProjectStore({ path });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BusyError);
      expect((err as BusyError).code).toBe('busy');
      expect((err as Error).message).toMatch(/must be upgraded to schema \d+ .* close that one and try again/);
    } finally {
      lock.release();
    }
    const upgraded = new ProjectStore({ path });
    expect(upgraded.warning).toMatch(/upgraded from schema 3 .* kept as .*\.v3\.bak/);
    upgraded.close();
  });
});

describe('runs belong to their owner', () => {
  const row = (o: Partial<OwnerRow>): OwnerRow => ({
    id: 'o',
    kind: 'command line',
    pid: process.pid,
    host: hostname(),
    started_at: '',
    heartbeat_at: Date.now(),
    process_start: processStart(process.pid),
    ...o,
  });

  it('an owner lives while its process does (same machine: its pid, with its start time), or while it beats (another machine)', () => {
    expect(ownerAlive(row({}), null, false)).toBe(true);
    expect(ownerAlive(row({ pid: DEAD_PID }), null, false)).toBe(false);
    // Silent for a day but still the same process (a long synchronous epoch): alive.
    expect(ownerAlive(row({ heartbeat_at: Date.now() - 24 * 3600_000 }), null, false)).toBe(true);
    if (process.platform === 'linux') {
      expect(processStart(process.pid)).toBeGreaterThan(0);
      // The pid runs, but it started at another time: another program got the pid.
      expect(ownerAlive(row({ process_start: processStart(process.pid)! - 1 }), null, false)).toBe(false);
    }
    // Where the start time is unknown, a live pid silent for over an hour is taken for a reused one.
    expect(ownerAlive(row({ process_start: null, heartbeat_at: Date.now() - 11 * 60_000 }), null, false)).toBe(true);
    expect(ownerAlive(row({ process_start: null, heartbeat_at: Date.now() - 61 * 60_000 }), null, false)).toBe(false);
    expect(ownerAlive(row({ host: 'elsewhere', pid: DEAD_PID, heartbeat_at: Date.now() - 5_000 }), null, false)).toBe(true);
    expect(ownerAlive(row({ host: 'elsewhere', heartbeat_at: Date.now() - 61_000 }), null, false)).toBe(false);
    // Holding the session lock, every other app session is known to be gone, whatever its pid says.
    expect(ownerAlive(row({ kind: 'app' }), null, true)).toBe(false);
    expect(ownerAlive(row({ kind: 'command line' }), null, true)).toBe(true);
    expect(ownerAlive(undefined, null, false)).toBe(false);
  });

  it("another process's start-up leaves a live owner's runs alone and interrupts a dead owner's, at the epoch reached, points kept", () => {
    const { path } = temp();
    const live = new ProjectStore({ path, owner: 'app' });
    const p = live.createProject('p', 'xor');
    const mine = live.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    live.appendMetrics(mine, [{ epoch: 1, loss: 0.9 }]);
    // A run whose owner died: its owner row names a pid that does not run.
    const dead = live.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    live.appendMetrics(dead, [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch })));
    const db = new Database(path);
    db.prepare("INSERT INTO owners (id, kind, pid, host, started_at, heartbeat_at) VALUES ('gone', 'command line', ?, ?, 't', ?)").run(DEAD_PID, hostname(), Date.now());
    db.prepare("UPDATE runs SET owner_id = 'gone' WHERE id = ?").run(dead.id);
    db.close();

    const other = new ProjectStore({ path, owner: 'app' });
    expect(other.markInterruptedRuns()).toBe(1);
    expect(other.getRun(mine.id).status).toBe('running');
    const interrupted = other.getRun(dead.id);
    expect(interrupted.status).toBe('failed');
    expect(interrupted.reason).toBe(`interrupted at epoch 3: the command line run (pid ${DEAD_PID}) stopped during training`);
    expect(interrupted.history.map((q) => q.epoch)).toEqual([1, 2, 3]);
    // The dead owner's row is gone with its last run; the live one's stays.
    const owners = new Database(path).prepare('SELECT id FROM owners').pluck().all();
    expect(owners).not.toContain('gone');
    expect(owners).toContain(live.ownerId);
    other.close();

    // Closing is leaving: runs the owner left unfinished are interrupted by the next opener.
    live.close();
    const next = new ProjectStore({ path });
    expect(next.markInterruptedRuns()).toBe(1);
    expect(next.getRun(mine.id).reason).toMatch(/^interrupted at epoch 1: /);
    next.close();
  });

  it('a CLI run is created, fed and finished by one owner; its project is found by name in the same transaction', () => {
    const { path } = temp();
    const store = new ProjectStore({ path, owner: 'command line' });
    const content = { graph: { nodes: [], outputs: [] }, layout: {}, dataset: { kind: 'builtin' as const, name: 'xor' }, training: { loss: 'mse' } };
    const a = store.startRunInProject({ projectName: 'shared', content, training: { loss: 'mse' }, graph: content.graph });
    const b = store.startRunInProject({ projectName: 'shared', content, training: { loss: 'mse' }, graph: content.graph });
    expect(b.project.id).toBe(a.project.id);
    expect(store.listProjects()).toHaveLength(1);
    store.appendMetricBatches([{ runId: a.run.id, points: [{ epoch: 1, loss: 1 }], flags: [{ epoch: 1, kind: 'dead', node: 'fc1', message: 'silent' }] }]);
    store.finishRun(a.run.id, { model: null, finalLoss: 0.5, finalAccuracy: null, epochs: 2, points: [{ epoch: 2, loss: 0.5 }] });
    const run = store.getRun(a.run.id);
    expect(run).toMatchObject({ status: 'completed', epochs: 2, finalLoss: 0.5 });
    expect(run.history.map((p) => p.epoch)).toEqual([1, 2]);
    expect(run.flags).toHaveLength(1);
    store.close();
  });
});
