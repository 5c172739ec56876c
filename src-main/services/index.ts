/**
 * The services of one library: ProjectStore (SQLite), DatasetService, TrainingHost (trainer process),
 * and the api over them. The fork function is injected: child_process.fork under Node (web host, tests),
 * utilityProcess.fork in Electron.
 */
import { createApi, createMethods, type Api } from '../api';
import { DatasetService } from './DatasetService';
import { LibraryCorruptError, ProjectStore } from './ProjectStore';
import { TrainingHost } from './TrainingHost';
import { storeRecorder } from './TrainingHostRecorder';
import type { ForkTrainer } from './TrainingHostTypes';

export { TrainingHost, RunNotActiveError } from './TrainingHost';
export { ProjectStore } from './ProjectStore';
export { ConflictError, LibraryCorruptError, LibraryFullError, NotFoundError, ReadOnlyError, StoreInputError } from './store/errors';
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
 * Opens the library. A damaged file has been set aside by the store (never deleted) when it throws
 * LibraryCorruptError; a fresh library is then started and the user is told where the old one went.
 */
function openStore(opts: ServicesOptions): { store: ProjectStore; notice: string | null } {
  const open = () => new ProjectStore({ path: opts.libraryPath, nativeBinding: opts.nativeBinding });
  try {
    return { store: open(), notice: null };
  } catch (err) {
    if (!(err instanceof LibraryCorruptError)) throw err;
    return { store: open(), notice: `${err.message}. A new, empty library was started.` };
  }
}

export function createServices(opts: ServicesOptions): Services {
  const { store, notice } = openStore(opts);
  store.markInterruptedRuns();
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
  const methods = createMethods({ store, datasets, host, info });
  const api = createApi({ methods, subscribe: (listener) => host.subscribe(listener) });
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
