/**
 * The areas of a workspace: sidebar entries and their routes under /w/:workspaceId/<path>.
 *
 * TO ADD A FEATURE: replace its `element` below, one line, e.g.
 *   { path: 'handoff', label: 'Handoff', icon: '⇄', element: lazyArea(() => import('../handoff/HandoffArea.js'), 'HandoffArea') },
 * The area owns everything under its path (`/w/:id/handoff/*`), so it may add its own nested routes.
 * Heavy areas load lazily, in their own chunk: the login page and the member list do not wait for an
 * editor or the ATT&CK matrix to download over a hotel network.
 */
import { lazy, type ComponentType, type ReactElement } from 'react';
import { OverviewPanel } from './OverviewPanel.js';
import { MembersPanel } from '../members/MembersPanel.js';
import { AuditPanel } from '../audit/AuditPanel.js';

export interface Area {
  path: string;
  label: string;
  icon: string;
  element: ReactElement;
  /** Shown to workspace owners only (the server refuses the others anyway). */
  ownersOnly?: boolean;
}

/** An area component loaded on first visit from its module's named export. */
function lazyArea<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K): ReactElement {
  const Component = lazy(async (): Promise<{ default: ComponentType }> => ({ default: (await load())[name] }));
  return <Component />;
}

export const AREAS: Area[] = [
  { path: '', label: 'Overview', icon: '◎', element: <OverviewPanel /> },
  { path: 'notes', label: 'Notes', icon: '✎', element: lazyArea(() => import('../notes/NotesArea.js'), 'NotesArea') },
  { path: 'indicators', label: 'Indicators', icon: '◈', element: lazyArea(() => import('../indicators/IndicatorsPage.js'), 'IndicatorsPage') },
  { path: 'hunt', label: 'Hunt', icon: '▣', element: lazyArea(() => import('../hunt/HuntArea.js'), 'HuntArea') },
  { path: 'attack', label: 'ATT&CK', icon: '▦', element: lazyArea(() => import('../attack/AttackPage.js'), 'AttackPage') },
  { path: 'whiteboard', label: 'Whiteboards', icon: '◇', element: lazyArea(() => import('../whiteboards/WhiteboardsArea.js'), 'WhiteboardsArea') },
  { path: 'handoff', label: 'Handoff', icon: '⇄', element: lazyArea(() => import('../handoff/HandoffArea.js'), 'HandoffArea') },
  { path: 'members', label: 'Members', icon: '☺', element: <MembersPanel /> },
  { path: 'audit', label: 'Audit trail', icon: '☰', element: <AuditPanel />, ownersOnly: true },
];
