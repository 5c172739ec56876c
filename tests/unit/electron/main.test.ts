/**
 * The Electron main process (src-main/electron/main.ts) run under Node against a recording stand-in for
 * Electron (fake-electron.ts) and stub services: the app:// scheme, permission and navigation refusals,
 * trusted senders, the command channel and its ready handshake, menu commands, and files arriving from
 * argv, a second launch, a drop and File › Open.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { electronState, fakeElectron, resetElectron, type FakeWindow } from './fake-electron';

vi.mock('electron', () => fakeElectron());
const api = vi.hoisted(() => ({ calls: [] as [string, unknown][] }));
vi.mock('../../../src-main/services', () => ({
  createServices: () => ({
    api: {
      handle: async (name: string, input: unknown) => {
        api.calls.push([name, input]);
        return { ok: true, data: null };
      },
      subscribe: () => () => {},
    },
    close: async () => {},
  }),
}));

type Menu = { id?: string; role?: string; label?: string; submenu?: Menu; click?: () => void }[];
const all = (menu: Menu): Menu => menu.flatMap((i) => [i, ...all(i.submenu ?? [])]);
const find = (menu: Menu, id: string) => all(menu).find((i) => i.id === id);
const roles = (menu: Menu) => all(menu).flatMap((i) => (i.role ? [i.role] : []));

let dir: string;
let argv: string[];
let env: NodeJS.ProcessEnv;
const model = () => {
  const file = join(dir, 'net.json');
  writeFileSync(file, JSON.stringify({ format: 'neurograph-model', version: 1, nodes: [] }));
  return file;
};

async function launch(opts: { argv?: string[]; isPackaged?: boolean; env?: Record<string, string>; native?: false } = {}): Promise<FakeWindow> {
  const appPath = join(dir, 'app');
  const native = join(appPath, '.native', 'electron', `linux-${process.arch}`);
  mkdirSync(native, { recursive: true });
  if (opts.native !== false) writeFileSync(join(native, 'better_sqlite3.node'), '');
  resetElectron({ userData: join(dir, 'userData'), appPath, isPackaged: opts.isPackaged });
  process.argv = ['/usr/bin/electron', appPath, ...(opts.argv ?? [])];
  Object.assign(process.env, opts.env ?? {});
  vi.resetModules();
  await import('../../../src-main/electron/main');
  await vi.waitFor(() => expect(electronState.windows.length + electronState.errorBoxes.length).toBe(1));
  return electronState.windows[0] as FakeWindow;
}

const trusted = (win: FakeWindow) => ({ sender: win.webContents, senderFrame: win.webContents.mainFrame });
const commands = (win: FakeWindow) => win.webContents.sent.filter(([channel]) => channel === 'app:command').map(([, m]) => m);
const ready = (win: FakeWindow) => electronState.ipcOn.get('app:command-ready')!(trusted(win));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ng-main-'));
  argv = process.argv;
  env = { ...process.env };
  api.calls = [];
});
afterEach(() => {
  process.argv = argv;
  process.env = env;
  rmSync(dir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('Electron main process', () => {
  it('serves the page from app://neurograph through a privileged standard scheme, not file://', async () => {
    const win = await launch();
    expect(electronState.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
    expect(win.url).toBe('app://neurograph/index.html');
    const handler = electronState.protocolHandlers.get('app')!;
    expect((await handler(new Request('app://neurograph/..%2f..%2fpackage.json'))).status).toBe(403);
    expect((await handler(new Request('app://neurograph/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('refuses every permission request and check, navigation, redirects, webviews and new windows', async () => {
    const win = await launch();
    expect(['media', 'clipboard-read', 'notifications'].map((p) => electronState.permissionCheck!(null, p, 'app://neurograph', {}))).toEqual([false, false, false]);
    const answered: boolean[] = [];
    electronState.permissionRequest!(null, 'media', (ok: boolean) => answered.push(ok));
    expect(answered).toEqual([false]);
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = { url: 'https://example.com/', isMainFrame: true, preventDefault: vi.fn() };
      win.webContents.emit(event, e);
      expect([event, e.preventDefault.mock.calls.length > 0]).toEqual([event, true]);
    }
    expect(win.webContents.windowOpenHandler!()).toEqual({ action: 'deny' });
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: true });
  });

  it('answers api requests only from the main frame of its own app:// page', async () => {
    const win = await launch();
    const handle = electronState.ipcHandle.get('api')!;
    expect(await handle(trusted(win), 'projects.list', {})).toEqual({ ok: true, data: null });
    win.webContents.mainFrame.url = 'https://evil.example/';
    expect(await handle(trusted(win), 'projects.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    win.webContents.mainFrame.url = 'app://neurograph/index.html';
    expect(await handle({ sender: {}, senderFrame: win.webContents.mainFrame }, 'projects.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(api.calls).toEqual([['projects.list', {}]]);
  });

  it('a file given at launch reaches the page once it listens, after the remembered theme and language', async () => {
    const file = model();
    const win = await launch({ argv: [file, '--some-switch'] });
    await new Promise((r) => setTimeout(r, 20));
    expect(commands(win)).toEqual([]);
    // A frame that is not the app's own cannot claim to listen.
    electronState.ipcOn.get('app:command-ready')!({ sender: {}, senderFrame: win.webContents.mainFrame });
    expect(commands(win)).toEqual([]);
    ready(win);
    await vi.waitFor(() => expect(commands(win)).toHaveLength(3));
    expect(commands(win)).toEqual([
      { type: 'app.command', command: 'set-theme', arg: 'system' },
      { type: 'app.command', command: 'set-language', arg: 'en' },
      { type: 'app.command', command: 'open-file', arg: file, kind: 'model', content: readFileSync(file, 'utf8') },
    ]);
    // The file is now a recent one, in the menu and in preferences.json.
    expect(find(electronState.menus.at(-1) as Menu, `open-recent:${file}`)).toBeDefined();
    expect(JSON.parse(readFileSync(join(dir, 'userData', 'preferences.json'), 'utf8')).recent).toEqual([file]);
    expect(electronState.recentDocuments).toEqual([file]);
  });

  it('menu items send their command to the page; the theme also sets nativeTheme and is remembered', async () => {
    const win = await launch();
    ready(win);
    const menu = () => electronState.menus.at(-1) as Menu;
    find(menu(), 'fit-view')!.click!();
    find(menu(), 'set-theme:dark')!.click!();
    expect(commands(win).slice(2)).toEqual([
      { type: 'app.command', command: 'fit-view' },
      { type: 'app.command', command: 'set-theme', arg: 'dark' },
    ]);
    expect(electronState.nativeTheme.themeSource).toBe('dark');
    expect(JSON.parse(readFileSync(join(dir, 'userData', 'preferences.json'), 'utf8')).theme).toBe('dark');
    // Under vitest NODE_ENV is 'test': a development run, with developer tools.
    expect(roles(menu())).toContain('toggleDevTools');
  });

  it('a second launch focuses the window and hands it the file; a drop and File › Open do too', async () => {
    const win = await launch();
    ready(win);
    const csv = join(dir, 'table.csv');
    writeFileSync(csv, 'a,b\n1,2\n');
    const file = model();
    electronState.app.emit('second-instance', {}, ['/opt/Neurograph/neurograph', '.', 'net.json'], dir);
    expect(win.focused).toBe(true);
    const drop = { url: pathToFileURL(csv).href, isMainFrame: true, preventDefault: vi.fn() };
    win.webContents.emit('will-navigate', drop);
    expect(drop.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(commands(win)).toHaveLength(4));
    electronState.nextPick = file;
    find(electronState.menus.at(-1) as Menu, 'open')!.click!();
    await vi.waitFor(() => expect(commands(win)).toHaveLength(5));
    expect(commands(win).slice(2)).toEqual(
      expect.arrayContaining([
        { type: 'app.command', command: 'open-file', arg: file, kind: 'model', content: readFileSync(file, 'utf8') },
        { type: 'app.command', command: 'open-file', arg: csv, kind: 'csv', content: 'a,b\n1,2\n' },
      ]),
    );
  });

  it('a file that cannot be opened is explained in a dialog, and nothing is sent', async () => {
    const bad = join(dir, 'keras.json');
    writeFileSync(bad, '{"format": "keras"}');
    const win = await launch({ argv: [bad, join(dir, 'gone.json')] });
    ready(win);
    await vi.waitFor(() => expect(electronState.messageBoxes).toHaveLength(2));
    expect(electronState.messageBoxes.map((b) => [b.message, b.detail])).toEqual(
      expect.arrayContaining([
        ['Cannot open keras.json', '"keras.json" is JSON but not a Neurograph file: its "format" is "keras" (expected "neurograph-project" or "neurograph-model").'],
        ['Cannot open gone.json', `${join(dir, 'gone.json')} no longer exists.`],
      ]),
    );
    expect(commands(win).map((m) => (m as { command: string }).command)).toEqual(['set-theme', 'set-language']);
  });

  it('a packaged app ignores ELECTRON_RENDERER_URL with a warning and has no developer tools', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const win = await launch({ isPackaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } });
    expect(win.url).toBe('app://neurograph/index.html');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ignoring ELECTRON_RENDERER_URL=http://localhost:5173'));
    expect(win.options.webPreferences).toMatchObject({ devTools: false });
    expect(roles(electronState.menus.at(-1) as Menu)).not.toContain('toggleDevTools');
    warn.mockRestore();
  });

  it('without better-sqlite3 for Electron it says how to prepare it, and opens no window', async () => {
    await launch({ native: false });
    expect(electronState.windows).toEqual([]);
    expect(electronState.errorBoxes).toEqual([['Neurograph cannot start', expect.stringMatching(/better-sqlite3 for Electron is missing .*Run `node scripts\/prepare-electron\.mjs`/)]]);
  });

  it('remembers the window bounds when it closes and opens there next time', async () => {
    const win = await launch();
    win.options.x = 100;
    win.options.y = 80;
    win.options.width = 1200;
    win.options.height = 800;
    win.emit('close');
    expect(JSON.parse(readFileSync(join(dir, 'userData', 'window-state.json'), 'utf8'))).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: false });
    const next = await launch();
    expect(next.options).toMatchObject({ x: 100, y: 80, width: 1200, height: 800 });
  });
});
