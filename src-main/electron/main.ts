/**
 * Electron main process: one setupX() per concern. Everything real lives in services (plain data, no
 * IPC) and in src-main/shell (menu, file opening, window state: pure and tested under Node); this file
 * only wires a secure window to them.
 */
import { app, dialog, ipcMain, nativeTheme, session, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NeurographError } from '../../src-engine';
import type { ApiEvent, Reply } from '../api';
import { createServices, type Services } from '../services';
import {
  APP_COMMAND_CHANNEL,
  APP_COMMAND_READY_CHANNEL,
  APP_ENTRY,
  APP_ORIGIN,
  CommandOutbox,
  PREFERENCES_FILE,
  THEMES,
  filesFromArgv,
  nativeBindingPath,
  parsePreferences,
  serializePreferences,
  shellMode,
  withRecent,
  withoutRecent,
  type AppCommand,
  type Preferences,
  type Theme,
} from '../shell';
import { contentSecurityPolicy, defaultLibraryPath } from '../shared';
import { createFileOpener, type FileOpener } from './files';
import { electronForkTrainer } from './fork';
import { setupMenu, type AppMenu } from './menu';
import { registerAppScheme, setupAppProtocol } from './protocol';
import { readUserFile, writeUserFile } from './userFiles';
import { createMainWindow } from './window';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
// ELECTRON_RENDERER_URL (electron-vite's dev server) counts only in development; otherwise a warning.
const mode = shellMode(process.env, app.isPackaged);
if (mode.warning) console.warn(`neurograph: ${mode.warning}`);
const devUrl = mode.devUrl;
const pageOrigin = devUrl ? new URL(devUrl).origin : APP_ORIGIN;

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;
let menu: AppMenu | null = null;
let files: FileOpener | null = null;
let prefs: Preferences = parsePreferences(readUserFile(PREFERENCES_FILE));
/** Files asked for before the app was ready (argv, macOS 'open-file'). */
const pendingFiles: string[] = filesFromArgv(process.argv, { isPackaged: app.isPackaged, cwd: process.cwd() });

const CSP = contentSecurityPolicy(devUrl ? [new URL(devUrl).origin, `ws://${new URL(devUrl).host}`] : []);

/** Commands for the renderer wait until its page listens (the preload's first onCommand). */
const outbox = new CommandOutbox((message) => {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(APP_COMMAND_CHANNEL, message);
});

/** better-sqlite3 built for Electron's ABI by scripts/prepare-electron.mjs (packed unpacked by electron-builder). */
function nativeBinding(): string {
  const file = nativeBindingPath(app.getAppPath(), process.platform, process.arch);
  if (existsSync(file)) return file;
  throw new NeurographError(
    app.isPackaged
      ? `This installation is incomplete: ${file} is missing. Reinstall Neurograph.`
      : `better-sqlite3 for Electron is missing (${file}). Run \`node scripts/prepare-electron.mjs\` (npm start runs it).`,
    'failed',
    file,
  );
}

function setupServices(): Services {
  const created = createServices({
    libraryPath: defaultLibraryPath(),
    nativeBinding: nativeBinding(),
    trainerEntry: join(here, 'trainer.js'),
    trainerExecArgv: [],
    fork: electronForkTrainer,
  });
  created.api.subscribe((event: ApiEvent) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send('api:event', event);
  });
  return created;
}

/** Only our own window's main frame, showing our own page (app:// or the dev server), may call the api. */
function isTrustedSender(event: IpcMainInvokeEvent | IpcMainEvent): boolean {
  const win = mainWindow;
  if (!win || win.isDestroyed() || event.sender !== win.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== win.webContents.mainFrame) return false;
  return frame.url.startsWith(pageOrigin + '/');
}

function setupIpc(api: Services['api']): void {
  ipcMain.handle('api', async (event, name: unknown, input: unknown): Promise<Reply<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'unauthorized', message: 'request from an unknown frame' } };
    if (typeof name !== 'string') return { ok: false, error: { code: 'unknown_request', message: 'request name must be a string' } };
    return api.handle(name, input);
  });
  ipcMain.on(APP_COMMAND_READY_CHANNEL, (event) => {
    if (isTrustedSender(event)) outbox.ready();
  });
}

function setupSecurity(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-frame-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
  setupAppProtocol(rendererDir, CSP);
}

function savePrefs(next: Preferences): void {
  prefs = next;
  writeUserFile(PREFERENCES_FILE, serializePreferences(prefs));
  menu?.refresh();
}

/** A menu item: dialogs and recent files are handled here, the rest goes to the renderer. */
function dispatch(command: AppCommand, arg?: string): void {
  switch (command) {
    case 'open':
    case 'import-model':
    case 'import-csv':
      void files?.choose(command).catch(report);
      return;
    case 'open-recent':
      if (arg) openFile(arg);
      return;
    case 'clear-recent':
      app.clearRecentDocuments();
      savePrefs(withoutRecent(prefs));
      return;
    case 'open-file':
      // Only raised here, with the file's kind (files.ts).
      return;
    case 'set-theme':
      if (!(THEMES as readonly string[]).includes(arg ?? '')) return;
      nativeTheme.themeSource = arg as Theme;
      savePrefs({ ...prefs, theme: arg as Theme });
      break;
    case 'set-language':
      if (!arg) return;
      savePrefs({ ...prefs, language: arg });
      break;
  }
  outbox.send(arg === undefined ? { type: 'app.command', command } : { type: 'app.command', command, arg });
}

const report = (err: unknown) => console.error(`neurograph: ${err instanceof Error ? err.message : String(err)}`);

function openFile(path: string): void {
  if (files) void files.open(path).catch(report);
  else pendingFiles.push(path);
}

function setupFiles(): FileOpener {
  return createFileOpener({
    window: () => mainWindow,
    send: (message) => outbox.send(message),
    remember: (path) => savePrefs(withRecent(prefs, path)),
    forget: (path) => savePrefs(withoutRecent(prefs, path)),
  });
}

function setupWindow(): BrowserWindow {
  const icon = join(app.getAppPath(), 'resources', 'icon.png');
  const win = createMainWindow({
    preload: join(here, '../preload/index.cjs'),
    isDev: mode.isDev,
    icon: process.platform === 'linux' && !app.isPackaged && existsSync(icon) ? icon : undefined,
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  const contents = win.webContents;
  // A new page (reload, crash) listens again only once it subscribes.
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) outbox.reset();
  });
  contents.on('render-process-gone', () => outbox.reset());
  // A file dropped where the page does not take the drop makes Chromium navigate to it (the first file,
  // if several); the navigation is refused (setupSecurity) and the file opened instead. Chromium starts
  // a navigation from our page to a file:// URL only for a file the user dropped (a scripted one is
  // blocked before this event), so a script cannot use this to open arbitrary files.
  contents.on('will-navigate', (details) => {
    if (details.isMainFrame && details.url.startsWith('file:')) openFile(fileURLToPath(details.url));
  });
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadURL(APP_ENTRY);
  return win;
}

/** Quit: cancel runs, flush metrics, kill the trainer, close the library; then really quit. */
function setupLifecycle(): void {
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing || !services) return;
    event.preventDefault();
    closing = true;
    const s = services;
    services = null;
    void s.close().finally(() => app.quit());
  });
  app.on('window-all-closed', () => app.quit());
}

app.enableSandbox();
registerAppScheme();
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // A second launch (a double-clicked file on Windows and Linux) focuses this window and hands it the files.
  app.on('second-instance', (_event, argv, workingDirectory) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    for (const file of filesFromArgv(argv, { isPackaged: app.isPackaged, cwd: workingDirectory })) openFile(file);
  });
  // macOS hands double-clicked files to the running app, also before it is ready.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFile(path);
  });
  setupLifecycle();
  void app.whenReady().then(() => {
    setupSecurity();
    try {
      services = setupServices();
    } catch (err) {
      // E.g. a library we cannot open at all, or better-sqlite3 missing or built for the wrong ABI.
      const message = err instanceof Error ? err.message : String(err);
      const hint = /NODE_MODULE_VERSION/.test(message) && !app.isPackaged ? '\n\nRebuild it for Electron: node scripts/prepare-electron.mjs --force' : '';
      dialog.showErrorBox('Neurograph cannot start', message + hint);
      app.exit(1);
      return;
    }
    setupIpc(services.api);
    nativeTheme.themeSource = prefs.theme;
    menu = setupMenu({ isDev: mode.isDev, prefs: () => prefs, dispatch });
    mainWindow = setupWindow();
    files = setupFiles();
    // The page learns the remembered theme and language first, then the files it was launched with.
    outbox.send({ type: 'app.command', command: 'set-theme', arg: prefs.theme });
    outbox.send({ type: 'app.command', command: 'set-language', arg: prefs.language });
    for (const file of pendingFiles.splice(0)) openFile(file);
  });
}
