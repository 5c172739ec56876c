/**
 * The web host: the built renderer over node:http and the api over a WebSocket at /api, on 127.0.0.1
 * only, behind a per-launch token. The page URL carries `?token=`; a successful page load also sets an
 * HttpOnly SameSite=Strict cookie so the page's own assets load; the WebSocket needs the token in its URL.
 */
import { fileURLToPath } from 'node:url';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH, type Api, type WireEvent, type WireReply } from '../api';
import { createServices, nodeForkTrainer, type Services } from '../services';
import { readStatic } from './static';
import { cookieToken, hostAllowed, newToken, originAllowed, securityHeaders, TOKEN_COOKIE, tokenMatches } from './security';

export const LOOPBACK = '127.0.0.1';
/** Largest WebSocket message accepted (CSV imports travel as text). */
export const MAX_WS_MESSAGE = 64 * 1024 * 1024;

export interface WebHostOptions {
  /** 0 or absent: any free port. */
  port?: number;
  rendererDir: string;
  /** The api to serve; absent → services are created over `libraryPath` (trainer forked from TS source via tsx). */
  api?: Api;
  libraryPath?: string;
  /** Fixed token (tests); otherwise a random one per launch. */
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  /** The services the host created (when no api was given). */
  services: Services | null;
  close(): Promise<void>;
}

/** Services over a library for a host started from TS source (npm run web, end-to-end tests). */
function servicesFor(libraryPath: string): Services {
  return createServices({
    libraryPath,
    trainerEntry: fileURLToPath(new URL('../trainer/entry.ts', import.meta.url)),
    trainerExecArgv: ['--import', 'tsx'],
    fork: nodeForkTrainer,
  });
}

function refuse(res: ServerResponse, status: number, message: string, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(message);
}

function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? newToken();
  const { rendererDir } = options;
  if (!options.api && !options.libraryPath) throw new Error('startWebHost needs an api or a libraryPath');
  const services = options.api ? null : servicesFor(options.libraryPath as string);
  const api = options.api ?? (services as Services).api;
  let port = 0;

  const server = createServer((req, res) => {
    void serveHttp(req, res);
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = securityHeaders(port);
    if (!hostAllowed(req.headers.host, port)) return refuse(res, 403, 'forbidden host', headers);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed', { ...headers, Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    const queryToken = url.searchParams.get('token');
    const authorized = tokenMatches(token, queryToken) || tokenMatches(token, cookieToken(req.headers.cookie));
    if (!authorized) return refuse(res, 401, 'unauthorized: open the address printed at launch (it carries the token)', headers);
    // The raw path, not url.pathname: URL parsing would quietly collapse `../` instead of refusing it.
    const rawPath = (req.url ?? '/').split('?')[0];
    const found = await readStatic(rendererDir, rawPath.startsWith('/') ? rawPath : '/' + rawPath);
    if (found.kind === 'forbidden') return refuse(res, 403, found.why, headers);
    if (found.kind === 'missing') return refuse(res, 404, 'not found', headers);
    const out: Record<string, string> = {
      ...headers,
      'Content-Type': found.type,
      'Content-Length': String(found.body.length),
      'Cache-Control': 'no-store',
    };
    if (tokenMatches(token, queryToken)) out['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, out);
    res.end(req.method === 'HEAD' ? undefined : found.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    if (!hostAllowed(req.headers.host, port) || !originAllowed(req.headers.origin, port)) return refuseUpgrade(socket, 403, 'Forbidden');
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (!tokenMatches(token, url.searchParams.get('token'))) return refuseUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const unsubscribe = api.subscribe((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event } satisfies WireEvent));
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
    ws.on('message', (raw, isBinary) => {
      void answer(ws, isBinary ? null : raw.toString());
    });
  }

  async function answer(ws: WebSocket, text: string | null): Promise<void> {
    let id = -1;
    let reply: WireReply['reply'];
    try {
      const msg: unknown = text === null ? null : JSON.parse(text);
      const m = (typeof msg === 'object' && msg !== null ? msg : {}) as Record<string, unknown>;
      if (typeof m.id === 'number' && Number.isSafeInteger(m.id)) id = m.id;
      if (id < 0 || typeof m.name !== 'string') {
        reply = { ok: false, error: { code: 'invalid_input', message: 'expected {"id": integer, "name": string, "input": …}' } };
      } else {
        reply = await api.handle(m.name, m.input);
      }
    } catch {
      reply = { ok: false, error: { code: 'invalid_input', message: 'message is not JSON' } };
    }
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, reply } satisfies WireReply));
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (err) => {
      void services?.close();
      reject(err);
    });
    server.listen(options.port ?? 0, LOOPBACK, () => resolvePromise());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    services,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
      await services?.close();
    },
  };
}
