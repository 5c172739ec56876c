/**
 * The main window: secure webPreferences, its size and position restored from window-state.json (fitted
 * to the displays there are now) and saved when it closes.
 */
import { BrowserWindow, dialog, screen } from 'electron';
import { MIN_SIZE, WINDOW_STATE_FILE, parseWindowState, restoreWindowState, serializeWindowState } from '../shell';
import { readUserFile, writeUserFile } from './userFiles';

export interface MainWindowOptions {
  preload: string;
  isDev: boolean;
  /** The window icon where the desktop does not take it from the installed app (Linux from a clone). */
  icon?: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const primary = screen.getPrimaryDisplay();
  const areas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const state = restoreWindowState(parseWindowState(readUserFile(WINDOW_STATE_FILE)), areas);
  const win = new BrowserWindow({
    ...state.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Neurograph',
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      devTools: opts.isDev,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  // The page asks before it goes with an edit not yet saved (its beforeunload); Electron then only
  // cancels silently, so the question is put here. preventDefault() lets the page go.
  win.webContents.on('will-prevent-unload', (event) => {
    const choice = dialog.showMessageBoxSync(win, {
      type: 'question',
      buttons: ['Stay', 'Leave without saving'],
      defaultId: 0,
      cancelId: 0,
      title: 'Unsaved changes',
      message: 'The last edit is not saved yet.',
      detail: 'Stay to let it save (it takes a second), or leave and lose it.',
    });
    if (choice === 1) event.preventDefault();
  });
  win.on('close', () => writeUserFile(WINDOW_STATE_FILE, serializeWindowState({ bounds: win.getNormalBounds(), maximized: win.isMaximized() })));
  return win;
}
