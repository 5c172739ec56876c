/**
 * Two processes on one library (FAULTS 24; issue items 2 and 3): a second app instance, the app and
 * the CLI, CLI runs at once, a writer holding the lock. One writer at a time, nobody's live runs
 * marked interrupted by another, a clear `busy` when a write gives up waiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../../src-main/api';
import { createServices, nodeForkTrainer } from '../../../src-main/services';
import { BusyError, ProjectStore } from '../../../src-main/services/ProjectStore';
import { xorModel } from '../../helpers/xor';
import { CHILDREN, CLI, exited, query, REPO, sleep, TRAINER_ENTRY, tsxChild } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ng-two-'));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startChild(script: string, args: string[]): Promise<{ words: string[]; child: ReturnType<typeof tsxChild>; lines: string[] }> {
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    const child = tsxChild(join(CHILDREN, script), args, (line) => {
      lines.push(line);
      if (line.startsWith('ready') || line.startsWith('holding')) resolve({ words: line.split(' '), child, lines });
      if (line.startsWith('error')) reject(new Error(line));
    });
    children.push(child);
    void exited(child).then((e) => reject(new Error(`${script} exited early: ${JSON.stringify(e)}; ${lines.join(' | ')}`)));
  });
}

const services = (libraryPath: string) => createServices({ libraryPath, trainerEntry: TRAINER_ENTRY, trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer, owner: 'app' });

describe('one writer per library', () => {
  it('a second app instance opens read-only with a notice naming the first, and its start-up leaves the first one\'s live run alone', async () => {
    const path = join(dir, 'second.sqlite');
    const first = await startChild('session.ts', [path, TRAINER_ENTRY]);
    const [, pid, projectId, runId] = first.words;

    const second = services(path);
    try {
      const info = second.info();
      expect(info.readOnly).toBe(true);
      expect(info.warning).toContain(`pid ${pid}`);
      expect(info.warning).toMatch(/read-only/);
      const project = second.store.getProject(projectId);
      const save = (await second.api.handle('projects.save', { ...project, name: 'from the second' })) as Reply<unknown>;
      expect(save).toMatchObject({ ok: false, error: { code: 'read_only' } });
      expect(second.store.getRun(runId).status).toBe('running');
    } finally {
      await second.close();
    }
    // A command line run opening the library meanwhile leaves it alone too: its owner lives.
    const cli = new ProjectStore({ path, owner: 'command line' });
    expect(cli.markInterruptedRuns()).toBe(0);
    expect(cli.getRun(runId).status).toBe('running');
    cli.close();

    // Killed once its first batch of points is in the library.
    while ((query<{ epochs: number }>(path, 'SELECT epochs FROM runs WHERE id = ?', runId)[0]?.epochs ?? 0) === 0) await sleep(100);
    first.child.kill('SIGKILL');
    await exited(first.child);
    const after = services(path);
    try {
      expect(after.info().readOnly).toBe(false);
      const run = after.store.getRun(runId);
      expect(run.status).toBe('failed');
      expect(run.reason).toMatch(new RegExp(`^interrupted at epoch ${run.epochs}: the Neurograph app \\(pid ${pid}\\) stopped during training$`));
      expect(run.history.map((p) => p.epoch)).toEqual(Array.from({ length: run.epochs }, (_, i) => i + 1));
    } finally {
      await after.close();
    }
  });

  it('the app saving and four train --db runs at once: every save succeeds, every run is recorded whole, in one project of one name', async () => {
    const path = join(dir, 'shared.sqlite');
    const app = await startChild('app-writer.ts', [path, TRAINER_ENTRY, 'app saves']);
    const model = join(dir, 'xor.json');
    writeFileSync(model, JSON.stringify(xorModel(8, { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 3000, batch_size: 'full', seed: 2 })));
    const runs = Array.from({ length: 4 }, (_, k) => {
      const child = spawn(process.execPath, [CLI, 'train', model, '--dataset', 'xor', '--db', path, '--project', 'shared', '--out', join(dir, `shared${k}.json`), '--json'], {
        cwd: REPO,
        // stdout ignored: the --json summary (3000 points) would fill an unread pipe and block the CLI.
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (c) => (err += c));
      return exited(child).then((e) => ({ ...e, err }));
    });
    const ends = await Promise.all(runs);
    for (const end of ends) expect(end.code, end.err).toBe(0);
    app.child.kill('SIGKILL');
    expect(app.lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(app.lines.filter((l) => l.startsWith('ack save')).length).toBeGreaterThan(0);

    const projects = query<{ id: string }>(path, "SELECT id FROM projects WHERE name = 'shared'");
    expect(projects).toHaveLength(1);
    const recorded = query<{ id: string; status: string; epochs: number }>(path, 'SELECT id, status, epochs FROM runs WHERE project_id = ?', projects[0].id);
    expect(recorded).toHaveLength(4);
    for (const r of recorded) {
      expect(r).toMatchObject({ status: 'completed', epochs: 3000 });
      expect(query<{ n: number }>(path, 'SELECT COUNT(*) AS n FROM metrics WHERE run_id = ?', r.id)[0].n).toBe(3000);
    }
  });

  it('a write waits its turn while another process holds the write lock, and gives up with code busy and a clear message when held too long', async () => {
    const path = join(dir, 'busy.sqlite');
    const setup = new ProjectStore({ path });
    const p = setup.createProject('p', 'xor');
    setup.close();

    const impatient = new ProjectStore({ path, busyTimeoutMs: 300 });
    const patient = new ProjectStore({ path, busyTimeoutMs: 20_000 });
    try {
      const holder = await startChild('hold-write-lock.ts', [path, '2500']);
      let busy: unknown = null;
      try {
        impatient.saveProject({ ...impatient.getProject(p.id), name: 'too soon' });
      } catch (e) {
        busy = e;
      }
      expect(busy).toBeInstanceOf(BusyError);
      expect((busy as BusyError).code).toBe('busy');
      expect((busy as BusyError).message).toMatch(/another Neurograph process .* kept the library busy .*nothing of this change was written/);
      // The lock is still held (the impatient writer just gave up on it): the patient one waits for it, then saves.
      const saved = patient.saveProject({ ...patient.getProject(p.id), name: 'in its turn' });
      expect(saved.revision).toBe(2);
      await exited(holder.child);
      expect(holder.lines).toEqual(['holding', 'released']);
      expect(patient.getProject(p.id).name).toBe('in its turn');
    } finally {
      impatient.close();
      patient.close();
    }
  });
});
