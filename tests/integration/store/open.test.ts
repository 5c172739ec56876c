import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LibraryCorruptError,
  MIGRATIONS,
  migrate,
  ProjectStore,
  ReadOnlyError,
  SCHEMA_VERSION,
} from '../../../src-main/services/ProjectStore';
import { useTempLibrary } from './helpers';

const temp = useTempLibrary();

function corruptError(fn: () => unknown): LibraryCorruptError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LibraryCorruptError);
    return e as LibraryCorruptError;
  }
  throw new Error('expected LibraryCorruptError');
}

describe('opening a library', () => {
  it('creates a new file in WAL mode with foreign keys on, at our schema version', () => {
    const { path } = temp();
    new ProjectStore({ path }).close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('sets a file that is not a database aside, never deletes it, and says where (FAULTS 22)', () => {
    const { path } = temp();
    const junk = Buffer.from('this is not sqlite at all '.repeat(400));
    writeFileSync(path, junk);
    const e = corruptError(() => new ProjectStore({ path }));
    expect(existsSync(path)).toBe(false);
    expect(readFileSync(e.movedTo)).toEqual(junk);
    expect(e.message).toContain(e.movedTo);
    // A new library can then be started at the same path.
    const fresh = new ProjectStore({ path });
    expect(fresh.listProjects()).toEqual([]);
    fresh.close();
  });

  it('detects a damaged page inside a real library and offers the latest backup', () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    const p = store.createProject('p', 'xor');
    for (let i = 0; i < 200; i++) store.saveProject({ ...store.getProject(p.id), name: `p${'x'.repeat(500)}${i}` });
    store.close();
    writeFileSync(`${path}.v1.bak`, 'pretend backup');
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(8192);
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096); // overwrite page 2 (a b-tree page) with noise
    closeSync(fd);
    const e = corruptError(() => new ProjectStore({ path }));
    expect(statSync(e.movedTo).size).toBe(size);
    expect(e.backups).toEqual([`${path}.v1.bak`]);
  });

  it('sets aside a SQLite file that is not a Neurograph library', () => {
    const { path } = temp();
    const db = new Database(path);
    db.exec('CREATE TABLE invoices (id INTEGER)');
    db.close();
    expect(corruptError(() => new ProjectStore({ path })).detail).toMatch(/not a Neurograph library/);
  });

  it('opens a file from a newer schema read-only with a message, and refuses writes (FAULTS 3, 23)', () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    const p = store.createProject('future', 'xor');
    store.close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.close();
    const ro = new ProjectStore({ path });
    expect(ro.readOnly).toBe(true);
    expect(ro.warning).toMatch(/newer Neurograph/);
    expect(ro.getProject(p.id).name).toBe('future');
    expect(() => ro.saveProject({ ...p, revision: 1, name: 'changed' })).toThrow(ReadOnlyError);
    expect(() => ro.createProject('x')).toThrow(ReadOnlyError);
    ro.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 3);
    check.close();
  });

  it('opens read-only when asked, with a warning, and changes nothing', () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    store.createProject('p');
    store.close();
    const before = readFileSync(path);
    const ro = new ProjectStore({ path, readOnly: true });
    expect(ro.readOnly).toBe(true);
    expect(ro.warning).toMatch(/read-only/);
    expect(() => ro.createProject('q')).toThrow(ReadOnlyError);
    expect(ro.markInterruptedRuns()).toBe(0);
    ro.close();
    expect(readFileSync(path)).toEqual(before);
  });

  it('opens a library whose -wal file is missing, with the last checkpointed state', () => {
    const { path } = temp();
    const store = new ProjectStore({ path });
    const p = store.createProject('p', 'xor');
    store.close(); // close checkpoints the WAL into the main file and removes it
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = new ProjectStore({ path });
    expect(again.getProject(p.id).name).toBe('p');
    again.close();
  });
});

describe('migrations', () => {
  it('upgrades a version-1 library, keeping its data and a backup copy at the old version (FAULTS 3)', () => {
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    const { path } = temp();
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    migrate(old, 1);
    old
      .prepare("INSERT INTO projects VALUES ('p1', 'old project', 3, '{\"nodes\":[],\"outputs\":[]}', '{}', '{\"kind\":\"builtin\",\"name\":\"xor\"}', '{\"loss\":\"mse\"}', 't0', 't1')")
      .run();
    old.close();

    const store = new ProjectStore({ path });
    expect(store.backup).toBe(`${path}.v1.bak`);
    expect(store.getProject('p1')).toMatchObject({ name: 'old project', revision: 3 });
    // What v2 added works.
    const ds = store.saveDataset({ name: 't', csv: 'a,b\n1,2', options: {}, summary: {} });
    expect(store.getDataset(ds.id).csv).toBe('a,b\n1,2');
    store.close();

    const bak = new Database(`${path}.v1.bak`, { readonly: true });
    expect(bak.pragma('user_version', { simple: true })).toBe(1);
    expect(bak.prepare('SELECT name FROM projects').pluck().get()).toBe('old project');
    bak.close();
    const now = new Database(path, { readonly: true });
    expect(now.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    now.close();
  });

  it('runs each migration in one transaction: a failing one leaves the file at the previous version', () => {
    const { path } = temp();
    const db = new Database(path);
    migrate(db, 1);
    db.exec('CREATE TABLE datasets (x INTEGER)'); // makes migration 2 fail half-way
    expect(() => migrate(db)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'flags'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('read-only folders (FAULTS 23)', () => {
  it('opens a WAL library in a folder it cannot write as a read-only snapshot, with a warning, changing nothing', () => {
    const { dir, path } = temp();
    const store = new ProjectStore({ path });
    store.createProject('look only', 'xor');
    store.close();
    const before = readFileSync(path);
    const script = join(dir, 'open-readonly.ts');
    writeFileSync(
      script,
      `import { ProjectStore } from ${JSON.stringify(join(process.cwd(), 'src-main/services/ProjectStore'))};
       const s = new ProjectStore({ path: ${JSON.stringify(path)} });
       let write = 'allowed';
       try { s.createProject('x'); } catch (e) { write = (e as Error).name; }
       console.log(JSON.stringify({ readOnly: s.readOnly, warning: s.warning, names: s.listProjects().map((q) => q.name), write }));
       s.close();`,
    );
    chmodSync(script, 0o644);
    chmodSync(path, 0o444);
    chmodSync(dir, 0o555);
    try {
      // root ignores file permissions, so the library is opened as an unprivileged user there.
      const asRoot = process.getuid?.() === 0;
      const cmd = asRoot ? 'runuser' : process.execPath;
      const args = [...(asRoot ? ['-u', 'nobody', '--', process.execPath] : []), '--import', 'tsx', script];
      const out = execFileSync(cmd, args, { cwd: process.cwd(), encoding: 'utf8', env: { ...process.env, HOME: tmpdir() } });
      const result = JSON.parse(out.trim().split('\n').at(-1)!);
      expect(result).toMatchObject({ readOnly: true, names: ['look only'], write: 'ReadOnlyError' });
      expect(result.warning).toMatch(/read-only/);
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(readFileSync(path)).toEqual(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
