/**
 * app://neurograph/… serves the built renderer (src-main/shell/protocol.ts decides which file), with the
 * Content-Security-Policy as a header. A privileged standard scheme gives the page a real, secure origin
 * of its own instead of file://, which shares one with every file on disk.
 */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_SCHEME, resolveAppRequest } from '../shell';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
}

export function setupAppProtocol(rendererDir: string, csp: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(request.url, request.method, rendererDir);
    if (!target.ok) return new Response(target.why, { status: target.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    let body: Buffer;
    try {
      body = await readFile(target.file);
    } catch {
      return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { 'Content-Type': target.type, 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' },
    });
  });
}
