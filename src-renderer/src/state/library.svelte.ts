/**
 * What the project menu does: rename, duplicate, delete a project; its runs (each reopened on screen)
 * and its saved revisions (any one restored as an edit). Each goes through the api and tells the user.
 */
import { call } from '../lib/api';
import { t } from '../lib/i18n/index.svelte';
import type { RevisionSummary, RunSummary } from '../../../src-main/api';
import type { TrainingBlock } from '../lib/engine';
import type { Workspace } from './workspace.svelte';

export type ProjectDialog = 'runs' | 'revisions' | 'delete' | 'rename' | null;

export class LibraryActions {
  /** The project menu's dialog on screen. */
  dialog = $state<ProjectDialog>(null);
  runs = $state.raw<RunSummary[]>([]);
  revisions = $state.raw<RevisionSummary[]>([]);
  loading = $state(false);

  constructor(private readonly ws: Workspace) {}

  async open(dialog: Exclude<ProjectDialog, null>): Promise<void> {
    this.dialog = dialog;
    if (dialog === 'runs') await this.loadRuns();
    if (dialog === 'revisions') await this.loadRevisions();
  }

  close(): void {
    this.dialog = null;
  }

  async loadRuns(): Promise<void> {
    const p = this.ws.project;
    if (!p) return;
    await this.load(async () => (this.runs = [...(await call(this.ws.api, 'runs.list', { projectId: p.id }))].sort((a, b) => b.startedAt.localeCompare(a.startedAt))));
  }

  async loadRevisions(): Promise<void> {
    const p = this.ws.project;
    if (!p) return;
    await this.load(async () => (this.revisions = await call(this.ws.api, 'projects.revisions', { id: p.id })));
  }

  async rename(name: string): Promise<boolean> {
    const p = this.ws.project;
    const clean = name.trim();
    if (!p || !clean || clean === p.name) return false;
    return this.ws.attempt(async () => {
      const saved = await call(this.ws.api, 'projects.rename', { id: p.id, name: clean });
      this.ws.project = { ...p, name: clean, revision: saved.revision };
      this.ws.projects = await call(this.ws.api, 'projects.list', {});
      this.ws.notice = { kind: 'info', text: t('Renamed to {name}', { name: clean }) };
    });
  }

  /** A copy of the project as it is now (unsaved edits saved first), opened. */
  async duplicate(): Promise<boolean> {
    const p = this.ws.project;
    if (!p) return false;
    if (this.ws.dirty && !(await this.ws.save({ quiet: true }))) return false;
    return this.ws.attempt(async () => {
      const copy = await call(this.ws.api, 'projects.duplicate', { id: p.id });
      this.ws.projects = await call(this.ws.api, 'projects.list', {});
      await this.ws.open(copy.id);
      this.ws.notice = { kind: 'info', text: t('Duplicated as {name}', { name: copy.name }) };
    });
  }

  /** Deletes the project with its runs (after the dialog's confirmation) and opens another one. */
  async remove(): Promise<boolean> {
    const p = this.ws.project;
    if (!p) return false;
    this.dialog = null;
    return this.ws.attempt(async () => {
      await call(this.ws.api, 'projects.delete', { id: p.id });
      this.ws.projects = await call(this.ws.api, 'projects.list', {});
      await this.ws.openAfterDelete();
      this.ws.notice = { kind: 'info', text: t('Deleted {name}', { name: p.name }) };
    });
  }

  /** Shows a finished run on screen: its charts, its weights on the canvas, explain with its model. */
  async showRun(runId: string): Promise<void> {
    this.dialog = null;
    await this.ws.attempt(async () => this.ws.run.show(await call(this.ws.api, 'runs.get', { runId }), this.ws.datasetName));
  }

  /** Puts a saved revision's content back in the editor: an edit like any other (undo takes it back; autosave saves it). */
  async restore(revision: number): Promise<void> {
    const p = this.ws.project;
    if (!p) return;
    this.dialog = null;
    await this.ws.attempt(async () => {
      const content = await call(this.ws.api, 'projects.revision', { id: p.id, revision });
      this.ws.graph.load(content.graph, content.layout ?? {});
      this.ws.training.load(content.training as TrainingBlock);
      if (JSON.stringify(content.dataset) !== JSON.stringify(this.ws.datasetRef)) await this.ws.pickDataset(content.dataset);
      this.ws.notice = { kind: 'info', text: t('Restored revision {n}; it is saved as a new revision (undo takes it back).', { n: revision }) };
    });
  }

  private async load(fn: () => Promise<unknown>): Promise<void> {
    this.loading = true;
    try {
      await this.ws.attempt(async () => void (await fn()));
    } finally {
      this.loading = false;
    }
  }
}
