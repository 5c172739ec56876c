import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { createApi, type ServiceMethods } from '../../../src-main/api/handlers';
import type { ApiEvent, WireEvent, WireReply } from '../../../src-main/api/contract';
import { startWebHost, type WebHost } from '../../../src-main/web/server';

let dir: string;
let host: WebHost;
const listeners = new Set<(e: ApiEvent) => void>();
const saved: unknown[] = [];

const methods = {
  'app.info': () => ({ version: '0.1.0', libraryPath: '/tmp/x.sqlite', readOnly: false, warning: null }),
  'projects.save': (input: unknown) => {
    saved.push(input);
    return { revision: 2, updatedAt: 'now' };
  },
} as unknown as ServiceMethods;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ng-web-'));
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Neurograph</title><script src="/assets/app.js"></script>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
  const api = createApi({ methods, subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) });
  host = await startWebHost({ rendererDir: renderer, api });
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (the path is sent exactly as given, no client-side normalisation). */
function get(path: string, headers: Record<string, string> = {}, hostname = '127.0.0.1'): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port: host.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, id: number, name: string, input: unknown): Promise<WireReply> {
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer): void => {
      const msg = JSON.parse(raw.toString()) as WireReply;
      if (msg.id === id) {
        ws.off('message', onMessage);
        resolve(msg);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, name, input }));
  });
}

describe('web host', () => {
  it('binds the loopback address only', async () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[A-Za-z0-9_-]{40,}$`));
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) await expect(get(`/?token=${host.token}`, {}, external.address)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses the page without the token or with a wrong one (401), serves it with the token and a strict CSP', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get(`/?token=${host.token}x`)).status).toBe(401);
    expect((await get('/assets/app.js')).status).toBe(401);
    const ok = await get(`/?token=${host.token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Neurograph</title>');
    const csp = String(ok.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(ok.headers['referrer-policy']).toBe('no-referrer');
    // The page's own assets load with the cookie the page set.
    const cookie = String(ok.headers['set-cookie']).split(';')[0];
    const asset = await get('/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('refuses a forged Host header (DNS rebinding)', async () => {
    expect((await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` })).status).toBe(403);
  });

  it('refuses path traversal out of the renderer directory', async () => {
    for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%5c..%5csecret.txt', '/%00index.html']) {
      const res = await get(`${path}?token=${host.token}`);
      expect(res.status, path).toBe(403);
      expect(res.body).not.toContain('TOP SECRET');
    }
    expect((await get(`/nope.js?token=${host.token}`)).status).toBe(404);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    await expect(openSocket('')).rejects.toThrow(/401/);
    await expect(openSocket('?token=nope')).rejects.toThrow(/401/);
    await expect(openSocket(`?token=${host.token}`, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });

  it('answers a request round trip, invalid input with its path, unknown requests, and pushes events', async () => {
    const ws = await openSocket(`?token=${host.token}`);
    try {
      const info = await call(ws, 1, 'app.info', {});
      expect(info.reply).toEqual({ ok: true, data: { version: '0.1.0', libraryPath: '/tmp/x.sqlite', readOnly: false, warning: null } });

      const bad = await call(ws, 2, 'projects.save', {
        id: 'p1', revision: 1, graph: { nodes: [{ id: 'x', type: 'Input' }, { id: 'fc', type: 7 }], outputs: ['fc'] }, layout: {},
        dataset: { kind: 'builtin', name: 'xor' }, training: { loss: 'mse' },
      });
      expect(bad.reply).toMatchObject({ ok: false, error: { code: 'invalid_input', path: 'graph.nodes[1].type' } });
      expect(saved).toHaveLength(0);

      const unknown = await call(ws, 3, 'fs.readFile', { path: '/etc/passwd' });
      expect(unknown.reply).toMatchObject({ ok: false, error: { code: 'unknown_request' } });
      const proto = await call(ws, 4, '__proto__', {});
      expect(proto.reply).toMatchObject({ ok: false, error: { code: 'unknown_request' } });

      const event = new Promise<WireEvent>((resolve) => ws.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
      for (const l of listeners) l({ type: 'run.progress', runId: 'r', seq: 1, epoch: 3, epochs: 10 });
      expect(await event).toEqual({ event: { type: 'run.progress', runId: 'r', seq: 1, epoch: 3, epochs: 10 } });

      ws.send('not json');
      const garbage = await new Promise<WireReply>((resolve) => ws.once('message', (raw) => resolve(JSON.parse(raw.toString()))));
      expect(garbage).toMatchObject({ id: -1, reply: { ok: false, error: { code: 'invalid_input' } } });
    } finally {
      ws.close();
    }
  });
});
