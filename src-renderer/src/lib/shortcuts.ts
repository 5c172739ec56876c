/**
 * The keyboard shortcuts, one table for the handler and the help overlay. They act on the canvas and
 * the project, never inside a text field (there Ctrl+Z undoes typing, as it should).
 */
import type { Workspace } from '../state/workspace.svelte';

export interface Shortcut {
  /** Both in English; the overlay shows them through t() (ru.ts has their Russian). */
  keys: string;
  what: string;
  matches(e: KeyboardEvent): boolean;
  /** false: not handled here (the browser's default applies, e.g. copying selected text). */
  run(ws: Workspace): boolean | void;
}

const mod = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;
const key = (e: KeyboardEvent, k: string) => e.key.toLowerCase() === k;

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Ctrl+Z', what: 'Undo', matches: (e) => mod(e) && !e.shiftKey && key(e, 'z'), run: (ws) => ws.undo() },
  { keys: 'Ctrl+Shift+Z, Ctrl+Y', what: 'Redo', matches: (e) => mod(e) && ((e.shiftKey && key(e, 'z')) || key(e, 'y')), run: (ws) => ws.redo() },
  { keys: 'Ctrl+C', what: 'Copy the selected nodes (and the edges between them)', matches: (e) => mod(e) && key(e, 'c'), run: (ws) => ws.copySelection() },
  { keys: 'Ctrl+X', what: 'Cut the selected nodes', matches: (e) => mod(e) && key(e, 'x'), run: (ws) => ws.copySelection() && (ws.graph.removeSelected(), true) },
  { keys: 'Ctrl+V', what: 'Paste, in view', matches: (e) => mod(e) && key(e, 'v'), run: (ws) => ws.paste() },
  { keys: 'Ctrl+D', what: 'Duplicate the selected nodes', matches: (e) => mod(e) && key(e, 'd'), run: (ws) => ws.duplicateSelection() },
  { keys: 'Ctrl+A', what: 'Select every node', matches: (e) => mod(e) && key(e, 'a'), run: (ws) => ws.graph.selectAll() },
  { keys: 'Ctrl+S', what: 'Save now', matches: (e) => mod(e) && key(e, 's'), run: (ws) => void ws.save() },
  { keys: 'Delete, Backspace', what: 'Delete the selected nodes or edge', matches: () => false, run: () => {} },
  { keys: 'Shift / Ctrl + click, Shift + drag', what: 'Select several nodes', matches: () => false, run: () => {} },
  { keys: '?', what: 'Show these shortcuts', matches: (e) => e.key === '?' && !mod(e), run: (ws) => (ws.showShortcuts = !ws.showShortcuts) },
  { keys: 'Escape', what: 'Close a dialog', matches: (e) => e.key === 'Escape', run: (ws) => ((ws.showShortcuts = false), (ws.showSummary = false)) },
];

/** True when the event comes from a place where keys mean text (inputs, selects, editable text). */
export function inTextField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  const tag = el.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || el.isContentEditable;
}

export function handleShortcut(ws: Workspace, e: KeyboardEvent): void {
  if (inTextField(e.target) || !ws.project) return;
  const s = SHORTCUTS.find((x) => x.matches(e));
  if (!s) return;
  if (s.run(ws) !== false) e.preventDefault();
}
