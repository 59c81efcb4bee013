/** The open workspace, for every panel under /w/:workspaceId. */
import { createContext, useContext } from 'react';
import type { Workspace } from '@huntroom/shared';

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const ws = useContext(WorkspaceContext);
  if (!ws) throw new Error('useWorkspace outside a workspace page');
  return ws;
}
