import { getContext, setContext } from 'svelte';
import type { Workspace } from '../state/workspace.svelte';

const KEY = Symbol('workspace');

/** Makes the workspace reachable from components xyflow renders (custom nodes). */
export function provideWorkspace(workspace: Workspace): void {
  setContext(KEY, workspace);
}

export function useWorkspace(): Workspace {
  const workspace = getContext<Workspace | undefined>(KEY);
  if (!workspace) throw new Error('useWorkspace: no workspace provided by an ancestor component');
  return workspace;
}
