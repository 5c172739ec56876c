/**
 * The trainer process's one link to its parent: Electron's `process.parentPort` when forked with
 * `utilityProcess.fork` (messages arrive as `{data}` events), Node's IPC channel (`process.send` /
 * `process.on('message')`) when forked with `child_process.fork`.
 */
export interface ParentLink {
  send(msg: unknown): void;
  onMessage(listener: (msg: unknown) => void): void;
  /** Called once when the parent goes away; the trainer must then exit (no orphans). */
  onDisconnect(listener: () => void): void;
}

interface ElectronParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

export class NoParentError extends Error {
  constructor() {
    super('trainer entry must be started by utilityProcess.fork (Electron) or child_process.fork (Node)');
    this.name = 'NoParentError';
  }
}

export function connectParent(): ParentLink {
  const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (electronPort) {
    return {
      send: (msg) => electronPort.postMessage(msg),
      onMessage: (listener) => electronPort.on('message', (e) => listener(e.data)),
      // Electron kills a utility process together with its parent.
      onDisconnect: () => {},
    };
  }
  const send = process.send?.bind(process);
  if (!send) throw new NoParentError();
  return {
    send: (msg) => {
      // A callback keeps a message that races the parent's exit from becoming an uncaught 'error'.
      if (process.connected) send(msg, undefined, {}, () => {});
    },
    onMessage: (listener) => process.on('message', listener),
    // The parent may be gone already (killed while this process started): then nothing will ever emit 'disconnect'.
    onDisconnect: (listener) => (process.connected ? process.once('disconnect', listener) : listener()),
  };
}
