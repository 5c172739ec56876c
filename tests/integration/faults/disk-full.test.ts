/**
 * A disk filled to its last byte (FAULTS 21; issue items 1 and 6): a 2 MB tmpfs of its own, filled by
 * a filler file. Saving, metrics during a run, the final write of a run, `train --out`, `train --db`
 * and backups all fail with code disk_full and "the disk is full"; nothing half-written is visible;
 * the previous file or version stays intact; a run never reads "completed" over a library that
 * could not keep it. Needs root for `mount -t tmpfs`; skipped with that reason otherwise.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ApiEvent, Project, Reply } from '../../../src-main/api';
import { createServices, nodeForkTrainer, TrainingHost, type RunRecorder, type Services } from '../../../src-main/services';
import { LibraryFullError, listBackups, ProjectStore } from '../../../src-main/services/ProjectStore';
import { storeRecorder } from '../../../src-main/services/TrainingHostRecorder';
import { parseModelJson } from '../../../src-engine/io';
import { xorModel, XOR, xorTraining } from '../../helpers/xor';
import { CLI, exited, integrity, mountSmallDisk, query, REPO, sleep, TRAINER_ENTRY, type FullDisk } from './helpers';

const probe = mountSmallDisk();
const skipReason = typeof probe === 'string' ? probe : null;
if (typeof probe !== 'string') probe.unmount();
if (skipReason) console.warn(`disk-full tests skipped: ${skipReason}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function freshDisk(size = '2m'): FullDisk {
  const d = mountSmallDisk(size);
  if (typeof d === 'string') throw new Error(d);
  cleanups.push(() => d.unmount());
  return d;
}

function nextEvent(services: Services | TrainingHost, pred: (e: ApiEvent) => boolean, timeoutMs = 60_000): Promise<ApiEvent> {
  const subscribe = 'api' in services ? (l: (e: ApiEvent) => void) => services.api.subscribe(l) : (l: (e: ApiEvent) => void) => services.subscribe(l);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (off(), reject(new Error('timed out waiting for an event'))), timeoutMs);
    const off = subscribe((e) => {
      if (!pred(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

const cli = (args: string[]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c) => (stdout += c));
    child.stderr!.on('data', (c) => (stderr += c));
    void exited(child).then((e) => resolve({ code: e.code, stdout, stderr }));
  });

describe.skipIf(skipReason !== null)('a disk filled to the last byte', () => {
  it('a save is refused with disk_full; the previous version stays; the library stays sound', () => {
    const d = freshDisk();
    const path = join(d.dir, 'library.sqlite');
    const store = new ProjectStore({ path });
    const p = store.createProject('kept', 'xor');
    store.saveProject({ ...store.getProject(p.id), name: 'kept v2' });
    expect(d.fill()).toBeGreaterThan(0);
    let err: unknown = null;
    try {
      store.saveProject({ ...store.getProject(p.id), name: 'x'.repeat(200_000) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LibraryFullError);
    expect((err as LibraryFullError).code).toBe('disk_full');
    expect((err as Error).message).toMatch(/the disk is full/);
    expect(store.getProject(p.id)).toMatchObject({ name: 'kept v2', revision: 2 });
    store.close();
    d.free();
    expect(integrity(path)).toBe('ok');
    const again = new ProjectStore({ path });
    expect(again.getProject(p.id)).toMatchObject({ name: 'kept v2', revision: 2 });
    again.close();
  });

  it('training while the disk fills: the run fails "the disk is full" in its status event and in the library, with its points up to the last batch', async () => {
    const d = freshDisk();
    const path = join(d.dir, 'library.sqlite');
    const services = createServices({ libraryPath: path, trainerEntry: TRAINER_ENTRY, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
    cleanups.push(() => services.close());
    const ok = async <T>(name: string, input: unknown): Promise<T> => {
      const r = (await services.api.handle(name, input)) as Reply<T>;
      if (!r.ok) throw new Error(r.error.message);
      return r.data;
    };
    const project = await ok<Project>('projects.create', { name: 'fills the disk', template: 'xor' });
    const { runId } = await ok<{ runId: string }>('runs.start', { projectId: project.id, training: { ...project.training, epochs: 1_000_000 } });
    await nextEvent(services, (e) => e.type === 'run.metrics' && e.runId === runId);
    const ended = nextEvent(services, (e) => e.type === 'run.status' && e.runId === runId && ['completed', 'stopped', 'failed'].includes(e.status));
    d.fill();
    const end = await ended;
    expect(end).toMatchObject({ status: 'failed' });
    expect(end.type === 'run.status' && end.reason).toMatch(/the disk is full/);
    expect(services.host.isActive(runId)).toBe(false);
    // What the library says: failed with the reason, never "running", every kept point in order.
    const run = services.store.getRun(runId);
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(/the disk is full/);
    expect(run.history.map((p) => p.epoch)).toEqual(Array.from({ length: run.history.length }, (_, i) => i + 1));
    await services.close();
    d.free();
    expect(integrity(path)).toBe('ok');
  });

  it('when the final write of a finished run fails, the run is reported failed with the disk-full reason, never completed', async () => {
    const d = freshDisk();
    const store = new ProjectStore({ path: join(d.dir, 'library.sqlite') });
    cleanups.push(() => store.close());
    const p = store.createProject('final write', 'xor');
    const run = store.createRun({ projectId: p.id, training: xorTraining(300), graph: p.graph });
    const real = storeRecorder(store);
    // The disk fills just as the run ends: the finish with the model does not fit.
    let refused = 0;
    const recorder: RunRecorder = {
      ...real,
      finish: (runId, end) => {
        if (end.model && refused++ === 0) throw new LibraryFullError('the finished run');
        real.finish(runId, end);
      },
    };
    const host = new TrainingHost({ fork: nodeForkTrainer, entry: TRAINER_ENTRY, execArgv: ['--import', 'tsx'], recorder });
    cleanups.push(() => host.shutdown());
    const ended = nextEvent(host, (e) => e.type === 'run.status' && e.runId === run.id && ['completed', 'stopped', 'failed'].includes(e.status));
    host.start({ runId: run.id, projectId: p.id, model: xorModel(8), data: XOR, training: xorTraining(300) });
    const end = await ended;
    expect(refused).toBe(1);
    expect(end).toMatchObject({ status: 'failed' });
    expect(end.type === 'run.status' && end.reason).toMatch(/the disk is full/);
    const stored = store.getRun(run.id);
    expect(stored).toMatchObject({ status: 'failed', model: null });
    expect(stored.reason).toMatch(/the disk is full/);
    expect(stored.history).toHaveLength(300);
  });

  it('train --out onto a full disk keeps the previous trained.json byte for byte, says "the disk is full" with code disk_full, leaves no temporary file', async () => {
    const d = freshDisk();
    const model = join(d.dir, 'model.json');
    const out = join(d.dir, 'trained.json');
    writeFileSync(model, JSON.stringify(xorModel(64, { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 20, batch_size: 'full', seed: 1 })));
    const first = await cli(['train', model, '--dataset', 'xor', '--out', out]);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(out);
    parseModelJson(before.toString('utf8'));
    d.fill();
    const second = await cli(['train', model, '--dataset', 'xor', '--seed', '7', '--out', out, '--json']);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/could not write .*trained\.json: the disk is full; nothing was written and any previous trained\.json was kept/);
    expect(second.stderr).not.toMatch(/ENOSPC/);
    expect(JSON.parse(second.stdout.trim().split('\n').at(-1)!)).toMatchObject({ code: 'disk_full' });
    expect(readFileSync(out)).toEqual(before);
    expect(readdirSync(d.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('train --db while the disk fills: the CLI stops, exits 2 with "the disk is full", and the run reads failed with its points up to the last batch', async () => {
    // Room for the first batches of points before the filler takes the rest.
    const d = freshDisk('16m');
    const path = join(d.dir, 'library.sqlite');
    const model = join(d.dir, 'model.json');
    writeFileSync(model, JSON.stringify(xorModel(8, { loss: 'bce', optimizer: { name: 'adam', lr: 0.01 }, epochs: 1_000_000, batch_size: 'full', seed: 1 })));
    const running = cli(['train', model, '--dataset', 'xor', '--db', path, '--project', 'full', '--out', join(d.dir, 'never.json'), '--json']);
    const epochsSoFar = (): number => {
      if (!existsSync(path)) return 0;
      try {
        return query<{ epochs: number | null }>(path, 'SELECT MAX(epochs) AS epochs FROM runs')[0]?.epochs ?? 0;
      } catch {
        return 0; // the CLI is still creating the library
      }
    };
    let exitedEarly: { code: number | null; stderr: string } | null = null;
    void running.then((e) => (exitedEarly = e));
    while (epochsSoFar() === 0) {
      if (exitedEarly) throw new Error(`the CLI ended before training: ${JSON.stringify(exitedEarly)}`);
      await sleep(100);
    }
    d.fill();
    const end = await running;
    expect(end.code).toBe(2);
    expect(end.stderr).toMatch(/the disk is full/);
    expect(JSON.parse(end.stdout.trim().split('\n').at(-1)!)).toMatchObject({ code: 'disk_full' });
    d.free();
    expect(integrity(path)).toBe('ok');
    const [run] = query<{ id: string; status: string; reason: string; epochs: number }>(path, 'SELECT id, status, reason, epochs FROM runs');
    expect(run.status).toBe('failed');
    expect(run.reason).toMatch(/the disk is full/);
    const epochs = query<{ epoch: number }>(path, 'SELECT epoch FROM metrics WHERE run_id = ? ORDER BY rowid', run.id).map((r) => r.epoch);
    expect(epochs).toEqual(Array.from({ length: run.epochs }, (_, i) => i + 1));
  });

  it('a backup onto a full disk fails with disk_full and leaves no half-made backup', async () => {
    const d = freshDisk();
    const path = join(d.dir, 'library.sqlite');
    const store = new ProjectStore({ path });
    cleanups.push(() => store.close());
    store.saveDataset({ name: 'bulk', csv: 'a,b\n'.repeat(40_000), options: {}, summary: {} });
    d.fill();
    await expect(store.backupNow()).rejects.toMatchObject({ code: 'disk_full' });
    expect(listBackups(path)).toEqual([]);
    expect(readdirSync(d.dir).filter((f) => f.includes('.bak') || f.endsWith('.tmp'))).toEqual([]);
  });
});
