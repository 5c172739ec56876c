/**
 * The desktop shell's plain logic, without Electron: commands and their wire contract, the menu
 * template, opening files, window state, preferences, the app:// scheme, dev mode and where the native
 * module lives. src-main/electron wires these to Electron; tests run them under Node.
 */
export {
  APP_COMMANDS,
  APP_COMMAND_CHANNEL,
  APP_COMMAND_READY_CHANNEL,
  LANGUAGES,
  RENDERER_COMMANDS,
  SHELL_COMMANDS,
  THEMES,
  isShellCommand,
  type AppCommand,
  type AppCommandBridge,
  type AppCommandMessage,
  type OpenedFileKind,
  type RendererCommand,
  type ShellCommand,
  type Theme,
} from './commands';
export { buildMenuTemplate, recentLabels, type MenuItem, type MenuOptions, type MenuRole } from './menu';
export {
  MAX_OPEN_BYTES,
  MODEL_FORMAT,
  OPENABLE_EXTENSIONS,
  OPEN_FILTERS,
  OpenFileError,
  PROJECT_FORMAT,
  classifyOpenedFile,
  filesFromArgv,
  openSizeError,
  type OpenedFile,
} from './open';
export { DEFAULT_SIZE, MIN_SIZE, WINDOW_STATE_FILE, parseWindowState, restoreWindowState, serializeWindowState, type Rect, type WindowState } from './window-state';
export { DEFAULT_PREFERENCES, MAX_RECENT, PREFERENCES_FILE, parsePreferences, serializePreferences, withRecent, withoutRecent, type Preferences } from './prefs';
export { APP_ENTRY, APP_HOST, APP_ORIGIN, APP_SCHEME, resolveAppRequest, type AppRequestTarget } from './protocol';
export { shellMode, type ShellMode } from './dev';
export { nativeBindingPath, nativeFolder } from './native';
export { CommandOutbox, OUTBOX_LIMIT } from './outbox';
