/**
 * The application menu as plain data: Electron's MenuItemConstructorOptions shape, built by a pure
 * function (no electron import) so its conventions are tested under Node. Items that do something of
 * ours call the injected `send(command, arg?)`; clipboard, window and developer items use Electron roles,
 * which act on the focused page natively.
 *
 * Conventions: macOS has the app menu (About, Services, Hide…, Quit) and a Window menu; elsewhere Quit
 * ends the File menu, About ends Help, and top-level labels carry Alt mnemonics. Accelerators are
 * CmdOrCtrl+…; Redo is Ctrl+Y on Windows. Developer items exist only in development.
 */
import { basename, dirname } from 'node:path';
import { LANGUAGES, THEMES, type AppCommand, type Theme } from './commands';

/** The Electron roles this menu uses (a subset of MenuItemConstructorOptions['role']). */
export type MenuRole =
  | 'cut'
  | 'copy'
  | 'paste'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'togglefullscreen'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'windowMenu'
  | 'help';

export interface MenuItem {
  id?: string;
  label?: string;
  role?: MenuRole;
  type?: 'normal' | 'separator' | 'submenu' | 'checkbox' | 'radio';
  accelerator?: string;
  enabled?: boolean;
  checked?: boolean;
  submenu?: MenuItem[];
  click?: () => void;
}

export interface MenuOptions {
  /** process.platform of the machine the menu is for. */
  platform: string;
  appName: string;
  /** Development build: adds Reload and Developer Tools. */
  isDev: boolean;
  /** Recent files, most recent first (absolute paths). */
  recent: readonly string[];
  theme: Theme;
  language: string;
  languages?: readonly { code: string; label: string }[];
  send: (command: AppCommand, arg?: string) => void;
}

const separator: MenuItem = { type: 'separator' };
const THEME_LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** Labels for the recent files: the file name, with its folder when two share a name. */
export function recentLabels(paths: readonly string[]): string[] {
  const names = paths.map((p) => basename(p));
  return paths.map((p, i) => (names.filter((n) => n === names[i]).length > 1 ? `${names[i]} — ${dirname(p)}` : names[i]));
}

export function buildMenuTemplate(o: MenuOptions): MenuItem[] {
  const mac = o.platform === 'darwin';
  // Windows and Linux read '&' in a label as a mnemonic marker: '&&' is a literal ampersand.
  const literal = (text: string) => (mac ? text : text.replaceAll('&', '&&'));
  const top = (label: string) => (mac ? label : `&${label}`);
  const item = (label: string, command: AppCommand, extra: Partial<MenuItem> & { arg?: string } = {}): MenuItem => {
    const { arg, ...rest } = extra;
    return { id: arg === undefined ? command : `${command}:${arg}`, label, click: () => o.send(command, arg), ...rest };
  };

  const labels = recentLabels(o.recent);
  const recent: MenuItem[] = [
    ...(o.recent.length
      ? o.recent.map((path, i) => item(literal(labels[i]), 'open-recent', { arg: path }))
      : [{ id: 'recent-none', label: 'No Recent Files', enabled: false }]),
    separator,
    item('Clear Recent', 'clear-recent', { enabled: o.recent.length > 0 }),
  ];

  const file: MenuItem = {
    label: top('File'),
    submenu: [
      item('New Project', 'new-project', { accelerator: 'CmdOrCtrl+N' }),
      item('Open…', 'open', { accelerator: 'CmdOrCtrl+O' }),
      { id: 'recent', label: 'Open Recent', submenu: recent },
      separator,
      item('Save', 'save', { accelerator: 'CmdOrCtrl+S' }),
      separator,
      item('Import Model…', 'import-model'),
      item('Import CSV…', 'import-csv'),
      {
        id: 'export',
        label: 'Export',
        submenu: [item('Model JSON…', 'export-json', { accelerator: 'CmdOrCtrl+E' }), item('PyTorch…', 'export-pytorch'), item('ONNX…', 'export-onnx')],
      },
      separator,
      // macOS quits from the app menu; Windows says Exit (Alt+F4), Linux desktops Quit (Ctrl+Q).
      mac ? { role: 'close' } : o.platform === 'win32' ? { role: 'quit', label: 'Exit' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };

  const edit: MenuItem = {
    label: top('Edit'),
    submenu: [
      item('Undo', 'undo', { accelerator: 'CmdOrCtrl+Z' }),
      item('Redo', 'redo', { accelerator: o.platform === 'win32' ? 'Ctrl+Y' : 'Shift+CmdOrCtrl+Z' }),
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      separator,
      item('Select All', 'select-all', { accelerator: 'CmdOrCtrl+A' }),
    ],
  };

  const languages = o.languages ?? LANGUAGES;
  const view: MenuItem = {
    label: top('View'),
    submenu: [
      item('Zoom In', 'zoom-in', { accelerator: 'CmdOrCtrl+=' }),
      item('Zoom Out', 'zoom-out', { accelerator: 'CmdOrCtrl+-' }),
      item('Actual Size', 'zoom-reset', { accelerator: 'CmdOrCtrl+0' }),
      item('Fit to Window', 'fit-view', { accelerator: 'CmdOrCtrl+1' }),
      separator,
      { id: 'theme', label: 'Theme', submenu: THEMES.map((t) => item(THEME_LABELS[t], 'set-theme', { arg: t, type: 'radio', checked: o.theme === t })) },
      {
        id: 'language',
        label: 'Language',
        submenu: languages.map((l) => item(l.label, 'set-language', { arg: l.code, type: 'radio', checked: o.language === l.code })),
      },
      separator,
      { role: 'togglefullscreen' },
      ...(o.isDev ? [separator, { role: 'reload' as const }, { role: 'forceReload' as const }, { role: 'toggleDevTools' as const }] : []),
    ],
  };

  const about = item(`About ${o.appName}`, 'show-about');
  const help: MenuItem = {
    label: top('Help'),
    role: 'help',
    submenu: [
      item('Keyboard Shortcuts', 'show-shortcuts', { accelerator: 'CmdOrCtrl+/' }),
      item('Course Notes', 'show-course-notes'),
      ...(mac ? [] : [separator, about]),
    ],
  };

  if (!mac) return [file, edit, view, help];
  const appMenu: MenuItem = {
    label: o.appName,
    submenu: [
      about,
      separator,
      { role: 'services' },
      separator,
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      separator,
      { role: 'quit', label: `Quit ${o.appName}` },
    ],
  };
  return [appMenu, file, edit, view, { role: 'windowMenu' }, help];
}
