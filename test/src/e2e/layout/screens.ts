/**
 * Every screen of the app for the layout suite: its name (the screenshot's file name), the URL and
 * what must be on the page before it counts as drawn. The records the screens show are made once
 * through the public API (a note, a whiteboard, indicators, a network with hosts, an invite), as a
 * user would make them, so each screen has something to lay out.
 */
import { ApiClient } from '../../helpers/http.js';
import { huntCommand } from '../../integration/samples-helpers.js';

export interface Screen {
  name: string;
  path: string;
  /** A CSS selector of what the screen shows once it is drawn. */
  ready: string;
  /** Seen logged out (login, invite) instead of as alice. */
  anonymous?: boolean;
}

export interface Seeded {
  workspaceId: string;
  noteId: string;
  boardId: string;
  networkId: string;
  inviteToken: string;
}

const tid = (id: string) => `[data-testid="${id}"]`;

/** Records for the screens to show, made as alice (US, owner of the demo workspace). */
export async function seedScreens(baseUrl: string, workspaceId: string): Promise<Seeded> {
  const alice = await new ApiClient(baseUrl).login('alice');
  const ws = `/api/workspaces/${workspaceId}`;
  const ok = <T>(what: string, res: { status: number; body: T }): T => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const note = ok('note', await alice.post<{ id: string }>(`${ws}/notes`, { title: 'Lateral movement on DC01', marking: { tlp: 'AMBER', releasableTo: [] } }));
  const board = ok('whiteboard', await alice.post<{ id: string }>(`${ws}/whiteboards`, { title: 'Attacker path into OT', marking: { tlp: 'GREEN', releasableTo: [] } }));
  const long = 'a'.repeat(40);
  const items = [
    { type: 'domain', value: 'update-check.example-cdn.com', tlp: 'GREEN' },
    { type: 'ipv4', value: '203.0.113.77', tlp: 'AMBER' },
    { type: 'sha256', value: `${long}${'b'.repeat(24)}`, tlp: 'AMBER+STRICT' },
    { type: 'url', value: `https://files.example-cdn.com/payloads/${'x'.repeat(60)}/stage2.bin?id=${long}`, tlp: 'CLEAR' },
  ];
  ok('indicators', await alice.post(`${ws}/indicators/bulk`, { items }));
  const network = (await huntCommand(baseUrl, alice, workspaceId, 'network:create', { name: 'Ministry HQ LAN', partner: 'Ministry of Defence', tlp: 'GREEN' })) as {
    network: { id: string };
  };
  const networkId = network.network.id;
  const csv = 'Computer Name,IP Address,Role\ndc01,10.10.0.5,DC\nmail01,10.10.1.2,mail\nws-017,10.10.2.17,workstation\nfs01,10.10.0.9,file server\n';
  ok('hosts', await alice.post(`${ws}/hosts/import`, { networkId, format: 'csv', content: csv }));
  const invite = ok('invite', await alice.post<{ token: string }>(`${ws}/invites`, { role: 'hunter', team: 'US', expiresInHours: 2 }));
  return { workspaceId, noteId: note.id, boardId: board.id, networkId, inviteToken: invite.token };
}

/** The screens, in the order a new user meets them. */
export function screens(s: Seeded): Screen[] {
  const w = `/w/${s.workspaceId}`;
  return [
    { name: 'login', path: '/', ready: tid('login-form'), anonymous: true },
    { name: 'invite', path: `/invite/${s.inviteToken}`, ready: tid('invite-accept-form'), anonymous: true },
    { name: 'workspaces', path: '/', ready: tid('workspace-list') },
    { name: 'overview', path: w, ready: '.ws-main h1' },
    { name: 'notes', path: `${w}/notes`, ready: tid('note-item-Lateral movement on DC01') },
    { name: 'note', path: `${w}/notes/${s.noteId}`, ready: tid('note-editor') },
    { name: 'indicators', path: `${w}/indicators`, ready: `${tid('indicator-table')}` },
    { name: 'attack-board', path: `${w}/attack`, ready: tid('attack-matrix') },
    { name: 'whiteboards', path: `${w}/whiteboard`, ready: tid('wb-item-Attacker path into OT') },
    { name: 'whiteboard', path: `${w}/whiteboard/${s.boardId}`, ready: `${tid('wb-canvas')} .excalidraw` },
    { name: 'hunt-networks', path: `${w}/hunt`, ready: tid('network-Ministry HQ LAN') },
    { name: 'hunt-hosts', path: `${w}/hunt/n/${s.networkId}`, ready: tid('host-table') },
    { name: 'hunt-coverage', path: `${w}/hunt/n/${s.networkId}/coverage`, ready: tid('coverage') },
    { name: 'hunt-timeline', path: `${w}/hunt/timeline`, ready: tid('tl-count') },
    { name: 'handoff', path: `${w}/handoff`, ready: tid('export-panel') },
    { name: 'members', path: `${w}/members`, ready: tid('members-table') },
    { name: 'audit', path: `${w}/audit`, ready: tid('audit-table') },
    { name: 'admin', path: '/admin', ready: tid('admin-page') },
    { name: 'federation', path: '/admin/federation', ready: tid('federation-page') },
    { name: 'tokens', path: '/tokens', ready: tid('token-form') },
  ];
}
