/**
 * A stand-in for the parts of Electron the main process uses, recording what it is asked to do, so the
 * main process runs under Node (the Electron binary cannot run here). Tests install it with
 * `vi.mock('electron', () => fakeElectron())` and read `electronState`.
 */
type Listener = (...args: never[]) => unknown;

export class Emitter {
  private listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((l) => (l as (...a: unknown[]) => unknown)(...args));
  }
}

export interface FakeWebContents extends Emitter {
  sent: [string, unknown][];
  mainFrame: { url: string };
  windowOpenHandler: (() => unknown) | null;
}

export class FakeWindow extends Emitter {
  readonly webContents: FakeWebContents;
  url = '';
  focused = false;
  maximized = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    const contents = Object.assign(new Emitter(), {
      sent: [] as [string, unknown][],
      mainFrame: { url: '' },
      windowOpenHandler: null as (() => unknown) | null,
      send(channel: string, message: unknown) {
        contents.sent.push([channel, message]);
      },
      setWindowOpenHandler(handler: () => unknown) {
        contents.windowOpenHandler = handler;
      },
    });
    this.webContents = contents;
    electronState.windows.push(this);
    electronState.app.emit('web-contents-created', {}, contents);
  }
  loadURL(url: string) {
    this.url = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed = () => false;
  isMinimized = () => false;
  isMaximized = () => this.maximized;
  maximize = () => {
    this.maximized = true;
  };
  restore = () => {};
  show = () => {};
  focus = () => {
    this.focused = true;
  };
  getNormalBounds = () => ({ x: this.options.x as number, y: this.options.y as number, width: this.options.width as number, height: this.options.height as number });
}

export const electronState = {
  isPackaged: false,
  userData: '',
  appPath: '',
  app: new Emitter(),
  privileged: [] as unknown[],
  protocolHandlers: new Map<string, (request: Request) => Promise<Response>>(),
  ipcHandle: new Map<string, (...args: unknown[]) => unknown>(),
  ipcOn: new Map<string, (...args: unknown[]) => unknown>(),
  permissionCheck: null as ((...args: unknown[]) => boolean) | null,
  permissionRequest: null as ((...args: unknown[]) => void) | null,
  menus: [] as { label?: string; id?: string; submenu?: unknown[]; click?: () => void }[][],
  windows: [] as FakeWindow[],
  messageBoxes: [] as { message: string; detail?: string }[],
  errorBoxes: [] as [string, string][],
  recentDocuments: [] as string[],
  nextPick: null as string | null,
  nativeTheme: { themeSource: 'system' as string },
  quit: 0,
};

export function resetElectron(opts: { isPackaged?: boolean; userData: string; appPath: string }): void {
  Object.assign(electronState, {
    isPackaged: opts.isPackaged ?? false,
    userData: opts.userData,
    appPath: opts.appPath,
    app: new Emitter(),
    privileged: [],
    protocolHandlers: new Map(),
    ipcHandle: new Map(),
    ipcOn: new Map(),
    permissionCheck: null,
    permissionRequest: null,
    menus: [],
    windows: [],
    messageBoxes: [],
    errorBoxes: [],
    recentDocuments: [],
    nextPick: null,
    nativeTheme: { themeSource: 'system' },
    quit: 0,
  });
}

export function fakeElectron() {
  const s = electronState;
  const app = {
    get isPackaged() {
      return s.isPackaged;
    },
    getPath: () => s.userData,
    getAppPath: () => s.appPath,
    enableSandbox: () => {},
    requestSingleInstanceLock: () => true,
    on: (event: string, listener: Listener) => s.app.on(event, listener),
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    quit: () => {
      s.quit++;
    },
    exit: () => {},
    addRecentDocument: (path: string) => s.recentDocuments.push(path),
    clearRecentDocuments: () => {
      s.recentDocuments = [];
    },
  };
  return {
    app,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => s.privileged.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Promise<Response>) => s.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        webRequest: { onHeadersReceived: () => {} },
        setPermissionRequestHandler: (handler: (...args: unknown[]) => void) => {
          s.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => {
          s.permissionCheck = handler;
        },
      },
    },
    ipcMain: {
      handle: (channel: string, handler: (...args: unknown[]) => unknown) => s.ipcHandle.set(channel, handler),
      on: (channel: string, handler: (...args: unknown[]) => unknown) => s.ipcOn.set(channel, handler),
    },
    dialog: {
      showErrorBox: (title: string, message: string) => s.errorBoxes.push([title, message]),
      showMessageBox: (...args: unknown[]) => {
        s.messageBoxes.push(args.at(-1) as { message: string; detail?: string });
        return Promise.resolve({ response: 0 });
      },
      showOpenDialog: () => Promise.resolve(s.nextPick ? { canceled: false, filePaths: [s.nextPick] } : { canceled: true, filePaths: [] }),
    },
    nativeTheme: {
      get themeSource() {
        return s.nativeTheme.themeSource;
      },
      set themeSource(value: string) {
        s.nativeTheme.themeSource = value;
      },
    },
    Menu: {
      buildFromTemplate: (template: unknown[]) => ({ template }),
      setApplicationMenu: (menu: { template: never[] }) => s.menus.push(menu.template),
    },
    screen: {
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1080 } }],
    },
    utilityProcess: { fork: () => ({}) },
  };
}
