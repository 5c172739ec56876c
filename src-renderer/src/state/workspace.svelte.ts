/**
 * The open workspace: projects, the current project's dataset and training settings, saving with
 * revisions, starting/stopping runs and model import/export. Talks to the services only via the api.
 */
import { call, ApiFailure, type ApiClient, type ConnectionState } from '../lib/api';
import type { DatasetRef, DatasetSummary, DatasetView, Project, ProjectSummary } from '../../../src-main/api';
import type { TrainingBlock } from '../lib/engine';
import { GraphState } from './graph.svelte';
import { RunState } from './run.svelte';
import { TrainingState } from './training.svelte';
import { ExplainState } from '../panels/explain/explain.svelte';

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
  notice = $state.raw<Notice | null>(null);
  saving = $state(false);
  readOnly = $state(false);

  /** The project as last loaded or saved, to tell whether there are unsaved edits. */
  private savedSnapshot = $state('');

  readonly graph = new GraphState();
  /** The project's training block, edited by the training panel through its methods. */
  readonly training = new TrainingState();
  readonly run = new RunState();
  /** The backprop walkthrough (models.explain) shown on the canvas nodes and in its panel. */
  readonly explain = new ExplainState();

  /** What the status line calls the data: "XOR" for the truth table (the course's exercise), else its name. */
  readonly datasetName: string = $derived(
    this.datasetRef?.kind === 'builtin' && this.datasetRef.name === 'xor' ? 'XOR' : (this.dataset?.name ?? ''),
  );
  /** Why Train is disabled, or null. */
  readonly trainBlocker: string | null = $derived(
    !this.project ? 'Open or create a project first.'
    : !this.dataset ? 'Pick a dataset first.'
    : this.readOnly ? 'The library is read-only.'
    : this.graph.blocker ?? (this.training.issues.length ? `Fix the training settings: ${this.training.issues[0].message}` : null),
  );

  readonly dirty: boolean = $derived(this.project !== null && this.snapshot() !== this.savedSnapshot);

  constructor(readonly api: ApiClient) {}

  private snapshot(): string {
    return JSON.stringify([this.graph.spec, this.graph.layout(), this.datasetRef, this.training.snapshot()]);
  }

  /** Subscribes to the api (connection state, run events); returns the unsubscribe function. */
  connect(): () => void {
    const offState = this.api.onState((s) => {
      const wasDown = this.connection === 'reconnecting';
      this.connection = s;
      // Events sent while the socket was down are lost: re-read the run on screen from the store.
      if (s === 'open' && wasDown) void this.refreshRun();
    });
    const offEvent = this.api.onEvent((e) => this.run.apply(e));
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
      [this.projects, this.datasets] = await Promise.all([call(this.api, 'projects.list', {}), call(this.api, 'datasets.list', {})]);
      if (projectId && this.projects.some((p) => p.id === projectId)) await this.open(projectId);
    });
  }

  async create(name: string, template: string): Promise<void> {
    await this.guard(async () => {
      const project = await call(this.api, 'projects.create', { name, template });
      this.projects = await call(this.api, 'projects.list', {});
      await this.apply(project);
    });
  }

  async open(id: string): Promise<void> {
    await this.guard(async () => this.apply(await call(this.api, 'projects.get', { id })));
  }

  async pickDataset(ref: DatasetRef): Promise<void> {
    await this.guard(async () => {
      const view = await call(this.api, 'datasets.load', { ref });
      this.datasetRef = ref;
      this.dataset = view;
      this.graph.inputWidth = view.inputNames.length || (view.x[0]?.length ?? null);
    });
  }

  /** Saves graph, layout, dataset and training; a stale revision is reported, nothing overwritten. */
  async save(): Promise<boolean> {
    const p = this.project;
    if (!p || !this.datasetRef) return false;
    this.saving = true;
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
      this.savedSnapshot = this.snapshot();
      this.notice = { kind: 'info', text: `Saved (revision ${saved.revision})` };
      return true;
    } catch (e) {
      this.notice = { kind: 'error', text: e instanceof ApiFailure && e.code === 'conflict' ? `Not saved: this project was changed elsewhere (${e.message}). Reload to get the latest version.` : `Not saved: ${message(e)}` };
      return false;
    } finally {
      this.saving = false;
    }
  }

  /** Saves, then starts a run of the saved graph with the current settings. */
  async train(): Promise<void> {
    const p = this.project;
    if (!p || this.trainBlocker) return;
    this.run.begin(this.training.resolved.epochs, this.datasetName);
    if (!(await this.save())) {
      this.run.failed(this.notice?.text ?? 'could not save the project');
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

  /** The last run's trained model as JSON: {fileName, text}. */
  async exportModel(): Promise<{ fileName: string; text: string } | null> {
    const runId = this.run.runId;
    if (!runId) return null;
    try {
      return await call(this.api, 'models.export', { runId, format: 'json' });
    } catch (e) {
      this.notice = { kind: 'error', text: `Export failed: ${message(e)}` };
      return null;
    }
  }

  async importModel(text: string, fileName: string): Promise<void> {
    const p = this.project;
    if (!p) return;
    try {
      const project = await call(this.api, 'models.import', { projectId: p.id, text });
      await this.apply(project);
      this.notice = { kind: 'info', text: `Imported ${fileName}` };
    } catch (e) {
      this.notice = { kind: 'error', text: `Import of ${fileName} failed: ${message(e)}` };
    }
  }

  private async refreshRun(): Promise<void> {
    const runId = this.run.runId;
    if (!runId) return;
    await this.guard(async () => this.run.show(await call(this.api, 'runs.get', { runId }), this.datasetName));
  }

  private async apply(project: Project): Promise<void> {
    this.project = { id: project.id, name: project.name, revision: project.revision };
    this.training.load(project.training as TrainingBlock);
    this.graph.load(project.graph, project.layout ?? {});
    this.run.clear();
    await this.pickDataset(project.dataset);
    this.savedSnapshot = this.snapshot();
    const runs = await call(this.api, 'runs.list', { projectId: project.id });
    const last = [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    if (last) this.run.show(await call(this.api, 'runs.get', { runId: last.id }), this.datasetName);
  }

  private async guard(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (e) {
      this.notice = { kind: 'error', text: message(e) };
    }
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
