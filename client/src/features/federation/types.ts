/** What the federation routes answer (server/src/federation/routes.ts). */
export interface Identity {
  name: string;
  url: string;
  publicKey: string;
}

export interface LinkView {
  name: string;
  url: string;
  teams: string[];
  state: 'active' | 'suspended';
  publicKey: string;
  createdAt: string;
  updatedAt: string;
  lastConnectedAt: string | null;
  lastError: string | null;
  /** The link's session is up on the server node that answered. */
  up: boolean;
}

export interface ShareView {
  offerId: string;
  workspaceId: string;
  workspaceName: string;
  link: string;
  home: 'here' | 'peer';
  role: 'hunter' | 'observer';
  state: 'offered' | 'active' | 'withdrawn';
  /** Codes of the other instance's teams the workspace is offered to. */
  teams: string[];
  createdAt: string;
  acceptedAt: string | null;
}

export interface OfferView extends ShareView {
  candidates: { username: string; displayName: string; teamCode: string }[];
}

export const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '');
