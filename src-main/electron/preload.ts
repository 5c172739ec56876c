/**
 * The renderer's bridge (built as CommonJS: sandboxed preloads cannot be ES modules). Exposes exactly
 * `window.neurograph = {request, onEvent}`, never ipcRenderer itself.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ApiEvent, NeurographApi } from '../api';

const bridge = {
  request: (name: string, input: unknown) => ipcRenderer.invoke('api', name, input),
  onEvent: (listener: (event: ApiEvent) => void) => {
    const handler = (_e: IpcRendererEvent, event: ApiEvent): void => listener(event);
    ipcRenderer.on('api:event', handler);
    return () => {
      ipcRenderer.removeListener('api:event', handler);
    };
  },
} as NeurographApi;

contextBridge.exposeInMainWorld('neurograph', bridge);
