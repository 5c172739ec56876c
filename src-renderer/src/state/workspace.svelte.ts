/**
 * The open workspace: projects, the current project's dataset and training settings, saving with
 * revisions, starting/stopping runs and model import/export. Talks to the services only via the api.
 */
import { call, ApiFailure, type ApiClient, type ConnectionState } from '../lib/api';
import { t } from '../lib/i18n/index.svelte';
import type { DatasetRef, DatasetSummary, DatasetView, Layout, Project, ProjectSummary } from '../../../src-main/api';
import type { GraphSpec, TrainingBlock } from '../lib/engine';
import { GraphState, type Clip } from './graph.svelte';
import { EditHistory } from './history.svelte';
import { RunState } from './run.svelte';
import { TrainingState } from './training.svelte';
import { CompareState } from './compare.svelte';
import { picturesOf } from './pictures.svelte';
import { DEFAULT_FEATURES, type PlanePictures } from '../lib/engine';
import { ExplainState } from '../panels/explain/explain.svelte';
import { LibraryActions } from './library.svelte';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

export class Workspace {
  connection = $state<ConnectionState>('connecting');
  projects = $state.raw<ProjectSummary[]>([]);
  project = $state.raw<{ id: string; name: string; revision: number } | null>(null);
  datasets = $state.raw<DatasetSummary[]>([]);
  datasetRef = $state.raw<DatasetRef | null>(null);
  dataset = $state.raw<DatasetView | null>(null);
  #notice = $state.raw<{ project: string | null; value: Notice } | null>(null);
  /** The templates a new project can start from. */
  templates = $state.raw<{ id: string; name: string; description: string; note: string }[]>([]);
  /** The welcome strip (first start, or until dismissed). */
  welcome = $state(false);
  saving = $state(false);
  readOnly = $state(false);

  /** The project as last loaded or saved, to tell whether there are unsaved edits. */
  private savedSnapshot = $state('');

  /** The notice on screen: one belongs to the project it is about (or to none: app-wide), and shows only with it. */
  get notice(): Notice | null {
    const n = this.#notice;
    return n && (n.project === null || n.project === this.project?.id) ? n.value : null;
  }
  set notice(value: Notice | null) {
    const entry = value ? { project: this.project?.id ?? null, value } : null;
    this.#notice = entry;
    // Information fades after a while; errors stay until dismissed.
    if (entry && value!.kind === 'info') setTimeout(() => this.#notice === entry && (this.#notice = null), 8000);
  }

  readonly graph = new GraphState();
  /** The project's training block, edited by the training panel through its methods. */
  readonly training = new TrainingState();
  readonly run = new RunState();
  /** The compare view and its runs. */
  readonly compare: CompareState;
  /** Undo and redo of every edit of the graph and the training settings. */
  readonly history = new EditHistory();
  /** The model summary dialog, the shortcut overlay. */
  showSummary = $state(false);
  showShortcuts = $state(false);
  /** The About dialog and the course notes (Help menu). */
  showAbout = $state(false);
  showNotes = $state(false);
  /** The CSV import dialog with a file already chosen (a drop, File › Import CSV), or null. */
  csvImport = $state.raw<File | null>(null);
  /** A viewport action asked by the menu (zoom, fit), for the canvas to carry out; seq tells repeats apart. */
  viewRequest = $state.raw<{ action: 'zoom-in' | 'zoom-out' | 'zoom-reset' | 'fit-view'; seq: number } | null>(null);
  /** Copied nodes (Ctrl+C), for Ctrl+V. */
  private clip: Clip | null = null;
  /** The project's editable content as one string: what an edit changes (and undo restores). */
  // Each part on its own: dragging a node re-serialises the layout only.
  private readonly specJson: string = $derived(JSON.stringify(this.graph.spec));
  private readonly layoutJson: string = $derived(JSON.stringify(this.graph.layout()));
  private readonly trainingJson: string = $derived(JSON.stringify(this.training.snapshot()));
  private readonly datasetJson: string = $derived(JSON.stringify(this.datasetRef));
  readonly contentParts: readonly string[] = $derived([this.specJson, this.layoutJson, this.trainingJson, this.datasetJson]);
  /** The same as one string (it is JSON of the four parts as an array). */
  readonly contentKey: string = $derived(`[${this.contentParts.join(',')}]`);
  /** How the pictures are shown: test points, discretized output. */
  readonly view = $state({ showTest: false, discretize: false });
  /** The backprop walkthrough (models.explain) shown on the canvas nodes and in its panel. */
  readonly explain = new ExplainState();
  /** The project menu: rename, duplicate, delete, runs, revisions. */
  readonly library = new LibraryActions(this);

  /** What the status line calls the data: "XOR" for the truth table (the course's exercise), else its name. */
  readonly datasetName: string = $derived(
    this.datasetRef?.kind === 'builtin' && this.datasetRef.name === 'xor' ? 'XOR' : (this.dataset?.name ?? ''),
  );
  /** Why Train is disabled, or null. */
  readonly trainBlocker: string | null = $derived(
    !this.project ? t('Open or create a project first.')
    : !this.dataset ? t('Pick a dataset first.')
    : this.readOnly ? t('The library is read-only.')
    : this.graph.blocker ?? (this.training.issues.length ? t('Fix the training settings: {issue}', { issue: this.training.issues[0].message }) : null),
  );

  readonly dirty: boolean = $derived(this.project !== null && this.snapshot() !== this.savedSnapshot);

  /** True for the 2-D sets, whose input space the pictures cover. */
  readonly is2d: boolean = $derived((this.dataset?.points?.[0]?.length ?? 0) === 2);
  /** The Playground features the Input takes (x1, x2, x1², …). */
  readonly features: readonly string[] = $derived(this.datasetRef?.kind === 'builtin' ? (this.datasetRef.features ?? DEFAULT_FEATURES) : []);
  /**
   * Every node's outputs over the plane, from the run's weights (live), or the initial weights when the
   * run's no longer fit the graph or there is no run yet.
   */
  readonly pictures: PlanePictures | null = $derived(
    this.is2d ? (picturesOf(this.graph.spec, this.training.snapshot(), this.run.weights, this.features) ?? picturesOf(this.graph.spec, this.training.snapshot(), null, this.features)) : null,
  );

  constructor(readonly api: ApiClient) {
    this.compare = new CompareState(api);
  }

  private snapshot(): string {
    return this.contentKey;
  }

  /** Subscribes to the api (connection state, run events); returns the unsubscribe function. */
  connect(): () => void {
    const offState = this.api.onState((s) => {
      const wasDown = this.connection === 'reconnecting';
      this.connection = s;
      // Events sent while the socket was down are lost: re-read the run on screen from the store.
      if (s === 'open' && wasDown) void this.refreshRun();
    });
    const offEvent = this.api.onEvent((e) => {
      this.run.apply(e);
      this.compare.apply(e);
    });
    return () => {
      offState();
      offEvent();
    };
  }

  async init(projectId: string | null): Promise<void> {
    await this.guard(async () => {
      const info = await call(this.api, 'app.info', {});
      this.readOnly = info.readOnly;
      if (info.warning) this.notice = { kind: 'error', text: info.warning };
      [this.projects, this.datasets, this.templates] = await Promise.all([call(this.api, 'projects.list', {}), call(this.api, 'datasets.list', {}), call(this.api, 'projects.templates', {})]);
      const last = projectId ?? lastProject();
      if (last && this.projects.some((p) => p.id === last)) await this.open(last);
      else if (this.projects.length > 0) await this.open(this.projects[0].id);
      else if (!this.readOnly) {
        // First start: a ready project (the Playground's default), nothing to type.
        this.welcome = true;
        await this.create('Playground', 'playground');
      }
    });
  }

  async create(name: string, template: string): Promise<void> {
    await this.guard(async () => {
      const project = await call(this.api, 'projects.create', { name, template });
      this.projects = await call(this.api, 'projects.list', {});
      await this.apply(project);
      const note = this.templates.find((t) => t.id === template)?.note;
      if (note) this.notice = { kind: 'info', text: t(note) };
    });
  }

  async open(id: string): Promise<void> {
    await this.guard(async () => this.apply(await call(this.api, 'projects.get', { id })));
  }

  /** Why the last CSV import failed (shown in its dialog). */
  importError = $state<string | null>(null);

  /** Imports a CSV table into the library, reporting progress, then trains on it (the Input's width follows). */
  async importCsv(input: { name: string; text: string; target: string[]; missing: 'error' | 'drop' | 'mean' | 'zero'; scaling: 'none' | 'standardize' | 'minmax' }, progress: (fraction: number) => void): Promise<boolean> {
    const importId = `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const off = this.api.onEvent((e) => {
      if (e.type === 'dataset.progress' && e.importId === importId) progress(e.fraction);
    });
    try {
      const summary = await call(this.api, 'datasets.importCsv', { ...input, importId });
      this.datasets = await call(this.api, 'datasets.list', {});
      await this.pickDataset({ kind: 'table', datasetId: summary.id });
      this.importError = null;
      this.notice = { kind: 'info', text: `${t('Imported {name}: {rows} rows, {n} inputs → {m} output(s), {task}.', { name: summary.name, rows: summary.rows, n: summary.inputs, m: summary.outputs, task: t(summary.task) })} ${summary.description}` };
      return true;
    } catch (e) {
      this.importError = message(e);
      return false;
    } finally {
      off();
    }
  }

  async pickDataset(ref: DatasetRef): Promise<void> {
    await this.guard(async () => {
      const view = await call(this.api, 'datasets.load', { ref });
      this.datasetRef = ref;
      this.dataset = view;
      this.graph.inputWidth = view.inputNames.length || (view.x[0]?.length ?? null);
    });
  }

  /** Why the last save failed ('conflict': the project changed elsewhere; autosave waits for a reload), or null. */
  saveError = $state<{ conflict: boolean; text: string } | null>(null);
  /** The save in flight: saves go one at a time, each from the revision the last one returned. */
  #saving: Promise<boolean> | null = null;

  /** What the bar shows about saving. */
  readonly saveState: 'saved' | 'unsaved' | 'saving' | 'conflict' | 'failed' | 'read-only' = $derived(
    this.readOnly ? 'read-only' : this.saving ? 'saving' : this.saveError ? (this.saveError.conflict ? 'conflict' : 'failed') : this.dirty ? 'unsaved' : 'saved',
  );

  /**
   * Saves graph, layout, dataset and training as a new revision; a stale revision is reported, nothing
   * overwritten. `quiet` (autosave) shows no notice on success and does nothing while a conflict waits.
   */
  async save(opts: { quiet?: boolean } = {}): Promise<boolean> {
    while (this.#saving) await this.#saving;
    if (opts.quiet && (this.saveError?.conflict || !this.dirty)) return !this.saveError;
    this.#saving = this.#save(opts.quiet ?? false);
    try {
      return await this.#saving;
    } finally {
      this.#saving = null;
    }
  }

  async #save(quiet: boolean): Promise<boolean> {
    const p = this.project;
    if (!p || !this.datasetRef) return false;
    if (!this.dirty) {
      if (!quiet) this.notice = { kind: 'info', text: t('Saved (revision {n})', { n: p.revision }) };
      return true;
    }
    this.saving = true;
    const snapshot = this.snapshot();
    try {
      const saved = await call(this.api, 'projects.save', {
        id: p.id,
        revision: p.revision,
        graph: this.graph.spec,
        layout: this.graph.layout(),
        dataset: this.datasetRef,
        training: this.training.snapshot(),
      });
      this.project = { ...p, revision: saved.revision };
      // What was sent is saved; an edit made while the request was out stays dirty for the next save.
      this.savedSnapshot = snapshot;
      this.saveError = null;
      this.revisionsChanged++;
      if (!quiet) this.notice = { kind: 'info', text: t('Saved (revision {n})', { n: saved.revision }) };
      return true;
    } catch (e) {
      const conflict = e instanceof ApiFailure && e.code === 'conflict';
      const text = conflict ? t('Not saved: this project was changed elsewhere ({reason}). Reload to get the latest version.', { reason: message(e) }) : t('Not saved: {reason}', { reason: message(e) });
      this.saveError = { conflict, text };
      this.notice = { kind: 'error', text };
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Bumped on every save, so an open revision history re-reads. */
  revisionsChanged = $state(0);

  /** Saves, then starts a run of the saved graph with the current settings. */
  async train(): Promise<void> {
    const p = this.project;
    if (!p || this.trainBlocker) return;
    this.run.begin(this.training.resolved.epochs, this.datasetName, this.training.resolved.optimizer.name);
    if (!(await this.save())) {
      this.run.failed(this.notice?.text ?? t('could not save the project'));
      return;
    }
    try {
      const { runId } = await call(this.api, 'runs.start', { projectId: p.id, training: this.training.snapshot() });
      this.run.started(runId);
    } catch (e) {
      this.run.failed(message(e));
    }
  }

  async stop(): Promise<void> {
    if (this.run.runId) await this.guard(async () => void (await call(this.api, 'runs.stop', { runId: this.run.runId! })));
  }

  /** Called (from an effect) whenever contentKey changes: records an edit step. */
  observeEdit(key: string): void {
    this.history.observe({ key, parts: this.contentParts, restore: () => this.restoreContent(key) });
  }

  private restoreContent(key: string): void {
    const [spec, layout, training, ref] = JSON.parse(key) as [GraphSpec, Layout, TrainingBlock, DatasetRef | null];
    this.graph.load(spec, layout, false);
    this.training.load(training);
    if (ref && JSON.stringify(ref) !== JSON.stringify(this.datasetRef)) void this.pickDataset(ref);
  }

  undo(): void {
    this.history.undo();
  }

  redo(): void {
    this.history.redo();
  }

  copySelection(): boolean {
    const clip = this.graph.copy();
    if (clip) this.clip = clip;
    return clip !== null;
  }

  paste(): void {
    if (this.clip) this.graph.paste(this.clip);
  }

  duplicateSelection(): void {
    const clip = this.graph.copy();
    if (clip) this.graph.paste(clip);
  }

  /** Pause after the current epoch, resume, or (while paused) train exactly one more epoch. */
  async control(action: 'pause' | 'resume' | 'step'): Promise<void> {
    const runId = this.run.runId;
    if (!runId) return;
    await this.guard(async () => void (await call(this.api, `runs.${action}`, { runId })));
  }

  /** "Use these weights": the run's model and training block become the project's, and its run is shown. */
  async adopt(runId: string): Promise<void> {
    await this.guard(async () => {
      const project = await call(this.api, 'runs.adopt', { runId });
      this.project = { id: project.id, name: project.name, revision: project.revision };
      this.training.load(project.training as TrainingBlock);
      this.savedSnapshot = this.snapshot();
      this.run.show(await call(this.api, 'runs.get', { runId }), this.datasetName);
      this.notice = { kind: 'info', text: t('The project now uses the weights of the {optimizer} run.', { optimizer: this.run.optimizer }) };
    });
  }

  async openCompare(): Promise<void> {
    if (!this.project) return;
    this.compare.open = true;
    await this.guard(() => this.compare.refresh(this.project!.id));
  }

  /** The running run's learning rate from its next epoch on (as the Playground: changing it does not restart). */
  async setRunLearningRate(lr: number): Promise<void> {
    const runId = this.run.runId;
    if (!runId || !this.run.active || !(Number.isFinite(lr) && lr >= 0)) return;
    await this.guard(async () => void (await call(this.api, 'runs.setLr', { runId, lr })));
  }

  /** The shown run's trained model as a file: JSON, PyTorch (.py) or ONNX (base64 text). */
  async exportModel(format: 'json' | 'pytorch' | 'onnx' = 'json'): Promise<{ fileName: string; text: string; encoding?: 'base64' } | null> {
    const runId = this.run.runId;
    if (!runId) return null;
    try {
      return await call(this.api, 'models.export', { runId, format });
    } catch (e) {
      this.notice = { kind: 'error', text: t('Export failed: {reason}', { reason: message(e) }) };
      return null;
    }
  }

  /** A model file (JSON text, or ONNX as base64) into the project, weights kept; the note says what data it needs. */
  async importModel(text: string, fileName: string, format: 'json' | 'onnx' = 'json'): Promise<void> {
    const p = this.project;
    if (!p) return;
    if (this.dirty && !(await this.save({ quiet: true }))) return;
    try {
      const imported = await call(this.api, 'models.import', { projectId: this.project!.id, text, format });
      await this.apply(imported.project, true);
      this.notice = { kind: imported.dataFits ? 'info' : 'error', text: `${t('Imported {file}.', { file: fileName })} ${imported.note}` };
    } catch (e) {
      this.notice = { kind: 'error', text: t('Import of {file} failed: {reason}', { file: fileName, reason: message(e) }) };
    }
  }

  /** The open project as one .neurograph file (graph, data, runs). */
  async exportProjectFile(): Promise<{ fileName: string; text: string } | null> {
    const p = this.project;
    return p ? call(this.api, 'projects.exportFile', { id: p.id }) : null;
  }

  /** A .neurograph file as a new project, opened. */
  async importProjectFile(text: string, fileName: string): Promise<void> {
    await this.guard(async () => {
      const project = await call(this.api, 'projects.importFile', { text });
      this.projects = await call(this.api, 'projects.list', {});
      await this.apply(project);
      this.notice = { kind: 'info', text: t('Imported {file} as {name}', { file: fileName, name: project.name }) };
    });
  }

  private async refreshRun(): Promise<void> {
    const runId = this.run.runId;
    if (!runId) return;
    await this.guard(async () => this.run.show(await call(this.api, 'runs.get', { runId }), this.datasetName));
  }

  /** Shows a project; `asEdit` (an imported model) keeps the undo history and makes the change one step of it. */
  private async apply(project: Project, asEdit = false): Promise<void> {
    if (asEdit) this.history.group();
    this.project = { id: project.id, name: project.name, revision: project.revision };
    rememberProject(project.id);
    this.compare.open = false;
    this.saveError = null;
    this.training.load(project.training as TrainingBlock);
    this.graph.load(project.graph, project.layout ?? {});
    this.run.clear();
    await this.pickDataset(project.dataset);
    this.savedSnapshot = this.snapshot();
    const opened = this.contentKey;
    if (!asEdit) this.history.reset({ key: opened, parts: this.contentParts, restore: () => this.restoreContent(opened) });
    const runs = await call(this.api, 'runs.list', { projectId: project.id });
    const last = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    if (last) this.run.show(await call(this.api, 'runs.get', { runId: last.id }), this.datasetName);
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    await this.attempt(fn);
  }

  /** Runs fn; a failure becomes an error notice. True when it succeeded. */
  async attempt(fn: () => Promise<void>): Promise<boolean> {
    try {
      await fn();
      return true;
    } catch (e) {
      this.notice = { kind: 'error', text: message(e) };
      return false;
    }
  }

  /** After the open project was deleted: the newest other project, or none. */
  async openAfterDelete(): Promise<void> {
    this.project = null;
    this.run.clear();
    this.compare.open = false;
    if (this.projects.length > 0) await this.open(this.projects[0].id);
  }
}

const LAST_PROJECT = 'neurograph.lastProject';

/** The project used last (this browser / window), so a later start reopens it. */
function lastProject(): string | null {
  try {
    return localStorage.getItem(LAST_PROJECT);
  } catch {
    return null;
  }
}

function rememberProject(id: string): void {
  try {
    localStorage.setItem(LAST_PROJECT, id);
  } catch {
    // Storage can be unavailable (private windows): then the newest project opens instead.
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
