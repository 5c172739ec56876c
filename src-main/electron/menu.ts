/** The application menu: src-main/shell/menu.ts's template, rebuilt when the recent files, theme or language change. */
import { Menu } from 'electron';
import { buildMenuTemplate, type AppCommand, type Preferences } from '../shell';

export interface AppMenu {
  refresh(): void;
}

export function setupMenu(opts: { isDev: boolean; prefs: () => Preferences; dispatch: (command: AppCommand, arg?: string) => void }): AppMenu {
  const refresh = () => {
    const prefs = opts.prefs();
    const template = buildMenuTemplate({
      platform: process.platform,
      appName: 'Neurograph',
      isDev: opts.isDev,
      recent: prefs.recent,
      theme: prefs.theme,
      language: prefs.language,
      send: opts.dispatch,
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  refresh();
  return { refresh };
}
