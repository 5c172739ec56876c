/** Serving the built renderer: a path inside rendererDir or nothing (no `../`, no NUL, no backslashes). */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticResult =
  | { kind: 'file'; body: Buffer; type: string }
  | { kind: 'forbidden'; why: string }
  | { kind: 'missing' };

/** Resolves a URL pathname against rendererDir, refusing anything that would leave it. */
export function resolveInside(rendererDir: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const root = resolve(rendererDir);
  const full = resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded));
  if (full !== root && !full.startsWith(root + sep)) return null;
  return full;
}

export async function readStatic(rendererDir: string, pathname: string): Promise<StaticResult> {
  const full = resolveInside(rendererDir, pathname);
  if (!full) return { kind: 'forbidden', why: 'path outside the app' };
  try {
    const info = await stat(full);
    if (!info.isFile()) return { kind: 'missing' };
    return { kind: 'file', body: await readFile(full), type: TYPES[extname(full).toLowerCase()] ?? 'application/octet-stream' };
  } catch {
    return { kind: 'missing' };
  }
}
