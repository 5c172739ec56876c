/** The app:// handler (src-main/electron/protocol.ts) on a real renderer folder: files with the CSP header, nothing outside. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../../src-main/shared';
import { electronState, fakeElectron, resetElectron } from './fake-electron';

vi.mock('electron', () => fakeElectron());

let root: string;
let handler: (request: Request) => Promise<Response>;
const CSP = contentSecurityPolicy();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ng-app-protocol-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Neurograph</title>');
  writeFileSync(join(renderer, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'not for the page');
  resetElectron({ userData: root, appPath: root });
  const { registerAppScheme, setupAppProtocol } = await import('../../../src-main/electron/protocol');
  registerAppScheme();
  setupAppProtocol(renderer, CSP);
  handler = electronState.protocolHandlers.get('app')!;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves renderer files with their type, the CSP header and nosniff', async () => {
    const page = await handler(new Request('app://neurograph/index.html'));
    expect([page.status, page.headers.get('content-type'), page.headers.get('content-security-policy'), page.headers.get('x-content-type-options')]).toEqual([
      200,
      'text/html; charset=utf-8',
      CSP,
      'nosniff',
    ]);
    expect(await page.text()).toBe('<!doctype html><title>Neurograph</title>');
    const script = await handler(new Request('app://neurograph/assets/index.js'));
    expect([script.headers.get('content-type'), await script.text()]).toEqual(['text/javascript; charset=utf-8', 'console.log(1)']);
    expect(await (await handler(new Request('app://neurograph/index.html', { method: 'HEAD' }))).text()).toBe('');
  });

  it('refuses files outside the renderer folder, missing files, folders and other hosts', async () => {
    const status = async (url: string) => (await handler(new Request(url))).status;
    expect(await status('app://neurograph/..%2fsecret.txt')).toBe(403);
    expect(await status('app://neurograph/missing.js')).toBe(404);
    expect(await status('app://neurograph/assets')).toBe(404);
    expect(await status('app://other/index.html')).toBe(404);
    expect(await (await handler(new Request('app://neurograph/..%2fsecret.txt'))).text()).toBe('path outside the app');
  });
});
