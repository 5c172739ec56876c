/**
 * Backups and the WAL (FAULTS 3, 22): a backup on demand through SQLite's backup API while another
 * process-like connection writes, a migration that keeps a backup and says so, a damaged library set
 * aside with a short message, the whole report in a log next to it, and the newest backup offered;
 * the WAL cut back when the library closes and after a large run.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LibraryCorruptError, listBackups, migrate, ProjectStore, SCHEMA_VERSION } from '../../../src-main/services/ProjectStore';
import { useTempLibrary } from './helpers';

const temp = useTempLibrary();

describe('backups', () => {
  it('backs up on demand with the backup API: a consistent copy at that moment, next to the library, while writes go on', async () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    const p = store.createProject('p', 'xor');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    store.appendMetrics(run, Array.from({ length: 2000 }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1) })));
    const backingUp = store.backupNow();
    // Another connection writes while the backup copies pages.
    const other = new Database(path);
    other.prepare("UPDATE projects SET name = 'renamed meanwhile'").run();
    other.close();
    const file = await backingUp;
    expect(file).toMatch(new RegExp(`library\\.sqlite\\.v${SCHEMA_VERSION}\\.bak-`));
    expect(listBackups(path)[0]).toBe(file);
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT COUNT(*) FROM metrics').pluck().get()).toBe(2000);
    expect(['p', 'renamed meanwhile']).toContain(copy.prepare('SELECT name FROM projects').pluck().get());
    copy.close();
    store.close();
  });

  it('a migration keeps a backup made by SQLite and tells the user where it is', () => {
    const { path } = temp();
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrate(old, 2);
    old.prepare("INSERT INTO projects VALUES ('p1', 'old', 1, '{\"nodes\":[],\"outputs\":[]}', '{}', '{\"kind\":\"builtin\",\"name\":\"xor\"}', '{\"loss\":\"mse\"}', 't0', 't1')").run();
    old.close();
    const store = new ProjectStore({ path });
    expect(store.backup).toBe(`${path}.v2.bak`);
    expect(store.warning).toBe(`The library was upgraded from schema 2 to ${SCHEMA_VERSION}; a copy of it as it was is kept as ${path}.v2.bak.`);
    store.close();
    const bak = new Database(`${path}.v2.bak`, { readonly: true });
    expect(bak.pragma('user_version', { simple: true })).toBe(2);
    expect(bak.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(bak.prepare('SELECT name FROM projects').pluck().get()).toBe('old');
    bak.close();
  });

  it('a damaged library is set aside with a short message naming the newest backup; the whole report goes to a log beside it', async () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    for (let i = 0; i < 300; i++) store.createProject(`project ${i} ${'x'.repeat(400)}`, 'xor');
    const backup = await store.backupNow();
    store.close();
    const fd = openSync(path, 'r+');
    // Leaf-page headers claiming 40 cells at offset 0: a problem per cell for SQLite to report, ~100 lines.
    for (const page of [6, 12, 18, 24, 30]) writeSync(fd, Buffer.from([0x0d, 0, 0, 0, 40, 0x0f, 0xf0, 0]), 0, 8, page * 4096);
    closeSync(fd);
    let err: LibraryCorruptError | null = null;
    try {
      new ProjectStore({ path });
    } catch (e) {
      err = e as LibraryCorruptError;
    }
    expect(err).toBeInstanceOf(LibraryCorruptError);
    expect(err!.backups[0]).toBe(backup);
    expect(err!.message).toContain(`the newest backup is ${backup}`);
    expect(err!.log).toBe(`${err!.movedTo}.log`);
    expect(err!.message).toContain(`details are in ${err!.log}`);
    // Short: one line of SQLite's report and a count, never the whole report.
    expect(err!.message.split('\n')).toHaveLength(1);
    expect(err!.message.length).toBeLessThan(700);
    const log = readFileSync(err!.log!, 'utf8');
    const problems = log.split('\n').slice(2).filter(Boolean);
    expect(problems.length).toBeGreaterThan(1);
    expect(err!.detail).toContain(`and ${problems.length - 1} more problem`);
    expect(existsSync(err!.movedTo)).toBe(true);
  });
});

describe('the WAL', () => {
  it('is checkpointed and removed when the library closes', () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    const p = store.createProject('p', 'xor');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    for (let k = 0; k < 20; k++) store.appendMetrics(run, Array.from({ length: 100 }, (_, i) => ({ epoch: k * 100 + i + 1, loss: 1, grad_norms: { fc1: 1, fc2: 2 } })));
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    store.close();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('is truncated after a large run, even while another connection keeps the library open', () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    const reader = new Database(path, { readonly: true });
    const p = store.createProject('p', 'xor');
    const run = store.createRun({ projectId: p.id, training: p.training, graph: p.graph });
    for (let k = 0; k < 60; k++) store.appendMetrics(run, Array.from({ length: 100 }, (_, i) => ({ epoch: k * 100 + i + 1, loss: 1, grad_norms: { fc1: 1, fc2: 2 } })));
    const grown = statSync(`${path}-wal`).size;
    expect(grown).toBeGreaterThan(1_000_000);
    store.finishRun(run, { model: null, finalLoss: 1, finalAccuracy: null });
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(reader.prepare('SELECT COUNT(*) FROM metrics').pluck().get()).toBe(6000);
    reader.close();
    store.close();
  });
});
