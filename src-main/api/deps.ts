/**
 * What the api's methods need from the services, as interfaces: the library (ProjectStore), the data
 * sets (DatasetService) and the TrainingHost. methods.ts and explain.ts both depend on these, not on
 * each other.
 */
import type { GraphSpec, MissingPolicy, ModelJson, TrainingBlock } from '../../src-engine';
import type { HostRun } from '../services';
import type { CompareGroup, DatasetRef, DatasetSummary, DatasetView, Project, ProjectContent, ProjectSummary, RevisionSummary, Run, RunSummary } from './contract';

/** A save of a project's content, from the revision the edit started at. */
export interface ProjectSave extends ProjectContent {
  id: string;
  revision: number;
  name?: string;
}

/** What the api needs from the ProjectStore (src-main/services/ProjectStore.ts). */
export interface LibraryStore {
  listProjects(): ProjectSummary[];
  createProject(name: string, template?: string): Project;
  getProject(id: string): Project;
  saveProject(input: ProjectSave): { revision: number; updatedAt: string };
  deleteProject(id: string): boolean;
  renameProject(id: string, name: string): { revision: number; updatedAt: string };
  duplicateProject(id: string, name?: string): Project;
  listRevisions(id: string): RevisionSummary[];
  getRevision(id: string, revision: number): ProjectContent & { revision: number; savedAt: string };
  createRun(input: { projectId: string; training: TrainingBlock; graph: GraphSpec; optimizer?: string }): RunSummary;
  finishRun(runId: string, end: { status: 'completed' | 'failed'; reason: string | null; model: ModelJson | null; epochs?: number; finalLoss: number | null; finalAccuracy: number | null }): unknown;
  listRuns(projectId: string): RunSummary[];
  getRun(runId: string): Run;
  createCompare(projectId: string, settings: CompareGroup['settings'], runs: { training: TrainingBlock; graph: GraphSpec }[]): { groupId: string; runs: RunSummary[] };
  listCompares(projectId: string): CompareGroup[];
  getCompare(groupId: string): CompareGroup;
  adoptRun(runId: string): Project;
  /** Backups and project files (issue "the library under stress"). */
  backupNow(): Promise<string>;
  exportProjectFile(projectId: string): { fileName: string; text: string };
  importProjectFile(text: string): Project;
}

/** How an imported CSV treats bad cells and which columns are targets. */
export interface CsvImportOptions {
  missing?: MissingPolicy;
  target?: string[];
  /** Scale the inputs; stored with the dataset, and with models trained on it as meta.scaling. */
  scaling?: 'none' | 'standardize' | 'minmax';
}

/** What the api needs from the DatasetService. */
export interface DatasetCatalog {
  list(): DatasetSummary[];
  load(ref: DatasetRef): DatasetView;
  importCsv(name: string, text: string, options?: CsvImportOptions): DatasetSummary;
  /** The same import parsed in a worker thread, with `dataset.progress` events under `importId`. */
  importCsvInWorker(name: string, text: string, options?: CsvImportOptions & { importId?: string }): Promise<DatasetSummary>;
}

/** What the api needs from the TrainingHost. */
export interface RunHost {
  start(run: HostRun): void;
  stop(runId: string): boolean;
  pause(runId: string): boolean;
  resume(runId: string): boolean;
  step(runId: string): boolean;
  setLearningRate(runId: string, lr: number): boolean;
  /** Threads the trainer trains on at once (runs beyond wait in its queue). */
  readonly threads: number;
}

export interface MethodDeps {
  /** The project templates the UI offers. */
  templates: readonly { id: string; name: string; description: string; note: string }[];
  store: LibraryStore;
  datasets: DatasetCatalog;
  host: RunHost;
  info(): { version: string; libraryPath: string; readOnly: boolean; warning: string | null };
}
