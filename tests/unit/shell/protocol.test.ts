/** The app:// scheme (src-main/shell/protocol.ts): renderer files only, never a path outside out/renderer. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, resolveAppRequest } from '../../../src-main/shell';

const dir = resolve('/app/out/renderer');

describe('resolveAppRequest', () => {
  it('maps app://neurograph/<path> into the renderer folder with its content type; / is index.html', () => {
    expect(resolveAppRequest(APP_ENTRY, 'GET', dir)).toEqual({ ok: true, file: join(dir, 'index.html'), type: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://neurograph/', 'GET', dir)).toMatchObject({ ok: true, file: join(dir, 'index.html') });
    expect(resolveAppRequest('app://neurograph/assets/index-C77M8qR0.js?v=1', 'GET', dir)).toEqual({ ok: true, file: join(dir, 'assets/index-C77M8qR0.js'), type: 'text/javascript; charset=utf-8' });
    expect(resolveAppRequest('app://neurograph/tfjs-backend-wasm.wasm', 'GET', dir)).toMatchObject({ type: 'application/wasm' });
  });

  it('refuses escapes from the renderer folder, however spelled', () => {
    for (const url of ['app://neurograph/..%2fmain%2findex.js', 'app://neurograph/assets/%2e%2e%2f%2e%2e%2fmain', 'app://neurograph/assets%5c..%5c..%5cmain', 'app://neurograph/a%00.js', 'app://neurograph/%E0%A4%A']) {
      expect([url, resolveAppRequest(url, 'GET', dir)]).toEqual([url, { ok: false, status: 403, why: 'path outside the app' }]);
    }
    // Dot segments, plain or %2e-encoded, never reach the handler: URL parsing removes them, and what remains is inside.
    expect(resolveAppRequest('app://neurograph/../../etc/passwd', 'GET', dir)).toMatchObject({ ok: true, file: join(dir, 'etc/passwd') });
    expect(resolveAppRequest('app://neurograph/%2e%2e/main/index.js', 'GET', dir)).toMatchObject({ ok: true, file: join(dir, 'main/index.js') });
  });

  it('refuses other hosts, schemes and methods', () => {
    expect(resolveAppRequest('app://evil/index.html', 'GET', dir)).toEqual({ ok: false, status: 404, why: 'no such origin app://evil' });
    expect(resolveAppRequest('file:///etc/passwd', 'GET', dir)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest(APP_ENTRY, 'POST', dir)).toEqual({ ok: false, status: 405, why: 'POST is not allowed' });
  });
});
