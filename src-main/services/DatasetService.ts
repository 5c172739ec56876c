/**
 * Data sets for the app: the built-in catalog (truth tables, playground sets, sample CSV tables under
 * resources/datasets, the synthetic Pima-shaped set) and CSV tables the user imported into the
 * library. Plain data in and out; the api wraps it. An import for the api parses and builds in a
 * worker thread, one at a time, with progress events, after a size check that refuses a table that
 * would not fit memory (csvImport.ts).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BUILTIN_DATASETS,
  builtinDataset,
  csvToDataset,
  DatasetError,
  findBuiltin,
  inspectCsv,
  NeurographError,
  isErrorCode,
  sampleDataset,
  type CsvDatasetOptions,
  type CsvReport,
  type Dataset,
} from '../../src-engine';
import type { ApiEvent, CsvImportOptions, DatasetRef, DatasetSummary, DatasetView } from '../api';
import { startWorker } from '../shared';
import { buildImport, checkImportSize, IMPORT_MEMORY_BYTES, outOfMemoryError, type ImportJob, type ImportReply, type ImportResult } from './csvImport';
import type { ProjectStore } from './ProjectStore';

type ProgressEvent = Extract<ApiEvent, { type: 'dataset.progress' }>;

/** What the service needs from the library. */
export type DatasetLibrary = Pick<ProjectStore, 'saveDataset' | 'listDatasets' | 'getDataset'>;

export interface DatasetServiceOptions {
  store: DatasetLibrary;
  /** Folder of the sample CSV files; default: the repository's resources/datasets. */
  resourcesDir?: string;
  /** The memory one import may use (bytes); larger tables are refused before parsing. */
  importMemoryBytes?: number;
}

/** How an import treats the table: bad cells, target columns, decimal commas. */
export interface ImportOptions extends CsvImportOptions {
  decimalComma?: boolean;
  /** The client's id for this import, echoed in its progress events. */
  importId?: string;
}

export function defaultResourcesDir(): string {
  return fileURLToPath(new URL('../../resources/datasets', import.meta.url));
}

function view(ds: Dataset & { points?: number[][] }): DatasetView {
  return { name: ds.name, task: ds.task, inputNames: ds.inputNames, outputNames: ds.outputNames, x: ds.x, y: ds.y, ...(ds.points ? { points: ds.points } : {}), ...(ds.scaling ? { scaling: ds.scaling } : {}) };
}

export class DatasetService {
  private readonly store: DatasetLibrary;
  private readonly resourcesDir: string;
  private readonly samples = new Map<string, Dataset>();
  private readonly importMemoryBytes: number;
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  /** Imports run one after another: each may use the whole import memory. */
  private importQueue: Promise<unknown> = Promise.resolve();

  /** `new DatasetService(store)` or `new DatasetService({store, resourcesDir})`. */
  constructor(storeOrOptions: DatasetLibrary | DatasetServiceOptions) {
    const opts: DatasetServiceOptions = 'store' in storeOrOptions ? storeOrOptions : { store: storeOrOptions };
    this.store = opts.store;
    this.resourcesDir = opts.resourcesDir ?? defaultResourcesDir();
    this.importMemoryBytes = opts.importMemoryBytes ?? IMPORT_MEMORY_BYTES;
  }

  /** Progress of imports (`dataset.progress`); returns an unsubscribe function. */
  subscribe(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Built-in sets first (catalog order), then imported tables (oldest first). */
  list(): DatasetSummary[] {
    const builtin: DatasetSummary[] = BUILTIN_DATASETS.map((b) => ({
      id: b.id,
      name: b.name,
      kind: 'builtin',
      task: b.task,
      rows: b.rows,
      inputs: b.inputs,
      outputs: b.outputs,
      description: b.description,
    }));
    const imported: DatasetSummary[] = this.store.listDatasets().map((d) => ({ ...(d.summary as Omit<DatasetSummary, 'id' | 'name' | 'kind'>), id: d.id, name: d.name, kind: 'table' }));
    return [...builtin, ...imported];
  }

  private sample(id: string): Dataset {
    let ds = this.samples.get(id);
    if (!ds) {
      const file = findBuiltin(id).file!;
      ds = sampleDataset(id, readFileSync(join(this.resourcesDir, file), 'utf8'));
      this.samples.set(id, ds);
    }
    return ds;
  }

  /** Make a dataset concrete. Playground sets honour noise, points, seed and features and carry `points`. */
  load(ref: DatasetRef): DatasetView {
    if (ref.kind === 'builtin') {
      const meta = findBuiltin(ref.name);
      if (meta.source === 'sample') return view(this.sample(ref.name));
      return view(builtinDataset(ref.name, { noise: ref.noise, points: ref.points, seed: ref.seed, features: ref.features }));
    }
    const stored = this.store.getDataset(ref.datasetId);
    const options = stored.options as ImportOptions;
    const target = ref.target && ref.target.length > 0 ? ref.target : options.target;
    return view(csvToDataset(stored.csv, { ...options, target, name: stored.name }).dataset);
  }

  /** Parse and report on a CSV without storing it (the import dialog's preview). */
  inspectCsv(text: string, decimalComma?: boolean): CsvReport {
    return inspectCsv(text, { decimalComma }).report;
  }

  /**
   * Import a CSV table into the library, in this thread (the CLI, tests, small tables). The table
   * must become a dataset first: bad cells are refused with a CsvError naming each column and line
   * unless `missing` says drop or fill.
   */
  importCsv(name: string, text: string, opts: ImportOptions = {}): DatasetSummary {
    const trimmed = this.checkName(name);
    checkImportSize(text, this.importMemoryBytes);
    return this.store_(trimmed, text, opts, buildImport(text, csvOptions(trimmed, opts)));
  }

  /**
   * The same import with the parsing and building in a worker thread (the api: a 50 MB table takes
   * tens of seconds), reporting `dataset.progress` events under `opts.importId`. One import at a time.
   */
  importCsvInWorker(name: string, text: string, opts: ImportOptions = {}): Promise<DatasetSummary> {
    const run = this.importQueue.then(() => this.importOffThread(name, text, opts));
    this.importQueue = run.catch(() => undefined);
    return run;
  }

  private async importOffThread(name: string, text: string, opts: ImportOptions): Promise<DatasetSummary> {
    const importId = opts.importId ?? randomUUID();
    let seq = 0;
    const progress = (fraction: number, message: string): void => this.emit({ type: 'dataset.progress', seq: ++seq, importId, fraction, message });
    const trimmed = this.checkName(name);
    progress(0, 'checking the size of the table');
    const size = checkImportSize(text, this.importMemoryBytes);
    progress(0.05, `reading about ${size.lines.toLocaleString('en-US')} rows × ${size.columns} columns`);
    const result = await this.inWorker({ text, options: csvOptions(trimmed, opts) });
    progress(0.9, 'storing the table in the library');
    const summary = this.store_(trimmed, text, opts, result);
    progress(1, `imported ${summary.rows.toLocaleString('en-US')} rows`);
    return summary;
  }

  private inWorker(job: ImportJob): Promise<ImportResult> {
    const heapMb = Math.ceil((this.importMemoryBytes * 1.5) / (1024 * 1024));
    return new Promise((resolve, reject) => {
      const worker = startWorker(new URL(`./csvImportWorker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url), job, {
        resourceLimits: { maxOldGenerationSizeMb: heapMb },
      });
      let settled = false;
      const settle = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        fn();
        void worker.terminate();
      };
      worker.once('message', (reply: ImportReply) =>
        settle(() => {
          if (reply.type === 'done') resolve(reply.result);
          else reject(new NeurographError(reply.message, isErrorCode(reply.code) ? reply.code : 'failed', reply.path));
        }),
      );
      worker.once('error', (err: Error & { code?: string }) =>
        settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemoryError(this.importMemoryBytes) : new DatasetError(`the import failed: ${err.message}`, 'text'))),
      );
      worker.once('exit', (code) => settle(() => reject(new DatasetError(`the import stopped unexpectedly (worker exit code ${code})`, 'text'))));
    });
  }

  private checkName(name: string): string {
    const trimmed = name.trim();
    if (!trimmed) throw new DatasetError('a dataset needs a name', 'name');
    return trimmed;
  }

  /** The table is stored with how it was read (bad cells, targets), so it loads the same way later. */
  private store_(name: string, text: string, opts: ImportOptions, summary: ImportResult): DatasetSummary {
    const { missing, target, decimalComma, scaling } = opts;
    const stored = this.store.saveDataset({ name, csv: text, options: { missing, target, decimalComma, scaling }, summary: { ...summary } });
    return { id: stored.id, name: stored.name, kind: 'table', ...summary };
  }

  private emit(event: ProgressEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure (a closed window) must not stop the import.
      }
    }
  }
}

function csvOptions(name: string, opts: ImportOptions): CsvDatasetOptions {
  const { importId: _importId, ...rest } = opts;
  return { name, ...rest };
}
