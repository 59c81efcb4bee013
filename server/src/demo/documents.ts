/**
 * The demo's documents: hunt notes of three teams (one only its own team sees), a whiteboard of the
 * intrusion, and ATT&CK marks by two teams (and a few by the third). Written straight into the
 * document store as the document server would hold them, with their audit rows, in the seed's
 * transaction.
 */
import * as Y from 'yjs';
import { MARKS_MAP, markKey, type Account, type Mark, type Marking } from '@huntroom/shared';
import type { Db } from '../storage/db.js';
import { docStore, type DocKind } from '../collab/store.js';
import { auditStore } from '../audit/store.js';
import { ensureBoard } from '../attack/board.js';
import { newId } from '../util.js';
import { NOTES, noteUpdate } from './noteContent.js';
import { boardElements, boardUpdate } from './boardContent.js';

const at = (db: Db, when: Date) => db.run('UPDATE audit_log SET at = ? WHERE id = (SELECT MAX(id) FROM audit_log)', [when.toISOString()]);

async function addDocument(tx: Db, workspaceId: string, kind: DocKind, by: Account, title: string, marking: Marking, update: Uint8Array, when: Date): Promise<string> {
  const id = newId();
  await docStore.insert(tx, { id, workspaceId, kind, title, marking, ownerTeamId: by.team.id, createdBy: by.id });
  await docStore.appendUpdates(tx, id, [update]);
  await auditStore.write(tx, { workspaceId, actorId: by.id, teamId: by.team.id, action: `${kind}.created`, detail: { [`${kind}Id`]: id, marking } });
  await at(tx, when);
  return id;
}

export async function seedNotes(tx: Db, workspaceId: string, people: Record<string, Account>, when: (hoursAgo: number) => Date): Promise<void> {
  let hours = 70;
  for (const n of NOTES) {
    await addDocument(tx, workspaceId, 'note', people[n.team]!, n.title, { tlp: n.tlp, releasableTo: n.releasableTo }, noteUpdate(n.blocks), when(hours));
    hours -= 14;
  }
}

/** The intrusion chain; `indicatorId` is placed on it as a reference (an indicator every team sees). */
export async function seedWhiteboard(tx: Db, workspaceId: string, by: Account, indicatorId: string | undefined, when: Date): Promise<void> {
  const technique = (id: string, name: string) => ({ kind: 'technique' as const, id, name });
  const T = { stroke: '#1e3a8a', fill: '#dbeafe' };
  const boxes = [
    { key: 'phish', x: 40, y: 110, text: 'T1566.001\nSpearphishing Attachment', ...T, placement: technique('T1566.001', 'Spearphishing Attachment') },
    { key: 'ps', x: 320, y: 110, text: 'T1059.001\nPowerShell', ...T, placement: technique('T1059.001', 'PowerShell') },
    { key: 'c2', x: 600, y: 110, text: 'T1071.001\nWeb Protocols', ...T, placement: technique('T1071.001', 'Web Protocols') },
    { key: 'creds', x: 320, y: 290, text: 'T1003.001\nLSASS Memory', ...T, placement: technique('T1003.001', 'LSASS Memory') },
    { key: 'smb', x: 600, y: 290, text: 'T1021.002\nSMB/Windows Admin Shares', ...T, placement: technique('T1021.002', 'SMB/Windows Admin Shares') },
    { key: 'dc', x: 40, y: 290, text: 'DC01 (compromised)\nMINFIN-HQ', stroke: '#7c2d12', fill: '#fee2e2' },
    ...(indicatorId ? [{ key: 'ioc', x: 880, y: 110, text: '', stroke: '#7c2d12', fill: '#ffedd5', placement: { kind: 'indicator' as const, id: indicatorId } }] : []),
  ];
  const arrows: [string, string][] = [['phish', 'ps'], ['ps', 'c2'], ['ps', 'creds'], ['creds', 'smb'], ...(indicatorId ? ([['c2', 'ioc']] as [string, string][]) : [])];
  const elements = boardElements(boxes, arrows, when.getTime());
  await addDocument(tx, workspaceId, 'whiteboard', by, 'Intrusion chain', { tlp: 'AMBER', releasableTo: [] }, boardUpdate(elements), when);
}

const US_MARKS: [string, Mark['status'], number, string?][] = [
  ['T1566.001', 'observed', 90, 'Invoice lures at the mail gateway'],
  ['T1059.001', 'observed', 80, 'Encoded PowerShell on 6 workstations'],
  ['T1071.001', 'observed', 85],
  ['T1105', 'observed', 70],
  ['T1003.001', 'suspected', 60, 'LSASS access on DC01, confirming'],
  ['T1021.002', 'suspected', 50],
  ['T1547.001', 'observed', 65],
  ['T1053.005', 'not-found', 0, 'No unusual scheduled tasks'],
  ['T1486', 'not-found', 0],
];
const CA_MARKS: [string, Mark['status'], number, string?][] = [
  ['T1566.001', 'observed', 95, '41 messages, 9 opened'],
  ['T1566.002', 'suspected', 40],
  ['T1204.002', 'observed', 75],
  ['T1059.001', 'observed', 70],
  ['T1036.005', 'observed', 55, 'svchost32.exe in ProgramData'],
  ['T1027', 'suspected', 45],
  ['T1568', 'suspected', 35],
];
const LV_MARKS: [string, Mark['status'], number, string?][] = [
  ['T1071.001', 'observed', 80, 'Beaconing seen on the proxy'],
  ['T1048', 'not-found', 0, 'No large uploads at the border'],
];

/** Marks by US and CA (and two by LV) on the workspace's ATT&CK board. */
export async function seedAttackMarks(tx: Db, workspaceId: string): Promise<void> {
  const board = await ensureBoard({ db: tx }, workspaceId);
  const doc = new Y.Doc();
  const map = doc.getMap(MARKS_MAP);
  doc.transact(() => {
    for (const [team, marks] of [
      ['US', US_MARKS],
      ['CA', CA_MARKS],
      ['LV', LV_MARKS],
    ] as const) {
      for (const [techniqueId, status, score, comment] of marks) {
        const mark: Mark = { techniqueId, team, status, ...(score ? { score } : {}), ...(comment ? { comment } : {}) };
        map.set(markKey(techniqueId, team), mark);
      }
    }
  });
  await docStore.appendUpdates(tx, board.id, [Y.encodeStateAsUpdate(doc)]);
  doc.destroy();
}
