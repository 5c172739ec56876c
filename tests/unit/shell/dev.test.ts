/** ELECTRON_RENDERER_URL is honoured only in development, and only for a loopback dev server (src-main/shell/dev.ts). */
import { describe, expect, it } from 'vitest';
import { shellMode } from '../../../src-main/shell';

describe('shellMode', () => {
  it('development: the loopback dev server of electron-vite', () => {
    expect(shellMode({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toEqual({ isDev: true, devUrl: 'http://localhost:5173/', warning: null });
    expect(shellMode({}, false)).toEqual({ isDev: true, devUrl: null, warning: null });
  });

  it('a packaged app, or NODE_ENV=production, ignores the variable with a warning', () => {
    const packaged = shellMode({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true);
    expect(packaged).toEqual({ isDev: false, devUrl: null, warning: 'ignoring ELECTRON_RENDERER_URL=http://localhost:5173: a packaged app loads only its own renderer; loading the built renderer' });
    const production = shellMode({ ELECTRON_RENDERER_URL: 'http://localhost:5173', NODE_ENV: 'production' }, false);
    expect([production.isDev, production.devUrl, production.warning]).toEqual([false, null, expect.stringContaining('NODE_ENV is production')]);
  });

  it('even in development, not a remote page or another scheme', () => {
    expect(shellMode({ ELECTRON_RENDERER_URL: 'https://example.com/' }, false)).toMatchObject({ devUrl: null, warning: expect.stringContaining('must be on this machine') });
    expect(shellMode({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, false)).toMatchObject({ devUrl: null, warning: expect.stringContaining('http(s)') });
    expect(shellMode({ ELECTRON_RENDERER_URL: 'not a url' }, false)).toMatchObject({ devUrl: null });
  });
});
