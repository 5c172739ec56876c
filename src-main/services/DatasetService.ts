/**
 * Data sets for the app: the built-in catalog (truth tables, playground sets, sample CSV tables under
 * resources/datasets, the synthetic Pima-shaped set) and CSV tables the user imported into the
 * library. Plain data in and out; the api wraps it.
 */
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
  sampleDataset,
  type CsvDatasetOptions,
  type CsvReport,
  type Dataset,
} from '../../src-engine';
import type { CsvImportOptions, DatasetRef, DatasetSummary, DatasetView } from '../api';
import type { ProjectStore } from './ProjectStore';

/** What the service needs from the library. */
export type DatasetLibrary = Pick<ProjectStore, 'saveDataset' | 'listDatasets' | 'getDataset'>;

export interface DatasetServiceOptions {
  store: DatasetLibrary;
  /** Folder of the sample CSV files; default: the repository's resources/datasets. */
  resourcesDir?: string;
}

/** How an import treats the table: bad cells, target columns, decimal commas. */
export interface ImportOptions extends CsvImportOptions {
  decimalComma?: boolean;
}

export function defaultResourcesDir(): string {
  return fileURLToPath(new URL('../../resources/datasets', import.meta.url));
}

function view(ds: Dataset & { points?: number[][] }): DatasetView {
  return { name: ds.name, task: ds.task, inputNames: ds.inputNames, outputNames: ds.outputNames, x: ds.x, y: ds.y, ...(ds.points ? { points: ds.points } : {}) };
}

export class DatasetService {
  private readonly store: DatasetLibrary;
  private readonly resourcesDir: string;
  private readonly samples = new Map<string, Dataset>();

  /** `new DatasetService(store)` or `new DatasetService({store, resourcesDir})`. */
  constructor(storeOrOptions: DatasetLibrary | DatasetServiceOptions) {
    const opts: DatasetServiceOptions = 'store' in storeOrOptions ? storeOrOptions : { store: storeOrOptions };
    this.store = opts.store;
    this.resourcesDir = opts.resourcesDir ?? defaultResourcesDir();
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
   * Import a CSV table into the library. The table must become a dataset first: bad cells are refused
   * with a CsvError naming each column and line unless `missing` says drop or fill.
   */
  importCsv(name: string, text: string, opts: ImportOptions = {}): DatasetSummary {
    const trimmed = name.trim();
    if (!trimmed) throw new DatasetError('a dataset needs a name', 'name');
    const options: CsvDatasetOptions = { name: trimmed, ...opts };
    const { dataset, report, dropped, filled, ignored } = csvToDataset(text, options);
    const notes = [
      `${report.rows} rows read`,
      dropped ? `${dropped} dropped for bad cells` : '',
      filled ? `${filled} cells filled (${opts.missing})` : '',
      ignored.length ? `ignored free-text columns: ${ignored.join(', ')}` : '',
    ].filter(Boolean);
    const summary = {
      task: dataset.task,
      rows: dataset.x.length,
      inputs: dataset.inputNames.length,
      outputs: dataset.outputNames.length,
      description: `Imported CSV: ${notes.join('; ')}.`,
    };
    const { missing, target, decimalComma } = opts;
    const stored = this.store.saveDataset({ name: trimmed, csv: text, options: { missing, target, decimalComma }, summary });
    return { id: stored.id, name: stored.name, kind: 'table', ...summary };
  }
}
