/**
 * The library's safety through the api and the web host: `library.backup`, `projects.exportFile` /
 * `projects.importFile` (validated, refusing a hostile file with its path), distinct codes for a
 * full disk and a busy library, and what a second web host on one library says at start-up.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project, Reply } from '../../../src-main/api';
import { toApiError } from '../../../src-main/api';
import { createServices, nodeForkTrainer, type Services } from '../../../src-main/services';
import { BusyError, LibraryFullError } from '../../../src-main/services/ProjectStore';

const REPO = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'ng-library-api-'));
let services: Services;
beforeAll(() => {
  services = createServices({ libraryPath: join(dir, 'library.sqlite'), trainerEntry: join(REPO, 'src-main/trainer/entry.ts'), trainerExecArgv: ['--import', 'tsx'], fork: nodeForkTrainer });
});
afterAll(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

async function ok<T>(name: string, input: unknown): Promise<T> {
  const reply = (await services.api.handle(name, input)) as Reply<T>;
  if (!reply.ok) throw new Error(`${name}: ${JSON.stringify(reply.error)}`);
  return reply.data;
}

describe('library requests', () => {
  it('library.backup answers the file of a consistent copy next to the library', async () => {
    await ok<Project>('projects.create', { name: 'backed up', template: 'xor' });
    const { file } = await ok<{ file: string }>('library.backup', {});
    expect(file.startsWith(join(dir, 'library.sqlite.v'))).toBe(true);
    expect(existsSync(file)).toBe(true);
  });

  it('projects.exportFile → projects.importFile gives the project again under a new id and " (2)"; a hostile file is refused with its path', async () => {
    const p = await ok<Project>('projects.create', { name: 'round trip', template: 'xor' });
    const file = await ok<{ fileName: string; text: string }>('projects.exportFile', { id: p.id });
    expect(file.fileName).toBe('round_trip.neurograph');
    const again = await ok<Project>('projects.importFile', { text: file.text });
    expect(again).toMatchObject({ name: 'round trip (2)', graph: p.graph, layout: p.layout, training: p.training });
    expect(again.id).not.toBe(p.id);
    const hostile = JSON.parse(file.text);
    hostile.project.graph.nodes[1].in = ['../../etc/passwd'];
    expect(await services.api.handle('projects.importFile', { text: JSON.stringify(hostile) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_model', path: 'project.graph.nodes[1].in[0]' },
    });
    expect(await services.api.handle('projects.importFile', { text: 42 })).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'text' } });
    expect(await services.api.handle('projects.exportFile', { id: 'no-such-project' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('a full disk and a busy library reach the UI as different codes, disk_full and busy', () => {
    expect(toApiError(new LibraryFullError('project x'))).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/the disk is full/) });
    expect(toApiError(BusyError.writing('project x', 5000))).toMatchObject({ code: 'busy', message: expect.stringMatching(/kept the library busy for 5 s/) });
  });
});

describe('two web hosts on one library', () => {
  it('the second says at start-up that the library is read-only here and names the first', async () => {
    const renderer = join(dir, 'renderer');
    mkdirSync(renderer, { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Neurograph</title>');
    const library = join(dir, 'shared.sqlite');
    const start = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'src-main/web/main.ts'), '--port', '0', '--library', library, '--renderer', renderer], {
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const started = new Promise<string>((resolveOut, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start-up line: ${out}`)), 60_000);
        const take = (chunk: Buffer) => {
          out += chunk.toString();
          if (/Neurograph running at/.test(out)) {
            clearTimeout(timer);
            resolveOut(out);
          }
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
      });
      return { child, started };
    };
    const first = start();
    let second: ReturnType<typeof start> | null = null;
    try {
      const firstOut = await first.started;
      expect(firstOut).not.toMatch(/Read-only library/);
      second = start();
      const secondOut = await second.started;
      expect(secondOut).toMatch(new RegExp(`Read-only library: This library is open in the Neurograph web host \\(pid ${first.child.pid}\\)`));
    } finally {
      first.child.kill('SIGTERM');
      second?.child.kill('SIGTERM');
    }
  });
});
