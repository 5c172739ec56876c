/**
 * The app:// scheme that serves the built renderer in the desktop app (instead of file://, whose pages
 * share one opaque origin with every file on disk). `app://neurograph/<path>` maps to a file inside
 * out/renderer, through the web host's resolveInside (no `..`, NUL, backslashes or escapes out of it);
 * every other host, method or path is refused. Pure: main reads the file and answers with the CSP.
 */
import { extname } from 'node:path';
import { resolveInside } from '../web';

export const APP_SCHEME = 'app';
export const APP_HOST = 'neurograph';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

export type AppRequestTarget = { ok: true; file: string; type: string } | { ok: false; status: 403 | 404 | 405; why: string };

/** The renderer file an app:// request names, or why it is refused. */
export function resolveAppRequest(url: string, method: string, rendererDir: string): AppRequestTarget {
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405, why: `${method} is not allowed` };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, status: 404, why: 'not a URL' };
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host.toLowerCase() !== APP_HOST) return { ok: false, status: 404, why: `no such origin ${parsed.protocol}//${parsed.host}` };
  const file = resolveInside(rendererDir, parsed.pathname);
  if (!file) return { ok: false, status: 403, why: 'path outside the app' };
  return { ok: true, file, type: TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream' };
}
