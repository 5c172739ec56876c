/**
 * Starts the real web host (`node scripts/web.mjs`, which builds the renderer when stale) on a free
 * port with a temporary library, and reads the URL it prints. `NEUROGRAPH_E2E_URL` points the tests
 * at an already running host instead.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

export interface Host {
  url: string;
  pid?: number;
  stop(): Promise<void>;
}

export async function startHost(): Promise<Host> {
  const given = process.env.NEUROGRAPH_E2E_URL;
  if (given) return { url: given, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'neurograph-e2e-'));
  const library = join(dir, 'library.sqlite');
  const child = spawn(process.execPath, ['scripts/web.mjs', '--port', '0', '--library', library], {
    cwd: REPO,
    env: { ...process.env, NEUROGRAPH_LIBRARY: library },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await readUrl(child);
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host printed no URL within 180 s:\n${out}`)), 180_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /Neurograph running at (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web host exited with code ${code} before printing its URL:\n${out}`));
    });
  });
}
