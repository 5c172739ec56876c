/**
 * Electron main process: one setupX() per concern. Everything real lives in services (plain data, no
 * IPC); this file only wires a secure window to them.
 */
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ApiEvent, Reply } from '../api';
import { createServices, type Services } from '../services';
import { contentSecurityPolicy, defaultLibraryPath } from '../shared';
import { electronForkTrainer } from './fork';

const here = dirname(fileURLToPath(import.meta.url));
const rendererFile = join(here, '../renderer/index.html');
const devUrl = process.env.ELECTRON_RENDERER_URL;

let mainWindow: BrowserWindow | null = null;
let services: Services | null = null;

const CSP = contentSecurityPolicy(devUrl ? [new URL(devUrl).origin, `ws://${new URL(devUrl).host}`] : []);

/** better-sqlite3 built for Electron's ABI by scripts/prepare-electron.mjs, kept apart from Node's build. */
function nativeBinding(): string | undefined {
  const file = join(app.getAppPath(), '.native', 'electron', 'better_sqlite3.node');
  return existsSync(file) ? file : undefined;
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

/** Only our own window's main frame, showing our own page, may call the api. */
function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const win = mainWindow;
  if (!win || win.isDestroyed() || event.sender !== win.webContents) return false;
  const frame = event.senderFrame;
  if (!frame || frame !== win.webContents.mainFrame) return false;
  const url = frame.url;
  return devUrl ? url.startsWith(new URL(devUrl).origin + '/') : url.startsWith(pathToFileURL(rendererFile).href);
}

function setupIpc(api: Services['api']): void {
  ipcMain.handle('api', async (event, name: unknown, input: unknown): Promise<Reply<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'unauthorized', message: 'request from an unknown frame' } };
    if (typeof name !== 'string') return { ok: false, error: { code: 'unknown_request', message: 'request name must be a string' } };
    return api.handle(name, input);
  });
}

function setupSecurity(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  app.on('web-contents-created', (_e, contents: WebContents) => {
    contents.on('will-navigate', (e) => e.preventDefault());
    contents.on('will-redirect', (e) => e.preventDefault());
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function setupWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    show: false,
    title: 'Neurograph',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererFile);
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
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  setupLifecycle();
  void app.whenReady().then(() => {
    setupSecurity();
    try {
      services = setupServices();
    } catch (err) {
      // E.g. a library we cannot open at all, or better-sqlite3 built for the wrong ABI (npm start rebuilds it).
      dialog.showErrorBox('Neurograph cannot start', err instanceof Error ? err.message : String(err));
      app.exit(1);
      return;
    }
    setupIpc(services.api);
    mainWindow = setupWindow();
  });
}
