/**
 * The services of one library: ProjectStore (SQLite), DatasetService, TrainingHost (trainer process),
 * and the api over them. The fork function is injected: child_process.fork under Node (web host, tests),
 * utilityProcess.fork in Electron.
 */
import { createApi, createMethods, type Api } from '../api';
import { DatasetService } from './DatasetService';
import { LibraryCorruptError, ProjectStore } from './ProjectStore';
import { TrainingHost } from './TrainingHost';
import { TEMPLATE_LIST } from './store/templates';
import { storeRecorder } from './TrainingHostRecorder';
import type { ForkTrainer } from './TrainingHostTypes';

export { TrainingHost, RunNotActiveError } from './TrainingHost';
export { ProjectStore, interruptedReason, ProjectFileError, PROJECT_FILE_FORMAT, type OwnerKind, type RunInProjectInput } from './ProjectStore';
export { BusyError, ConflictError, LibraryCorruptError, LibraryFullError, NotFoundError, ReadOnlyError, StoreInputError } from './store/errors';
export { checkImportSize, estimateImport, IMPORT_MEMORY_BYTES } from './csvImport';
export { DatasetService } from './DatasetService';
export { nodeForkTrainer } from './TrainingHostFork';
export type { ForkTrainer, TrainerChild, RunRecorder, RunEnd, HostRun } from './TrainingHostTypes';

export const APP_VERSION = '0.1.0';

export interface ServicesOptions {
  libraryPath: string;
  /** better-sqlite3's addon built for Electron's ABI (scripts/prepare-electron.mjs). */
  nativeBinding?: string;
  trainerEntry: string;
  trainerExecArgv: string[];
  fork: ForkTrainer;
  /** Heartbeat timeout of the trainer (ms); tests shorten it. */
  heartbeatTimeoutMs?: number;
  /** Who holds the library's session (for the read-only notice of a second one). Default: 'app' under Electron, else 'web host'. */
  owner?: 'app' | 'web host';
  /** A size limit of the library in bytes (tests of a full disk). */
  maxBytes?: number;
}

export interface Services {
  api: Api;
  store: ProjectStore;
  datasets: DatasetService;
  host: TrainingHost;
  info(): { version: string; libraryPath: string; readOnly: boolean; warning: string | null };
  /** Cancels runs, flushes metrics, kills the trainer, closes the library. */
  close(): Promise<void>;
}

/**
 * Opens the library as the one session of it (a second app or web host gets it read-only, with a
 * notice). A damaged file has been set aside by the store (never deleted) when it throws
 * LibraryCorruptError; a fresh library is then started and the user is told where the old one
 * went, which backup is newest, and where the details are.
 */
function openStore(opts: ServicesOptions): { store: ProjectStore; notice: string | null } {
  const owner = opts.owner ?? (process.versions.electron ? 'app' : 'web host');
  const open = () => new ProjectStore({ path: opts.libraryPath, nativeBinding: opts.nativeBinding, owner, session: true, maxBytes: opts.maxBytes });
  try {
    return { store: open(), notice: null };
  } catch (err) {
    if (!(err instanceof LibraryCorruptError)) throw err;
    const backup = err.backups[0] ? ` The newest backup is ${err.backups[0]}.` : '';
    const log = err.log ? ` Details: ${err.log}.` : '';
    return { store: open(), notice: `The library was damaged and has been set aside as ${err.movedTo}; a new, empty library was started.${backup}${log}` };
  }
}

export function createServices(opts: ServicesOptions): Services {
  const { store, notice } = openStore(opts);
  // Runs whose owner died (a killed app, a killed command line run) read "interrupted at epoch N".
  try {
    store.markInterruptedRuns();
  } catch (err) {
    // A full or busy library still opens; the next opener (or this session's heartbeat) tries again.
    console.error(`neurograph: could not mark interrupted runs: ${err instanceof Error ? err.message : String(err)}`);
  }
  const datasets = new DatasetService(store);
  const host = new TrainingHost({
    fork: opts.fork,
    entry: opts.trainerEntry,
    execArgv: opts.trainerExecArgv,
    recorder: storeRecorder(store),
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs,
    onRecordError: (err) => console.error(`neurograph: could not record training results: ${err instanceof Error ? err.message : String(err)}`),
  });
  const info = () => ({ version: APP_VERSION, libraryPath: opts.libraryPath, readOnly: store.readOnly, warning: notice ?? store.warning });
  const methods = createMethods({ store, datasets, host, info, templates: TEMPLATE_LIST });
  const api = createApi({
    methods,
    subscribe: (listener) => {
      const offRuns = host.subscribe(listener);
      const offImports = datasets.subscribe(listener);
      return () => {
        offRuns();
        offImports();
      };
    },
  });
  let closed: Promise<void> | null = null;
  return {
    api,
    store,
    datasets,
    host,
    info,
    close: () =>
      (closed ??= host.shutdown().finally(() => {
        store.close();
      })),
  };
}
