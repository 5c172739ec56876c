/**
 * The application menu template (src-main/shell/menu.ts): desktop conventions per platform, commands
 * sent through the injected send(), developer items only in development, recent files listed.
 */
import { describe, expect, it } from 'vitest';
import { APP_COMMANDS, buildMenuTemplate, recentLabels, type AppCommand, type MenuItem, type MenuOptions } from '../../../src-main/shell';

function menu(overrides: Partial<MenuOptions> = {}) {
  const sent: [AppCommand, string | undefined][] = [];
  const template = buildMenuTemplate({
    platform: 'linux',
    appName: 'Neurograph',
    isDev: false,
    recent: [],
    theme: 'system',
    language: 'en',
    send: (command, arg) => sent.push([command, arg]),
    ...overrides,
  });
  return { template, sent };
}

const all = (items: readonly MenuItem[]): MenuItem[] => items.flatMap((i) => [i, ...all(i.submenu ?? [])]);
const top = (template: MenuItem[]) => template.map((m) => m.label ?? m.role);
const find = (template: MenuItem[], id: string) => all(template).find((i) => i.id === id)!;
const roles = (items: readonly MenuItem[]) => all(items).flatMap((i) => (i.role ? [i.role] : []));

describe('buildMenuTemplate', () => {
  it('macOS: an app menu with About, Services, Hide and Quit first, a Window menu, and no Quit in File', () => {
    const { template } = menu({ platform: 'darwin' });
    expect(top(template)).toEqual(['Neurograph', 'File', 'Edit', 'View', 'windowMenu', 'Help']);
    const app = template[0].submenu!;
    expect(app[0]).toMatchObject({ id: 'show-about', label: 'About Neurograph' });
    expect(roles(app)).toEqual(['services', 'hide', 'hideOthers', 'unhide', 'quit']);
    expect(app.at(-1)).toMatchObject({ role: 'quit', label: 'Quit Neurograph' });
    expect(roles(template[1].submenu!)).toEqual(['close']);
    expect(all(template[5].submenu!).map((i) => i.id)).not.toContain('show-about');
  });

  it('Windows and Linux: Quit ends File (Exit on Windows), About ends Help, top menus have Alt mnemonics', () => {
    for (const [platform, quit] of [
      ['linux', { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' }],
      ['win32', { role: 'quit', label: 'Exit' }],
    ] as const) {
      const { template } = menu({ platform });
      expect(top(template)).toEqual(['&File', '&Edit', '&View', '&Help']);
      expect(template[0].submenu!.at(-1)).toEqual(quit);
      expect(template[3].submenu!.at(-1)).toMatchObject({ id: 'show-about', label: 'About Neurograph' });
      expect(roles(template)).not.toContain('services');
    }
  });

  it('File, Edit and Help carry the usual CmdOrCtrl accelerators; Redo is Ctrl+Y on Windows', () => {
    const { template } = menu();
    const accel = (id: string) => find(template, id).accelerator;
    expect(['new-project', 'open', 'save', 'undo', 'redo', 'select-all', 'zoom-in', 'zoom-out', 'zoom-reset', 'show-shortcuts'].map(accel)).toEqual([
      'CmdOrCtrl+N',
      'CmdOrCtrl+O',
      'CmdOrCtrl+S',
      'CmdOrCtrl+Z',
      'Shift+CmdOrCtrl+Z',
      'CmdOrCtrl+A',
      'CmdOrCtrl+=',
      'CmdOrCtrl+-',
      'CmdOrCtrl+0',
      'CmdOrCtrl+/',
    ]);
    expect(find(menu({ platform: 'win32' }).template, 'redo').accelerator).toBe('Ctrl+Y');
    // Cut, copy and paste stay Electron roles: they act on the focused field natively.
    expect(roles(template[1].submenu!)).toEqual(['cut', 'copy', 'paste']);
  });

  it('every command item sends its command (and argument) and nothing else', () => {
    const { template, sent } = menu({ recent: ['/home/ada/xor.neurograph'] });
    const clickable = all(template).filter((i) => i.click);
    for (const i of clickable) i.click!();
    const commands = sent.map(([c]) => c);
    expect(new Set(commands)).toEqual(new Set(APP_COMMANDS.filter((c) => c !== 'open-file')));
    expect(sent).toContainEqual(['open-recent', '/home/ada/xor.neurograph']);
    expect(sent).toContainEqual(['set-theme', 'dark']);
    expect(sent).toContainEqual(['export-onnx', undefined]);
    expect(clickable.every((i) => i.role === undefined)).toBe(true);
  });

  it('developer tools and reload only in development', () => {
    expect(roles(menu({ isDev: false }).template)).not.toContain('toggleDevTools');
    expect(roles(menu({ isDev: false }).template)).not.toContain('reload');
    expect(roles(menu({ isDev: true }).template)).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it('lists recent files most recent first with Clear Recent; an empty list says so and cannot be cleared', () => {
    const recent = ['/home/ada/xor.neurograph', '/home/ada/models/iris.json', '/home/ada/R&D.csv'];
    const items = find(menu({ recent, platform: 'win32' }).template, 'recent').submenu!;
    expect(items.map((i) => i.label ?? i.type)).toEqual(['xor.neurograph', 'iris.json', 'R&&D.csv', 'separator', 'Clear Recent']);
    expect(items.map((i) => i.id)).toEqual(['open-recent:/home/ada/xor.neurograph', 'open-recent:/home/ada/models/iris.json', 'open-recent:/home/ada/R&D.csv', undefined, 'clear-recent']);
    expect(items.at(-1)!.enabled).toBe(true);
    const empty = find(menu({ recent: [] }).template, 'recent').submenu!;
    expect(empty[0]).toEqual({ id: 'recent-none', label: 'No Recent Files', enabled: false });
    expect(empty.at(-1)!.enabled).toBe(false);
  });

  it('two recent files with one name are told apart by their folder', () => {
    expect(recentLabels(['/a/model.json', '/b/model.json', '/b/x.csv'])).toEqual(['model.json — /a', 'model.json — /b', 'x.csv']);
  });

  it('theme and language are radio items checked from the current choice', () => {
    const { template } = menu({ theme: 'dark', languages: [{ code: 'en', label: 'English' }, { code: 'fr', label: 'Français' }], language: 'fr' });
    expect(find(template, 'theme').submenu!.map((i) => [i.label, i.type, i.checked])).toEqual([
      ['System', 'radio', false],
      ['Light', 'radio', false],
      ['Dark', 'radio', true],
    ]);
    expect(find(template, 'language').submenu!.map((i) => [i.id, i.checked])).toEqual([
      ['set-language:en', false],
      ['set-language:fr', true],
    ]);
  });

  it('the File menu offers New, Open, Open Recent, Save, imports and the three exports', () => {
    const file = menu().template[0].submenu!;
    expect(file.map((i) => i.label ?? i.type)).toEqual(['New Project', 'Open…', 'Open Recent', 'separator', 'Save', 'separator', 'Import Model…', 'Import CSV…', 'Export', 'separator', 'Quit']);
    expect(find(menu().template, 'export').submenu!.map((i) => i.id)).toEqual(['export-json', 'export-pytorch', 'export-onnx']);
  });
});
