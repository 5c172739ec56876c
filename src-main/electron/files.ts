/**
 * Opening files: read (after a size check), classified by src-main/shell/open.ts, then handed to the
 * renderer as 'open-file' with the path and kind — or a dialog saying what is wrong with the file.
 * Every way a file arrives ends here: File › Open…, the imports, Open Recent, a double-click (argv or
 * macOS 'open-file'), a second launch and a drop onto the window.
 */
import { app, dialog, type BrowserWindow } from 'electron';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { OPEN_FILTERS, OpenFileError, classifyOpenedFile, openSizeError, type AppCommandMessage } from '../shell';

export interface FileOpenerDeps {
  window(): BrowserWindow | null;
  send(message: AppCommandMessage): void;
  /** The file opened: put it first in the recent files. */
  remember(path: string): void;
  /** The file is gone: take it off the recent files. */
  forget(path: string): void;
}

export interface FileOpener {
  open(path: string): Promise<void>;
  choose(purpose: keyof typeof OPEN_FILTERS): Promise<void>;
}

const TITLES: Record<keyof typeof OPEN_FILTERS, string> = { open: 'Open', 'import-model': 'Import Model', 'import-csv': 'Import CSV' };

export function createFileOpener(deps: FileOpenerDeps): FileOpener {
  async function refuse(path: string, message: string): Promise<void> {
    const win = deps.window();
    const options = { type: 'warning' as const, message: `Cannot open ${basename(path)}`, detail: message, buttons: ['OK'] };
    await (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
  }

  async function open(path: string): Promise<void> {
    let bytes: Buffer;
    try {
      const info = await stat(path);
      if (!info.isFile()) return refuse(path, `${path} is a folder, not a file.`);
      const tooBig = openSizeError(path, info.size);
      if (tooBig) return refuse(path, tooBig.message);
      bytes = await readFile(path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') deps.forget(path);
      return refuse(path, code === 'ENOENT' ? `${path} no longer exists.` : `${path} cannot be read: ${err instanceof Error ? err.message : String(err)}`);
    }
    const opened = classifyOpenedFile(path, bytes);
    if (opened instanceof OpenFileError) return refuse(path, opened.message);
    deps.remember(path);
    app.addRecentDocument(path);
    const content = opened.kind === 'onnx' ? bytes.toString('base64') : bytes.toString('utf8');
    deps.send({ type: 'app.command', command: 'open-file', arg: path, kind: opened.kind, content });
  }

  async function choose(purpose: keyof typeof OPEN_FILTERS): Promise<void> {
    const win = deps.window();
    const options = { title: TITLES[purpose], properties: ['openFile' as const], filters: OPEN_FILTERS[purpose].map((f) => ({ name: f.name, extensions: [...f.extensions] })) };
    const picked = await (win ? dialog.showOpenDialog(win, options) : dialog.showOpenDialog(options));
    if (!picked.canceled && picked.filePaths[0]) await open(picked.filePaths[0]);
  }

  return { open, choose };
}
