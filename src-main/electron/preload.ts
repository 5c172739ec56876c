/**
 * The renderer's bridge (built as CommonJS: sandboxed preloads cannot be ES modules). Exposes exactly
 * `window.neurograph = {request, onEvent, onCommand}`, never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, NeurographApi } from '../api';
import type { AppCommandBridge, AppCommandMessage } from '../shell';

// APP_COMMAND_CHANNEL and APP_COMMAND_READY_CHANNEL of src-main/shell/commands.ts, written out: a
// sandboxed preload can require only 'electron', so it imports nothing of src-main at run time.
const COMMAND = 'app:command';
const COMMAND_READY = 'app:command-ready';

const bridge = {
  request: (name: string, input: unknown) => ipcRenderer.invoke('api', name, input),
  onEvent: (listener: (event: ApiEvent) => void) => {
    const handler = (_e: IpcRendererEvent, event: ApiEvent): void => listener(event);
    ipcRenderer.on('api:event', handler);
    return () => {
      ipcRenderer.removeListener('api:event', handler);
    };
  },
  /** Menu commands, opened files; the first subscription tells main the page listens (commands wait till then). */
  onCommand: (listener: (message: AppCommandMessage) => void) => {
    const handler = (_e: IpcRendererEvent, message: AppCommandMessage): void => listener(message);
    ipcRenderer.on(COMMAND, handler);
    ipcRenderer.send(COMMAND_READY);
    return () => {
      ipcRenderer.removeListener(COMMAND, handler);
    };
  },
} as NeurographApi & AppCommandBridge;

contextBridge.exposeInMainWorld('neurograph', bridge);
