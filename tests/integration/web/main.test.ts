import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';
import type { ApiEvent, Project, Reply, WireEvent, WireReply } from '../../../src-main/api/contract';
import { startWebHost, type WebHost } from '../../../src-main/web/server';

const MAIN = resolve(__dirname, '../../../src-main/web/main.ts');
let dir: string;
let renderer: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ng-webmain-'));
  renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Neurograph</title>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run web entry (src-main/web/main.ts)', () => {
  it('prints the loopback URL with a token, serves with it, refuses without it, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--library', join(dir, 'lib.sqlite'), '--renderer', renderer], {
      cwd: resolve(__dirname, '../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /Neurograph running at (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]);
        }
      });
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Neurograph');
    expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401);
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });
});

describe('web host over a real library', () => {
  let host: WebHost;
  beforeAll(async () => {
    host = await startWebHost({ rendererDir: renderer, libraryPath: join(dir, 'web-lib.sqlite') });
  });
  afterAll(async () => {
    await host?.close();
  });

  it('creates a project and trains it over the WebSocket, streaming run events to the page', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    const events: ApiEvent[] = [];
    const replies = new Map<number, (r: Reply<unknown>) => void>();
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as WireReply | WireEvent;
      if ('event' in msg) events.push(msg.event);
      else replies.get(msg.id)?.(msg.reply);
    });
    let nextId = 1;
    const call = <T>(name: string, input: unknown) =>
      new Promise<T>((resolveReply, reject) => {
        const id = nextId++;
        replies.set(id, (r) => (r.ok ? resolveReply(r.data as T) : reject(new Error(JSON.stringify(r.error)))));
        ws.send(JSON.stringify({ id, name, input }));
      });
    try {
      const project = await call<Project>('projects.create', { name: 'XOR over ws', template: 'xor' });
      const { runId } = await call<{ runId: string }>('runs.start', {
        projectId: project.id,
        training: { loss: 'bce', optimizer: { name: 'adam', lr: 0.05 }, epochs: 300, batch_size: 'full', seed: 3 },
      });
      const t0 = Date.now();
      while (!events.some((e) => e.type === 'run.status' && e.runId === runId && ['completed', 'stopped', 'failed'].includes(e.status)) && Date.now() - t0 < 60_000) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const statuses = events.filter((e) => e.type === 'run.status' && e.runId === runId).map((e) => (e.type === 'run.status' ? e.status : ''));
      expect(statuses).toEqual(['queued', 'running', 'completed']);
      const points = events.flatMap((e) => (e.type === 'run.metrics' && e.runId === runId ? e.points : []));
      expect(points.map((p) => p.epoch)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    } finally {
      ws.close();
    }
  });
});
