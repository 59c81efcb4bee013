/**
 * The areas of a workspace: sidebar entries and their routes under /w/:workspaceId/<path>.
 * A feature plugs in by replacing its `element` here: one line.
 */
import type { ReactElement } from 'react';
import { OverviewPanel } from './OverviewPanel.js';
import { ComingSoon } from './ComingSoon.js';
import { NotesArea } from '../notes/NotesArea.js';
import { IndicatorsPage } from '../indicators/IndicatorsPage.js';
import { AttackPage } from '../attack/AttackPage.js';
import { MembersPanel } from '../members/MembersPanel.js';
import { AuditPanel } from '../audit/AuditPanel.js';

export interface Area {
  path: string;
  label: string;
  icon: string;
  element: ReactElement;
}

export const AREAS: Area[] = [
  { path: '', label: 'Overview', icon: '◎', element: <OverviewPanel /> },
  { path: 'notes', label: 'Notes', icon: '✎', element: <NotesArea /> },
  { path: 'indicators', label: 'Indicators', icon: '◈', element: <IndicatorsPage /> },
  { path: 'attack', label: 'ATT&CK', icon: '▦', element: <AttackPage /> },
  { path: 'whiteboard', label: 'Whiteboard', icon: '◇', element: <ComingSoon area="Whiteboards" /> },
  { path: 'handoff', label: 'Handoff', icon: '⇄', element: <ComingSoon area="Live handoff" /> },
  { path: 'members', label: 'Members', icon: '☺', element: <MembersPanel /> },
  { path: 'audit', label: 'Audit trail', icon: '☰', element: <AuditPanel /> },
];
