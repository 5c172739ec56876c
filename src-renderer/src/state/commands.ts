/**
 * The desktop shell's commands (menu items, opened and dropped files) carried out on the workspace,
 * and files dropped on the window in the browser. Each command does what its menu item says.
 */
import type { AppCommandMessage, OpenedFileKind } from '../../../src-main/api';
import { language, t, type Language } from '../lib/i18n/index.svelte';
import { theme, type ThemeChoice } from '../lib/theme.svelte';
import { inTextField } from '../lib/shortcuts';
import { downloadModel } from '../panels/model/modelFiles';
import type { Workspace } from './workspace.svelte';

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** A file's content (text, or base64 for ONNX) opened as what it is. */
export async function openContent(ws: Workspace, kind: OpenedFileKind, fileName: string, content: string): Promise<void> {
  if (kind === 'project') return ws.importProjectFile(content, fileName);
  if (kind === 'model') return ws.importModel(content, fileName, 'json');
  if (kind === 'onnx') return ws.importModel(content, fileName, 'onnx');
  ws.csvImport = new File([content], fileName, { type: 'text/csv' });
}

/** What a file is, by its name (the shell decides by content too; a drop in the browser has only the name). */
export function kindOf(fileName: string): OpenedFileKind | null {
  const ext = fileName.toLowerCase().split('.').pop() ?? '';
  if (ext === 'neurograph') return 'project';
  if (ext === 'json') return 'model';
  if (ext === 'onnx') return 'onnx';
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt') return 'csv';
  return null;
}

/** A file dropped on the window: a project, a model, an ONNX file or a CSV table. */
export async function openDropped(ws: Workspace, file: File): Promise<void> {
  const kind = kindOf(file.name);
  if (!kind) {
    ws.notice = { kind: 'error', text: t('Cannot open {file}: Neurograph opens .neurograph projects, model .json and .onnx files, and .csv tables.', { file: file.name }) };
    return;
  }
  if (kind === 'csv') ws.csvImport = file;
  else if (kind === 'onnx') {
    const { toBase64 } = await import('../lib/download');
    await openContent(ws, kind, file.name, toBase64(new Uint8Array(await file.arrayBuffer())));
  } else await openContent(ws, kind, file.name, await file.text());
}

/** Carries out one shell command. */
export async function runCommand(ws: Workspace, m: AppCommandMessage): Promise<void> {
  const textField = inTextField(document.activeElement);
  switch (m.command) {
    case 'open-file':
      return openContent(ws, m.kind, baseName(m.arg), m.content);
    case 'new-project':
      return void document.querySelector<HTMLInputElement>('[data-testid="new-project-name"]')?.focus();
    case 'save':
      return void (await ws.save());
    case 'export-json':
    case 'export-pytorch':
    case 'export-onnx':
      if (!ws.run.runId) ws.notice = { kind: 'error', text: t('Train once to export the trained model.') };
      else await downloadModel(ws, m.command === 'export-json' ? 'json' : m.command === 'export-pytorch' ? 'pytorch' : 'onnx');
      return;
    case 'undo':
    case 'redo':
      // In a text field the menu's Undo is the field's own, as Ctrl+Z there.
      if (textField) document.execCommand(m.command);
      else if (m.command === 'undo') ws.undo();
      else ws.redo();
      return;
    case 'select-all':
      if (textField) document.execCommand('selectAll');
      else ws.graph.selectAll();
      return;
    case 'zoom-in':
    case 'zoom-out':
    case 'zoom-reset':
    case 'fit-view':
      ws.viewRequest = { action: m.command, seq: (ws.viewRequest?.seq ?? 0) + 1 };
      return;
    case 'set-theme':
      if (m.arg === 'system' || m.arg === 'light' || m.arg === 'dark') theme.set(m.arg as ThemeChoice);
      return;
    case 'set-language':
      if (m.arg === 'en' || m.arg === 'ru') language.set(m.arg as Language);
      return;
    case 'show-shortcuts':
      ws.showShortcuts = true;
      return;
    case 'show-about':
      ws.showAbout = true;
      return;
    case 'show-course-notes':
      ws.showNotes = true;
      return;
  }
}
