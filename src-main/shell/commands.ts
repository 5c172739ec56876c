/**
 * The desktop shell's commands: what the menu, double-clicked files, drops and a second launch ask the
 * app to do. The renderer owns the workspace and calls the api, so most commands are sent to it; a few
 * need the main process (native dialogs, files on disk) and end in a renderer command themselves.
 *
 * Wire contract (Electron only): the main process sends an AppCommandMessage on the 'app:command'
 * channel; the preload exposes `window.neurograph.onCommand(listener) → unsubscribe`. The first
 * onCommand call tells main the page listens ('app:command-ready'); commands raised before that (a file
 * double-clicked to launch the app) wait until then.
 */

/** Commands the renderer carries out (sent over 'app:command'). */
export const RENDERER_COMMANDS = [
  /** A file to open, with what it holds; `arg` is its absolute path, `kind` says what it is (see OpenedFileKind). */
  'open-file',
  'new-project',
  'save',
  'export-json',
  'export-pytorch',
  'export-onnx',
  /** Undo/redo the canvas, or the focused text field (document.execCommand) when one has focus. */
  'undo',
  'redo',
  /** Select every node, or the focused text field's text. */
  'select-all',
  /** The canvas viewport. */
  'zoom-in',
  'zoom-out',
  'zoom-reset',
  'fit-view',
  /** `arg`: 'system' | 'light' | 'dark' (main has already set nativeTheme.themeSource, so prefers-color-scheme follows). */
  'set-theme',
  /** `arg`: a language code from LANGUAGES. */
  'set-language',
  'show-shortcuts',
  'show-about',
  'show-course-notes',
] as const;
export type RendererCommand = (typeof RENDERER_COMMANDS)[number];

/** Commands the main process handles itself (dialogs and files); they end in 'open-file' when a file is chosen. */
export const SHELL_COMMANDS = [
  /** File › Open…: any file Neurograph opens. */
  'open',
  /** File › Import model…: a model JSON or ONNX file. */
  'import-model',
  /** File › Import CSV…: a CSV table. */
  'import-csv',
  /** `arg`: the path of a recent file. */
  'open-recent',
  'clear-recent',
] as const;
export type ShellCommand = (typeof SHELL_COMMANDS)[number];

/** Everything a menu item can ask for. */
export type AppCommand = RendererCommand | ShellCommand;
export const APP_COMMANDS: readonly AppCommand[] = [...RENDERER_COMMANDS, ...SHELL_COMMANDS];

export function isShellCommand(command: AppCommand): command is ShellCommand {
  return (SHELL_COMMANDS as readonly string[]).includes(command);
}

/** What an opened file holds (src-main/shell/open.ts decides). */
export type OpenedFileKind = 'project' | 'model' | 'onnx' | 'csv';

export const APP_COMMAND_CHANNEL = 'app:command';
export const APP_COMMAND_READY_CHANNEL = 'app:command-ready';

/**
 * One message on 'app:command'. Only 'open-file' carries `kind` and `content` (the file as read by main,
 * after its size check: UTF-8 text, or base64 for an ONNX file — the sandboxed page cannot read paths);
 * `arg` is as documented per command.
 */
export type AppCommandMessage =
  | { type: 'app.command'; command: Exclude<RendererCommand, 'open-file'>; arg?: string }
  | { type: 'app.command'; command: 'open-file'; arg: string; kind: OpenedFileKind; content: string };

/** What the preload adds to `window.neurograph` next to request/onEvent. */
export interface AppCommandBridge {
  /** Subscribe to shell commands; returns an unsubscribe function. */
  onCommand(listener: (message: AppCommandMessage) => void): () => void;
}

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** The languages the View › Language menu offers (the renderer's translations: src-renderer/src/lib/i18n). */
export const LANGUAGES: readonly { code: string; label: string }[] = [
  { code: 'en', label: 'English' },
  { code: 'ru', label: 'Русский' },
];
