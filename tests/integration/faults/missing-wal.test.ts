/**
 * A library whose `-wal` was deleted after a crash (FAULTS 23): committed changes lived only in it.
 * Opening it writable would drop them without a word; it opens read-only with a warning instead,
 * shows what the main file holds, and changes nothing on disk. With its -wal, nothing is lost.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore, ReadOnlyError } from '../../../src-main/services/ProjectStore';
import { CHILDREN, exited, tsxChild } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ng-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A library with one checkpointed project, then five more committed by a process killed before any checkpoint. */
async function crashedLibrary(name: string): Promise<string> {
  const path = join(dir, name);
  const before = new ProjectStore({ path });
  before.createProject('before');
  before.close();
  const child = tsxChild(join(CHILDREN, 'store-writer.ts'), [path, '5']);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  child.kill('SIGKILL');
  await exited(child);
  expect(existsSync(`${path}-wal`)).toBe(true);
  return path;
}

describe('a missing -wal file', () => {
  it('with its -wal, a crashed library opens writable with every committed project', async () => {
    const path = await crashedLibrary('kept.sqlite');
    const store = new ProjectStore({ path });
    expect(store.readOnly).toBe(false);
    expect(store.listProjects().map((p) => p.name).sort()).toEqual(['after 0', 'after 1', 'after 2', 'after 3', 'after 4', 'before']);
    store.close();
  });

  it('without it, the library opens read-only with a warning, shows the main file, and changes nothing on disk', async () => {
    const path = await crashedLibrary('lost.sqlite');
    rmSync(`${path}-wal`);
    const main = readFileSync(path);
    const shm = readFileSync(`${path}-shm`);
    const store = new ProjectStore({ path });
    expect(store.readOnly).toBe(true);
    expect(store.warning).toMatch(/journal \(lost\.sqlite-wal\) is missing: changes saved after the last checkpoint may be lost/);
    expect(store.listProjects().map((p) => p.name)).toEqual(['before']);
    expect(() => store.createProject('x')).toThrow(ReadOnlyError);
    store.close();
    expect(readFileSync(path)).toEqual(main);
    expect(readFileSync(`${path}-shm`)).toEqual(shm);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
